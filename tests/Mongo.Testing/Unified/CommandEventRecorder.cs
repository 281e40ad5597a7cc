using Mongo.Bson;
using Mongo.Driver;
using Mongo.Driver.Operations;

namespace Mongo.Testing.Unified;

/// <summary>One observed command event (started, succeeded or failed).</summary>
/// <param name="Kind">commandStartedEvent, commandSucceededEvent or commandFailedEvent.</param>
/// <param name="CommandName">The command's name.</param>
/// <param name="DatabaseName">The database it ran on.</param>
/// <param name="Document">For started events the command, for succeeded events the reply.</param>
public sealed record CommandEvent(string Kind, string CommandName, string DatabaseName, BsonDocument? Document);

/// <summary>
/// Wraps the real executor and records each command as command-monitoring events would report it. The unified
/// runner uses it as its command-started hook until the driver exposes public command monitoring.
/// </summary>
internal sealed class CommandEventRecorder : IOperationExecutor
{
    private readonly IOperationExecutor _inner;
    private readonly object _gate = new();
    private readonly List<CommandEvent> _events = [];

    public CommandEventRecorder(IOperationExecutor inner) => _inner = inner;

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

    public ValueTask<ServerLimits> GetWriteLimitsAsync(bool async, CancellationToken ct) => _inner.GetWriteLimitsAsync(async, ct);

    public async ValueTask<CommandResponse> ExecuteAsync(bool async, CommandMessage message, CancellationToken ct)
    {
        string name = message.Body.GetElement(0).Name;
        Add(new CommandEvent("commandStartedEvent", name, message.Database, Snapshot(message)));
        try
        {
            var response = await _inner.ExecuteAsync(async, message, ct).ConfigureAwait(false);
            Add(new CommandEvent("commandSucceededEvent", name, message.Database, message.MoreToCome ? new BsonDocument("ok", 1) : response.Body));
            return response;
        }
        catch (MongoException)
        {
            Add(new CommandEvent("commandFailedEvent", name, message.Database, null));
            throw;
        }
    }

    public ValueTask DisposeAsync() => _inner.DisposeAsync();

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

    /// <summary>The command as it goes on the wire: body plus $db, with each document sequence as an array field.</summary>
    private static BsonDocument Snapshot(CommandMessage message)
    {
        var command = new BsonDocument(message.Body);
        foreach (var sequence in message.Sequences)
        {
            var array = new BsonArray();
            foreach (var document in sequence.Documents)
            {
                array.Add(BsonDocument.FromBytes(document.Span));
            }

            command.Set(sequence.Identifier, array);
        }

        if (!command.Contains("$db"))
        {
            command.Add("$db", message.Database);
        }

        return command;
    }
}
