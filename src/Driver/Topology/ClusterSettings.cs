using Mongo.Driver.Connections;
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

    public TimeSpan ServerSelectionTimeout { get; init; } = TimeSpan.FromSeconds(30);

    public TimeSpan LocalThreshold { get; init; } = TimeSpan.FromMilliseconds(15);

    public required ConnectionSettings Connection { get; init; }

    public required PoolSettings Pool { get; init; }

    public IPoolEventSink? PoolEvents { get; init; }

    public static ClusterSettings From(MongoClientSettings settings, IPoolEventSink? poolEvents = null) => new()
    {
        Seeds = settings.Servers,
        DirectConnection = settings.DirectConnection ?? false,
        ReplicaSetName = settings.ReplicaSetName,
        LoadBalanced = settings.LoadBalanced,
        HeartbeatFrequency = settings.HeartbeatFrequency,
        ServerSelectionTimeout = settings.ServerSelectionTimeout,
        LocalThreshold = settings.LocalThreshold,
        Connection = ConnectionSettings.From(settings),
        Pool = PoolSettings.From(settings),
        PoolEvents = poolEvents,
    };
}
