namespace Mongo.Driver.Pooling;

/// <summary>The CMAP event types (connection-monitoring-and-pooling spec).</summary>
internal enum PoolEventType
{
    PoolCreated,
    PoolReady,
    PoolCleared,
    PoolClosed,
    ConnectionCreated,
    ConnectionReady,
    ConnectionClosed,
    ConnectionCheckOutStarted,
    ConnectionCheckOutFailed,
    ConnectionCheckedOut,
    ConnectionCheckedIn,
}

/// <summary>One CMAP event. Reasons use the spec's strings (stale, idle, error, poolClosed, timeout, connectionError).</summary>
internal sealed record PoolEvent(
    PoolEventType Type,
    MongoServerAddress Address,
    long ConnectionId = 0,
    string? Reason = null,
    TimeSpan Duration = default,
    bool InterruptInUseConnections = false,
    PoolSettings? Options = null);

/// <summary>Receives CMAP events (monitoring, logging, tests). Called synchronously: keep it fast and non-throwing.</summary>
internal interface IPoolEventSink
{
    void Handle(PoolEvent poolEvent);
}
