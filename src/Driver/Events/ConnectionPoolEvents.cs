using Mongo.Bson;

namespace Mongo.Driver.Events;

/// <summary>Why a connection was closed (CMAP <c>ConnectionClosedEvent.reason</c>).</summary>
public enum ConnectionClosedReason
{
    /// <summary>The pool was cleared, making the connection no longer valid ("stale").</summary>
    Stale,

    /// <summary>The connection was available but unused for longer than maxIdleTimeMS ("idle").</summary>
    Idle,

    /// <summary>The connection experienced an error ("error").</summary>
    Error,

    /// <summary>The pool was closed ("poolClosed").</summary>
    PoolClosed,
}

/// <summary>Why a checkout failed (CMAP <c>ConnectionCheckOutFailedEvent.reason</c>).</summary>
public enum ConnectionCheckOutFailedReason
{
    /// <summary>The pool was closed ("poolClosed").</summary>
    PoolClosed,

    /// <summary>The wait for a connection exceeded its time limit ("timeout").</summary>
    Timeout,

    /// <summary>Establishing a new connection failed, the pool was cleared or the checkout was cancelled ("connectionError").</summary>
    ConnectionError,
}

/// <summary>The options a connection pool was created with (CMAP <c>ConnectionPoolCreatedEvent.options</c>).</summary>
/// <param name="MaxPoolSize">maxPoolSize (0 means unlimited).</param>
/// <param name="MinPoolSize">minPoolSize.</param>
/// <param name="MaxConnecting">maxConnecting.</param>
/// <param name="MaxIdleTime">maxIdleTimeMS; <see cref="Timeout.InfiniteTimeSpan"/> when connections never expire.</param>
/// <param name="WaitQueueTimeout">waitQueueTimeoutMS; <see cref="Timeout.InfiniteTimeSpan"/> for no limit.</param>
public readonly record struct ConnectionPoolOptions(int MaxPoolSize, int MinPoolSize, int MaxConnecting, TimeSpan MaxIdleTime, TimeSpan WaitQueueTimeout);

/// <summary>A connection pool was created (it starts paused, except in load-balanced mode).</summary>
/// <param name="ServerAddress">The server the pool connects to.</param>
/// <param name="Options">The pool's options.</param>
public readonly record struct ConnectionPoolCreatedEvent(MongoServerAddress ServerAddress, ConnectionPoolOptions Options);

/// <summary>A connection pool was marked ready: the server is known and connections may be created.</summary>
/// <param name="ServerAddress">The server the pool connects to.</param>
public readonly record struct ConnectionPoolReadyEvent(MongoServerAddress ServerAddress);

/// <summary>A connection pool was cleared: its existing connections became stale and it is paused until the server is seen again.</summary>
/// <param name="ServerAddress">The server the pool connects to.</param>
/// <param name="ServiceId">Load-balanced mode: the service whose connections were cleared; otherwise null.</param>
/// <param name="InterruptInUseConnections">Whether checked-out connections were interrupted too.</param>
public readonly record struct ConnectionPoolClearedEvent(MongoServerAddress ServerAddress, ObjectId? ServiceId, bool InterruptInUseConnections);

/// <summary>A connection pool was closed (its client was disposed or the server left the topology).</summary>
/// <param name="ServerAddress">The server the pool connected to.</param>
public readonly record struct ConnectionPoolClosedEvent(MongoServerAddress ServerAddress);

/// <summary>The pool created a connection object; it is not yet established (see <see cref="ConnectionReadyEvent"/>).</summary>
/// <param name="ServerAddress">The server the connection is for.</param>
/// <param name="ConnectionId">The driver's id of the connection (unique within its pool, starting at 1).</param>
public readonly record struct ConnectionCreatedEvent(MongoServerAddress ServerAddress, long ConnectionId);

/// <summary>A connection finished its handshake and authentication and is ready to use.</summary>
/// <param name="ServerAddress">The server the connection is for.</param>
/// <param name="ConnectionId">The driver's id of the connection.</param>
/// <param name="Duration">Time from <see cref="ConnectionCreatedEvent"/> to ready.</param>
public readonly record struct ConnectionReadyEvent(MongoServerAddress ServerAddress, long ConnectionId, TimeSpan Duration);

/// <summary>The pool closed a connection.</summary>
/// <param name="ServerAddress">The server the connection was for.</param>
/// <param name="ConnectionId">The driver's id of the connection.</param>
/// <param name="Reason">Why it was closed.</param>
/// <param name="Error">For <see cref="ConnectionClosedReason.Error"/>, the error when known; otherwise null.</param>
public readonly record struct ConnectionClosedEvent(MongoServerAddress ServerAddress, long ConnectionId, ConnectionClosedReason Reason, Exception? Error);

/// <summary>An operation started checking out a connection.</summary>
/// <param name="ServerAddress">The server of the pool.</param>
public readonly record struct ConnectionCheckOutStartedEvent(MongoServerAddress ServerAddress);

/// <summary>A checkout failed.</summary>
/// <param name="ServerAddress">The server of the pool.</param>
/// <param name="Reason">Why it failed.</param>
/// <param name="Error">The error the operation sees, when there is one.</param>
/// <param name="Duration">Time since <see cref="ConnectionCheckOutStartedEvent"/>.</param>
public readonly record struct ConnectionCheckOutFailedEvent(MongoServerAddress ServerAddress, ConnectionCheckOutFailedReason Reason, Exception? Error, TimeSpan Duration);

/// <summary>A checkout succeeded.</summary>
/// <param name="ServerAddress">The server of the pool.</param>
/// <param name="ConnectionId">The driver's id of the connection.</param>
/// <param name="Duration">Time since <see cref="ConnectionCheckOutStartedEvent"/> (includes establishing a new connection when one was made).</param>
public readonly record struct ConnectionCheckedOutEvent(MongoServerAddress ServerAddress, long ConnectionId, TimeSpan Duration);

/// <summary>A connection was returned to its pool.</summary>
/// <param name="ServerAddress">The server of the pool.</param>
/// <param name="ConnectionId">The driver's id of the connection.</param>
public readonly record struct ConnectionCheckedInEvent(MongoServerAddress ServerAddress, long ConnectionId);
