using Mongo.Bson;
using Mongo.Driver;
using Mongo.Driver.Events;

namespace Mongo.Testing.Unified;

/// <summary>One observed command event (started, succeeded or failed).</summary>
/// <param name="Kind">commandStartedEvent, commandSucceededEvent or commandFailedEvent.</param>
/// <param name="CommandName">The command's name.</param>
/// <param name="DatabaseName">The database it ran on.</param>
/// <param name="Document">For started events the command, for succeeded events the reply.</param>
public sealed record CommandEvent(string Kind, string CommandName, string DatabaseName, BsonDocument? Document);

/// <summary>
/// Records a client's command-monitoring events (the driver's public <see cref="CommandStartedEvent"/> and friends), so
/// expectations see each command exactly as it went on the wire: $db, $readPreference, lsid, rawData and every retry.
/// </summary>
internal sealed class CommandEventRecorder
{
    private readonly object _gate = new();
    private readonly List<CommandEvent> _events = [];

    /// <summary>Subscribes to the command events of clients created from <paramref name="settings"/>.</summary>
    public CommandEventRecorder(MongoClientSettings settings)
    {
        settings.Subscribe<CommandStartedEvent>(e => Add(new CommandEvent("commandStartedEvent", e.CommandName, e.DatabaseName, e.Command)));
        settings.Subscribe<CommandSucceededEvent>(e => Add(new CommandEvent("commandSucceededEvent", e.CommandName, e.DatabaseName, e.Reply)));
        settings.Subscribe<CommandFailedEvent>(e => Add(new CommandEvent("commandFailedEvent", e.CommandName, e.DatabaseName, null)));
    }

    public bool Enabled { get; set; } = true;

    public IReadOnlyList<CommandEvent> Events
    {
        get
        {
            lock (_gate)
            {
                return [.. _events];
            }
        }
    }

    private void Add(CommandEvent commandEvent)
    {
        if (!Enabled)
        {
            return;
        }

        lock (_gate)
        {
            _events.Add(commandEvent);
        }
    }
}
