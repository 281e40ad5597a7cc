using Mongo.Bson;
using Mongo.Driver;
using Mongo.Driver.Events;

namespace Mongo.Testing.Unified;

/// <summary>One observed event, under its unified-format name (e.g. <c>commandStartedEvent</c>, <c>poolClearedEvent</c>).</summary>
/// <param name="Name">The unified-format event name.</param>
/// <param name="Category">command, cmap or sdam (the expectEvents eventType).</param>
/// <param name="Fields">
/// What expectations may name: for command events the command (started) or reply (succeeded), commandName, databaseName,
/// hasServiceId, hasServerConnectionId; for cmap and sdam events the spec's fields (reason, awaited, newDescription.type...).
/// </param>
/// <param name="Sensitive">A command event of a security-sensitive command (hidden unless observeSensitiveCommands).</param>
public sealed record UnifiedEvent(string Name, string Category, BsonDocument Fields, bool Sensitive = false)
{
    /// <summary>The command name of a command event, otherwise null.</summary>
    public string? CommandName => Fields.GetValueOrDefault("commandName")?.AsString;
}

/// <summary>
/// Records a client's command, connection-pool (CMAP) and SDAM events through the driver's public event subscriptions, so
/// expectations see each command exactly as it went on the wire ($db, $readPreference, lsid, every retry) and each pool or
/// topology change as the driver published it. Also counts checked-out connections for assertNumberConnectionsCheckedOut.
/// </summary>
internal sealed class ClientEventRecorder
{
    private static readonly HashSet<string> s_sensitiveCommands = new(StringComparer.OrdinalIgnoreCase)
    {
        "authenticate", "saslStart", "saslContinue", "getnonce", "createUser", "updateUser", "copydbgetnonce", "copydbsaslstart", "copydb",
    };

    private readonly object _gate = new();
    private readonly List<UnifiedEvent> _events = [];
    private readonly HashSet<int> _sensitiveRequests = [];
    private int _checkedOut;
    private MongoTopologyDescription? _topology;

    /// <summary>Subscribes to the events of clients created from <paramref name="settings"/>.</summary>
    public ClientEventRecorder(MongoClientSettings settings)
    {
        settings.Subscribe<CommandStartedEvent>(e => Add(Command("commandStartedEvent", e.CommandName, e.DatabaseName, e.ServiceId, e.ServerConnectionId, "command", e.Command), IsSensitive(e)));
        settings.Subscribe<CommandSucceededEvent>(e => Add(Command("commandSucceededEvent", e.CommandName, e.DatabaseName, e.ServiceId, e.ServerConnectionId, "reply", e.Reply), WasSensitive(e.RequestId)));
        settings.Subscribe<CommandFailedEvent>(e => Add(Command("commandFailedEvent", e.CommandName, e.DatabaseName, e.ServiceId, e.ServerConnectionId, null, null), WasSensitive(e.RequestId)));

        settings.Subscribe<ConnectionPoolCreatedEvent>(_ => Add(Cmap("poolCreatedEvent")));
        settings.Subscribe<ConnectionPoolReadyEvent>(_ => Add(Cmap("poolReadyEvent")));
        settings.Subscribe<ConnectionPoolClearedEvent>(e => Add(Cmap("poolClearedEvent", new BsonDocument { { "hasServiceId", e.ServiceId is not null }, { "interruptInUseConnections", e.InterruptInUseConnections } })));
        settings.Subscribe<ConnectionPoolClosedEvent>(_ => Add(Cmap("poolClosedEvent")));
        settings.Subscribe<ConnectionCreatedEvent>(_ => Add(Cmap("connectionCreatedEvent")));
        settings.Subscribe<ConnectionReadyEvent>(_ => Add(Cmap("connectionReadyEvent")));
        settings.Subscribe<ConnectionClosedEvent>(e => Add(Cmap("connectionClosedEvent", new BsonDocument("reason", CamelCase(e.Reason.ToString())))));
        settings.Subscribe<ConnectionCheckOutStartedEvent>(_ => Add(Cmap("connectionCheckOutStartedEvent")));
        settings.Subscribe<ConnectionCheckOutFailedEvent>(e => Add(Cmap("connectionCheckOutFailedEvent", new BsonDocument("reason", CamelCase(e.Reason.ToString())))));
        settings.Subscribe<ConnectionCheckedOutEvent>(_ =>
        {
            Interlocked.Increment(ref _checkedOut);
            Add(Cmap("connectionCheckedOutEvent"));
        });
        settings.Subscribe<ConnectionCheckedInEvent>(_ =>
        {
            Interlocked.Decrement(ref _checkedOut);
            Add(Cmap("connectionCheckedInEvent"));
        });

        settings.Subscribe<ServerDescriptionChangedEvent>(e => Add(Sdam("serverDescriptionChangedEvent", Descriptions(e.PreviousDescription.Type.ToString(), e.NewDescription.Type.ToString()))));
        settings.Subscribe<TopologyDescriptionChangedEvent>(e =>
        {
            Volatile.Write(ref _topology, e.NewDescription);
            Add(Sdam("topologyDescriptionChangedEvent", Descriptions(e.PreviousDescription.Type.ToString(), e.NewDescription.Type.ToString())));
        });
        settings.Subscribe<TopologyOpeningEvent>(_ => Add(Sdam("topologyOpeningEvent", [])));
        settings.Subscribe<TopologyClosedEvent>(_ => Add(Sdam("topologyClosedEvent", [])));
        settings.Subscribe<ServerHeartbeatStartedEvent>(e => Add(Sdam("serverHeartbeatStartedEvent", new BsonDocument("awaited", e.Awaited))));
        settings.Subscribe<ServerHeartbeatSucceededEvent>(e => Add(Sdam("serverHeartbeatSucceededEvent", new BsonDocument("awaited", e.Awaited))));
        settings.Subscribe<ServerHeartbeatFailedEvent>(e => Add(Sdam("serverHeartbeatFailedEvent", new BsonDocument("awaited", e.Awaited))));
    }

    /// <summary>Set to false once the test's operations are done (the runner's own cleanup is not observed).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>The client's latest topology description (recorded even when event recording is off).</summary>
    public MongoTopologyDescription? Topology => Volatile.Read(ref _topology);

    /// <summary>Connections checked out of the client's pools and not yet checked back in.</summary>
    public int CheckedOut => Volatile.Read(ref _checkedOut);

    public IReadOnlyList<UnifiedEvent> Events
    {
        get
        {
            lock (_gate)
            {
                return [.. _events];
            }
        }
    }

    /// <summary>
    /// Command-monitoring spec: the auth commands are always sensitive; hello (and legacy hello) only when it carries
    /// speculativeAuthenticate, which the driver shows by publishing it with an empty body.
    /// </summary>
    private bool IsSensitive(CommandStartedEvent e)
    {
        bool sensitive = s_sensitiveCommands.Contains(e.CommandName)
            || (e.CommandName.Equals("hello", StringComparison.OrdinalIgnoreCase) || e.CommandName.Equals("isMaster", StringComparison.OrdinalIgnoreCase)) && e.Command.ElementCount == 0;
        if (sensitive)
        {
            lock (_gate)
            {
                _sensitiveRequests.Add(e.RequestId);
            }
        }

        return sensitive;
    }

    private bool WasSensitive(int requestId)
    {
        lock (_gate)
        {
            return _sensitiveRequests.Contains(requestId);
        }
    }

    private static UnifiedEvent Command(string name, string commandName, string databaseName, ObjectId? serviceId, long? serverConnectionId, string? bodyName, BsonDocument? body)
    {
        var fields = new BsonDocument
        {
            { "commandName", commandName },
            { "databaseName", databaseName },
            { "hasServiceId", serviceId is not null },
            { "hasServerConnectionId", serverConnectionId is not null },
        };
        if (bodyName is not null && body is not null)
        {
            fields.Add(bodyName, body);
        }

        return new UnifiedEvent(name, "command", fields);
    }

    private static UnifiedEvent Cmap(string name, BsonDocument? fields = null) => new(name, "cmap", fields ?? []);

    private static UnifiedEvent Sdam(string name, BsonDocument fields) => new(name, "sdam", fields);

    private static BsonDocument Descriptions(string previous, string next) => new()
    {
        { "previousDescription", new BsonDocument("type", previous) },
        { "newDescription", new BsonDocument("type", next) },
    };

    private static string CamelCase(string name) => char.ToLowerInvariant(name[0]) + name[1..];

    private void Add(UnifiedEvent unifiedEvent, bool sensitive = false)
    {
        if (!Enabled)
        {
            return;
        }

        lock (_gate)
        {
            _events.Add(sensitive ? unifiedEvent with { Sensitive = true } : unifiedEvent);
        }
    }
}
