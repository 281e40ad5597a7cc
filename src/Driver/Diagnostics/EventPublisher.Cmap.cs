using Microsoft.Extensions.Logging;
using Mongo.Bson;
using Mongo.Driver.Events;
using Mongo.Driver.Pooling;

namespace Mongo.Driver.Diagnostics;

/// <summary>CMAP events and the <c>connection</c> log component's messages.</summary>
internal sealed partial class EventPublisher
{
    private readonly Action<ConnectionPoolCreatedEvent>? _poolCreated;
    private readonly Action<ConnectionPoolReadyEvent>? _poolReady;
    private readonly Action<ConnectionPoolClearedEvent>? _poolCleared;
    private readonly Action<ConnectionPoolClosedEvent>? _poolClosed;
    private readonly Action<ConnectionCreatedEvent>? _connectionCreated;
    private readonly Action<ConnectionReadyEvent>? _connectionReady;
    private readonly Action<ConnectionClosedEvent>? _connectionClosed;
    private readonly Action<ConnectionCheckOutStartedEvent>? _checkOutStarted;
    private readonly Action<ConnectionCheckOutFailedEvent>? _checkOutFailed;
    private readonly Action<ConnectionCheckedOutEvent>? _checkedOut;
    private readonly Action<ConnectionCheckedInEvent>? _checkedIn;

    public void PoolCreated(MongoServerAddress address, PoolSettings settings)
    {
        if (_poolCreated is not null)
        {
            Invoke(_poolCreated, new ConnectionPoolCreatedEvent(address, new ConnectionPoolOptions(
                settings.MaxPoolSize, settings.MinPoolSize, settings.MaxConnecting, settings.MaxIdleTime, settings.WaitQueueTimeout)));
        }

        if (On(_connectionLog))
        {
            // The spec asks for the options the user set; defaults are left out.
            var defaults = new PoolSettings();
            int? maxIdle = settings.MaxIdleTime != defaults.MaxIdleTime && settings.MaxIdleTime > TimeSpan.Zero ? (int)settings.MaxIdleTime.TotalMilliseconds : null;
            int? minPoolSize = settings.MinPoolSize != defaults.MinPoolSize ? settings.MinPoolSize : null;
            int? maxPoolSize = settings.MaxPoolSize != defaults.MaxPoolSize ? settings.MaxPoolSize : null;
            int? maxConnecting = settings.MaxConnecting != defaults.MaxConnecting ? settings.MaxConnecting : null;
            int? waitQueueTimeout = settings.WaitQueueTimeout != defaults.WaitQueueTimeout && settings.WaitQueueTimeout >= TimeSpan.Zero ? (int)settings.WaitQueueTimeout.TotalMilliseconds : null;
            Write(_connectionLog!, 1100, new LogMessage("Connection pool created").Server(address)
                .Add("maxIdleTimeMS", maxIdle).Add("minPoolSize", minPoolSize).Add("maxPoolSize", maxPoolSize)
                .Add("maxConnecting", maxConnecting).Add("waitQueueTimeoutMS", waitQueueTimeout)
                .Text($"Connection pool created for {LogMessage.Endpoint(address)} using options maxIdleTimeMS={OptionMs(settings.MaxIdleTime)}, minPoolSize={settings.MinPoolSize}, maxPoolSize={settings.MaxPoolSize}, maxConnecting={settings.MaxConnecting}, waitQueueTimeoutMS={OptionMs(settings.WaitQueueTimeout)}"));
        }
    }

    /// <summary>The message text shows every option's effective value (not an empty one for defaults); no limit reads "none".</summary>
    private static string OptionMs(TimeSpan value) =>
        value <= TimeSpan.Zero || value == Timeout.InfiniteTimeSpan ? "none" : ((long)value.TotalMilliseconds).ToString(System.Globalization.CultureInfo.InvariantCulture);

    public void PoolReady(MongoServerAddress address)
    {
        if (_poolReady is not null)
        {
            Invoke(_poolReady, new ConnectionPoolReadyEvent(address));
        }

        if (On(_connectionLog))
        {
            Write(_connectionLog!, 1101, new LogMessage("Connection pool ready").Server(address).Text("Connection pool ready for " + LogMessage.Endpoint(address)));
        }
    }

    public void PoolCleared(MongoServerAddress address, ObjectId? serviceId, bool interruptInUseConnections)
    {
        if (_poolCleared is not null)
        {
            Invoke(_poolCleared, new ConnectionPoolClearedEvent(address, serviceId, interruptInUseConnections));
        }

        if (On(_connectionLog))
        {
            string? service = serviceId?.ToString();
            Write(_connectionLog!, 1102, new LogMessage("Connection pool cleared").Server(address).Add("serviceId", service)
                .Text("Connection pool for " + LogMessage.Endpoint(address) + " cleared" + (service is null ? "" : " for serviceId " + service)));
        }
    }

    public void PoolClosed(MongoServerAddress address)
    {
        if (_poolClosed is not null)
        {
            Invoke(_poolClosed, new ConnectionPoolClosedEvent(address));
        }

        if (On(_connectionLog))
        {
            Write(_connectionLog!, 1103, new LogMessage("Connection pool closed").Server(address).Text("Connection pool closed for " + LogMessage.Endpoint(address)));
        }
    }

    public void ConnectionCreated(MongoServerAddress address, long connectionId)
    {
        if (_connectionCreated is not null)
        {
            Invoke(_connectionCreated, new ConnectionCreatedEvent(address, connectionId));
        }

        if (On(_connectionLog))
        {
            Write(_connectionLog!, 1104, new LogMessage("Connection created").Server(address).Add("driverConnectionId", connectionId)
                .Text($"Connection created: address={LogMessage.Endpoint(address)}, driver-generated ID={connectionId}"));
        }
    }

    public void ConnectionReady(MongoServerAddress address, long connectionId, TimeSpan duration)
    {
        if (_connectionReady is not null)
        {
            Invoke(_connectionReady, new ConnectionReadyEvent(address, connectionId, duration));
        }

        if (On(_connectionLog))
        {
            Write(_connectionLog!, 1105, new LogMessage("Connection ready").Server(address).Add("driverConnectionId", connectionId).Add("durationMS", duration.TotalMilliseconds)
                .Text($"Connection ready: address={LogMessage.Endpoint(address)}, driver-generated ID={connectionId}, established in={LogMessage.Ms(duration)} ms"));
        }
    }

    public void ConnectionClosed(MongoServerAddress address, long connectionId, ConnectionClosedReason reason, Exception? error)
    {
        if (_connectionClosed is not null)
        {
            Invoke(_connectionClosed, new ConnectionClosedEvent(address, connectionId, reason, error));
        }

        if (On(_connectionLog))
        {
            string text = reason switch
            {
                ConnectionClosedReason.Stale => "Connection became stale because the pool was cleared",
                ConnectionClosedReason.Idle => "Connection has been available but unused for longer than the configured max idle time",
                ConnectionClosedReason.Error => "An error occurred while using the connection",
                _ => "Connection pool was closed",
            };
            string? described = error is null ? null : Describe(error);
            Write(_connectionLog!, 1106, new LogMessage("Connection closed").Server(address).Add("driverConnectionId", connectionId).Add("reason", text).Add("error", described)
                .Text($"Connection closed: address={LogMessage.Endpoint(address)}, driver-generated ID={connectionId}. Reason: {text}." + (described is null ? "" : " Error: " + described)));
        }
    }

    public void CheckOutStarted(MongoServerAddress address)
    {
        if (_checkOutStarted is not null)
        {
            Invoke(_checkOutStarted, new ConnectionCheckOutStartedEvent(address));
        }

        if (On(_connectionLog))
        {
            Write(_connectionLog!, 1107, new LogMessage("Connection checkout started").Server(address).Text("Checkout started for connection to " + LogMessage.Endpoint(address)));
        }
    }

    public void CheckOutFailed(MongoServerAddress address, ConnectionCheckOutFailedReason reason, Exception? error, TimeSpan duration)
    {
        if (_checkOutFailed is not null)
        {
            Invoke(_checkOutFailed, new ConnectionCheckOutFailedEvent(address, reason, error, duration));
        }

        if (On(_connectionLog))
        {
            string text = reason switch
            {
                ConnectionCheckOutFailedReason.Timeout => "Wait queue timeout elapsed without a connection becoming available",
                ConnectionCheckOutFailedReason.ConnectionError => "An error occurred while trying to establish a new connection",
                _ => "Connection pool was closed",
            };
            string? described = error is null ? null : Describe(error);
            Write(_connectionLog!, 1108, new LogMessage("Connection checkout failed").Server(address).Add("reason", text).Add("error", described).Add("durationMS", duration.TotalMilliseconds)
                .Text($"Checkout failed for connection to {LogMessage.Endpoint(address)}. Reason: {text}." + (described is null ? "" : " Error: " + described + ".") + $" Duration: {LogMessage.Ms(duration)} ms"));
        }
    }

    public void CheckedOut(MongoServerAddress address, long connectionId, TimeSpan duration)
    {
        if (_checkedOut is not null)
        {
            Invoke(_checkedOut, new ConnectionCheckedOutEvent(address, connectionId, duration));
        }

        if (On(_connectionLog))
        {
            Write(_connectionLog!, 1109, new LogMessage("Connection checked out").Server(address).Add("driverConnectionId", connectionId).Add("durationMS", duration.TotalMilliseconds)
                .Text($"Connection checked out: address={LogMessage.Endpoint(address)}, driver-generated ID={connectionId}, duration={LogMessage.Ms(duration)} ms"));
        }
    }

    public void CheckedIn(MongoServerAddress address, long connectionId)
    {
        if (_checkedIn is not null)
        {
            Invoke(_checkedIn, new ConnectionCheckedInEvent(address, connectionId));
        }

        if (On(_connectionLog))
        {
            Write(_connectionLog!, 1110, new LogMessage("Connection checked in").Server(address).Add("driverConnectionId", connectionId)
                .Text($"Connection checked in: address={LogMessage.Endpoint(address)}, driver-generated ID={connectionId}"));
        }
    }
}
