namespace Mongo.Driver.Pooling;

/// <summary>CMAP pool options, resolved from <see cref="MongoClientSettings"/>.</summary>
internal sealed class PoolSettings
{
    /// <summary>0 means unlimited (CMAP).</summary>
    public int MaxPoolSize { get; init; } = 100;

    public int MinPoolSize { get; init; }

    public int MaxConnecting { get; init; } = 2;

    /// <summary>How long a checkout may wait; <see cref="Timeout.InfiniteTimeSpan"/> for no limit.</summary>
    public TimeSpan WaitQueueTimeout { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>Idle connections older than this are closed; <see cref="Timeout.InfiniteTimeSpan"/> (or zero) for never.</summary>
    public TimeSpan MaxIdleTime { get; init; } = Timeout.InfiniteTimeSpan;

    /// <summary>How often the background task prunes idle connections and fills to minPoolSize; infinite disables it.</summary>
    public TimeSpan MaintenanceInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Load-balanced pools are never paused.</summary>
    public bool LoadBalanced { get; init; }

    public static PoolSettings From(MongoClientSettings settings) => new()
    {
        MaxPoolSize = settings.MaxPoolSize,
        MinPoolSize = settings.MinPoolSize,
        MaxConnecting = settings.MaxConnecting,
        WaitQueueTimeout = settings.WaitQueueTimeout,
        MaxIdleTime = settings.MaxIdleTime,
        LoadBalanced = settings.LoadBalanced,
    };
}
