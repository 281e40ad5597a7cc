namespace Mongo.Driver.Events;

/// <summary>
/// Supplies handlers for the driver's monitoring events (connection pool, topology, heartbeat and command events).
/// A client asks each subscriber once, when it is created, for a handler of every event type it can raise; types
/// nobody handles cost nothing at run time.
/// </summary>
/// <remarks>
/// Handlers run synchronously on the thread that raised the event (often a pool, monitor or I/O thread, sometimes
/// while driver state is locked to keep events in order): keep them fast, do not block, and do not call back into
/// the client. An exception thrown by a handler is caught and dropped so it cannot break the driver.
/// </remarks>
public interface IEventSubscriber
{
    /// <summary>Returns the handler for <typeparamref name="TEvent"/>, or false when this subscriber does not handle it.</summary>
    /// <typeparam name="TEvent">One of the event types in <see cref="Mongo.Driver.Events"/>.</typeparam>
    bool TryGetEventHandler<TEvent>(out Action<TEvent>? handler);
}
