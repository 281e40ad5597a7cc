using Mongo.Driver.Connections;
using Mongo.Driver.Diagnostics;
using Mongo.Driver.Pooling;

namespace Mongo.Driver.Topology;

/// <summary>Topology options resolved from <see cref="MongoClientSettings"/>.</summary>
internal sealed class ClusterSettings
{
    public required IReadOnlyList<MongoServerAddress> Seeds { get; init; }

    public bool DirectConnection { get; init; }

    public string? ReplicaSetName { get; init; }

    public bool LoadBalanced { get; init; }

    public TimeSpan HeartbeatFrequency { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>SDAM's minHeartbeatFrequencyMS: checks requested early still wait this long after the previous one.</summary>
    public TimeSpan MinHeartbeatFrequency { get; init; } = TimeSpan.FromMilliseconds(500);

    public TimeSpan ServerSelectionTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>serverMonitoringMode: stream, poll, or auto (stream except on a FaaS platform).</summary>
    public ServerMonitoringMode MonitoringMode { get; init; } = ServerMonitoringMode.Auto;

    /// <summary>Whether monitors stream hello from servers that support it (server-monitoring spec "Streaming disabled").</summary>
    public bool StreamingEnabled => StreamingFor(MonitoringMode, MonitoringMode == ServerMonitoringMode.Auto && ClientMetadata.IsFaas);

    /// <summary>stream streams, poll polls, auto streams except on a FaaS platform (a frozen function cannot keep a stream).</summary>
    internal static bool StreamingFor(ServerMonitoringMode mode, bool faas) => mode switch
    {
        ServerMonitoringMode.Stream => true,
        ServerMonitoringMode.Poll => false,
        _ => !faas,
    };

    public TimeSpan LocalThreshold { get; init; } = TimeSpan.FromMilliseconds(15);

    public required ConnectionSettings Connection { get; init; }

    public required PoolSettings Pool { get; init; }

    /// <summary>False leaves server monitors unstarted (SDAM monitoring spec tests feed descriptions themselves).</summary>
    public bool StartMonitors { get; set; } = true;

    /// <summary>The client's event subscribers and loggers.</summary>
    public EventPublisher Events { get; init; } = EventPublisher.None;

    /// <summary>
    /// mongodb+srv: the client settings whose SRV host name the cluster resolves, in the background, when it starts
    /// (<see cref="Seeds"/> is then empty until the records arrive). Null for a listed seed list.
    /// </summary>
    public MongoClientSettings? SrvSource { get; init; }

    /// <summary>The DNS resolver for SRV resolution and polling; null for the default (system DNS servers).</summary>
    public IDnsResolver? DnsResolver { get; init; }

    public static ClusterSettings From(MongoClientSettings settings) => From(settings, EventPublisher.Create(settings));

    /// <summary>
    /// The cluster settings of a client. mongodb+srv settings are checked here (no port, one host, no
    /// directConnection: errors the spec wants before any DNS query) but not resolved: the cluster does that.
    /// </summary>
    internal static ClusterSettings From(MongoClientSettings settings, EventPublisher events)
    {
        foreach (MongoUrl.OptionDescriptor option in MongoUrl.OptionTable)
        {
            // Parsed for the spec's sake, but connecting without, say, the SOCKS5 proxy asked for would be a surprise.
            if (option.Use == MongoUrl.OptionUse.NotImplemented && option.Render?.Invoke(settings).Any() == true)
            {
                throw new MongoNotSupportedException($"The option '{option.Name}' is not implemented by this driver; remove it to connect directly.");
            }
        }

        bool srv = settings.Scheme == ConnectionStringScheme.MongoDBPlusSrv;
        if (srv)
        {
            settings.Validate();
            if (settings.DirectConnection == true)
            {
                throw new MongoConfigurationException("Invalid settings: 'directConnection=true' cannot be used with mongodb+srv.");
            }
        }

        return new()
        {
            Seeds = srv ? [] : settings.Servers,
            SrvSource = srv ? settings.Clone() : null,
            DnsResolver = settings.DnsResolver,
            DirectConnection = settings.DirectConnection ?? false,
            ReplicaSetName = settings.ReplicaSetName,
            LoadBalanced = settings.LoadBalanced,
            HeartbeatFrequency = settings.HeartbeatFrequency,
            MinHeartbeatFrequency = settings.MinHeartbeatFrequency,
            ServerSelectionTimeout = settings.ServerSelectionTimeout,
            MonitoringMode = settings.ServerMonitoringMode,
            LocalThreshold = settings.LocalThreshold,
            Connection = ConnectionSettings.From(settings),
            Pool = PoolSettings.From(settings),
            Events = events,
        };
    }
}
