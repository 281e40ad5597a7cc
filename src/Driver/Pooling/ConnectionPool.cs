using System.Diagnostics;
using System.Globalization;
using Mongo.Bson;
using Mongo.Driver.Connections;
using Mongo.Driver.Diagnostics;
using Mongo.Driver.Events;

namespace Mongo.Driver.Pooling;

/// <summary>
/// The connection pool of one server, following CMAP: paused/ready/closed states, a FIFO wait queue, a LIFO
/// stack of available connections, maxPoolSize and maxConnecting limits, generations for clearing, perished
/// connection checks, minPoolSize background filling and the CMAP events.
/// </summary>
/// <remarks>
/// GUIDE pattern 6 suggests a Channel plus a CAS counter. CMAP's rules couple the wait queue with maxConnecting
/// (a waiter blocked by maxConnecting must be able to take a connection that is checked in meanwhile, in FIFO
/// order) and with clear (fail every waiter, interrupt pending connections); one short lock that hands work to
/// the head of an explicit queue keeps those rules exact. Checkout and check-in hold it for a few field updates,
/// never across I/O, and an uncontended checkout allocates nothing.
/// </remarks>
internal sealed partial class ConnectionPool : IDisposable
{
    private enum PoolState
    {
        Paused,
        Ready,
        Closed,
    }

    private readonly object _lock = new();
    private readonly List<IConnection> _available = [];
    private readonly LinkedList<Waiter> _waiters = new();
    // Checked-out connections and when they were checked out (for db.client.connection.use_time).
    private readonly Dictionary<IConnection, long> _inUse = [];
    private readonly HashSet<CancellationTokenSource> _pendingOpens = [];
    private readonly Func<long, int, IConnection> _factory;
    private readonly EventPublisher _events;
    private readonly int _maxPoolSize;
    private PoolState _state;
    private int _total;
    private int _pending;
    private int _generation;
    private long _nextId;
    private Exception? _clearReason;

    public ConnectionPool(MongoServerAddress address, PoolSettings settings, Func<long, int, IConnection> factory, EventPublisher? events = null)
    {
        Address = address;
        Settings = settings;
        _factory = factory;
        _events = events ?? EventPublisher.None;
        _maxPoolSize = settings.MaxPoolSize == 0 ? int.MaxValue : settings.MaxPoolSize;
        _state = settings.LoadBalanced ? PoolState.Ready : PoolState.Paused;
        MetricsName = DriverInstruments.PoolName(address);
        _events.PoolCreated(address, settings);
        DriverInstruments.Register(this);
        StartMaintenance();
    }

    public MongoServerAddress Address { get; }

    public PoolSettings Settings { get; }

    /// <summary>The <c>db.client.connection.pool.name</c> of this pool's metrics (its address; unique among live pools).</summary>
    public string MetricsName { get; }

    /// <summary>maxPoolSize for the metrics; null when unlimited.</summary>
    public int? MaxPoolSizeOrNull => Settings.MaxPoolSize == 0 ? null : Settings.MaxPoolSize;

    /// <summary>Called when establishing a connection fails (SDAM treats it as a handshake error, which may clear the pool).</summary>
    public Action<Exception, int>? ConnectionErrorHandler { get; set; }

    public int Generation => Volatile.Read(ref _generation);

    public bool IsReady { get { lock (_lock) { return _state == PoolState.Ready; } } }

    /// <summary>Counts for diagnostics and tests: (total, available, in use, pending, waiting).</summary>
    public (int Total, int Available, int InUse, int Pending, int Waiting) Counts
    {
        get
        {
            lock (_lock)
            {
                return (_total, _available.Count, _inUse.Count, _pending, _waiters.Count);
            }
        }
    }

    /// <summary>Checks out a connection: an available one, a new one, or (after waiting in FIFO order) one of those.</summary>
    public async ValueTask<IConnection> CheckOutAsync(bool async, Deadline deadline, CancellationToken cancellationToken)
    {
        long start = Stopwatch.GetTimestamp();
        _events.CheckOutStarted(Address);
        Waiter? waiter = null;
        IConnection? connection = null;
        bool create = false;
        List<(IConnection, ConnectionClosedReason)>? toClose = null;
        lock (_lock)
        {
            ThrowIfNotReady(start);
            if (_waiters.Count == 0)
            {
                connection = TryTakeAvailable(ref toClose);
                create = connection is null && TryReserve();
            }

            if (connection is null && !create)
            {
                waiter = new Waiter();
                waiter.Node = _waiters.AddLast(waiter);
            }
        }

        CloseAll(toClose);
        if (waiter is not null)
        {
            (connection, create) = await WaitAsync(async, waiter, start, deadline, cancellationToken).ConfigureAwait(false);
        }

        if (create)
        {
            connection = await CreateForCheckoutAsync(async, start, deadline, cancellationToken).ConfigureAwait(false);
        }

        TimeSpan waited = Stopwatch.GetElapsedTime(start);
        _events.CheckedOut(Address, connection!.Id, waited);
        if (DriverInstruments.ConnectionWaitTime.Enabled)
        {
            DriverInstruments.ConnectionWaitTime.Record(waited.TotalSeconds, DriverInstruments.PoolTags(this));
        }

        return connection;
    }

    /// <summary>Returns a connection; perished ones (stale, broken, pool closed) are closed instead of kept.</summary>
    public void CheckIn(IConnection connection)
    {
        _events.CheckedIn(Address, connection.Id);
        List<(IConnection, ConnectionClosedReason)>? toClose = null;
        lock (_lock)
        {
            if (_inUse.Remove(connection, out long checkedOutAt) && DriverInstruments.ConnectionUseTime.Enabled)
            {
                DriverInstruments.ConnectionUseTime.Record(Stopwatch.GetElapsedTime(checkedOutAt).TotalSeconds, DriverInstruments.PoolTags(this));
            }

            ConnectionClosedReason? reason = _state == PoolState.Closed ? ConnectionClosedReason.PoolClosed
                : connection.Generation < _generation ? ConnectionClosedReason.Stale
                : connection.IsBroken ? ConnectionClosedReason.Error
                : null;
            if (reason is not null)
            {
                _total--;
                (toClose ??= []).Add((connection, reason.Value));
            }
            else
            {
                connection.LastUsedTimestamp = Stopwatch.GetTimestamp();
                _available.Add(connection);
            }

            Dispatch(ref toClose);
        }

        CloseAll(toClose);
    }

    /// <summary>Marks the pool ready (SDAM: the server is known and reachable).</summary>
    public void Ready()
    {
        lock (_lock)
        {
            if (_state != PoolState.Paused)
            {
                return;
            }

            _state = PoolState.Ready;
            _clearReason = null;
        }

        _events.PoolReady(Address);
        KickMaintenance();
    }

    /// <summary>
    /// Clears the pool: bumps the generation so existing connections become stale, pauses it (except in
    /// load-balanced mode), fails every waiter, and with <paramref name="interruptInUseConnections"/> closes
    /// checked-out and pending connections too.
    /// </summary>
    public void Clear(bool interruptInUseConnections = false, Exception? reason = null, ObjectId? serviceId = null)
    {
        List<(IConnection, ConnectionClosedReason)>? toClose = null;
        List<Waiter>? failed = null;
        List<IConnection>? interrupted = null;
        List<CancellationTokenSource>? cancelled = null;
        bool wasPaused;
        lock (_lock)
        {
            if (_state == PoolState.Closed)
            {
                return;
            }

            wasPaused = _state == PoolState.Paused;
            _generation++;
            if (!Settings.LoadBalanced)
            {
                _state = PoolState.Paused;
                _clearReason = reason;
            }

            // Idle connections are stale now: close them right away rather than on the next checkout.
            for (int i = _available.Count - 1; i >= 0; i--)
            {
                (toClose ??= []).Add((_available[i], ConnectionClosedReason.Stale));
                _total--;
            }

            _available.Clear();
            if (!Settings.LoadBalanced)
            {
                foreach (Waiter waiter in _waiters)
                {
                    (failed ??= []).Add(waiter);
                }

                _waiters.Clear();
            }

            if (interruptInUseConnections)
            {
                interrupted = [.. _inUse.Keys];
                cancelled = [.. _pendingOpens];
            }
        }

        if (!wasPaused || Settings.LoadBalanced)
        {
            _events.PoolCleared(Address, serviceId, interruptInUseConnections);
        }

        if (failed is not null)
        {
            foreach (Waiter waiter in failed)
            {
                waiter.TrySetResult(new WaitResult(null, false, PoolClearedException(reason)));
            }
        }

        CloseAll(toClose);
        if (interrupted is not null)
        {
            foreach (IConnection connection in interrupted)
            {
                // CMAP's message: only a monitor timeout clears a pool with interruptInUseConnections.
                connection.Break(new MongoPoolClearedException("Connection to " + Address + " interrupted due to server monitor timeout (connection " + connection.Id + ").", reason));
            }
        }

        if (cancelled is not null)
        {
            foreach (CancellationTokenSource cts in cancelled)
            {
                try
                {
                    cts.Cancel();
                }
                catch (ObjectDisposedException)
                {
                    // The open finished meanwhile.
                }
            }
        }
    }

    /// <summary>Closes the pool: available connections are closed now, checked-out ones on check-in.</summary>
    public void Dispose()
    {
        List<(IConnection, ConnectionClosedReason)>? toClose = null;
        List<Waiter>? failed = null;
        lock (_lock)
        {
            if (_state == PoolState.Closed)
            {
                return;
            }

            _state = PoolState.Closed;
            foreach (IConnection connection in _available)
            {
                (toClose ??= []).Add((connection, ConnectionClosedReason.PoolClosed));
                _total--;
            }

            _available.Clear();
            foreach (Waiter waiter in _waiters)
            {
                (failed ??= []).Add(waiter);
            }

            _waiters.Clear();
        }

        StopMaintenance();
        DriverInstruments.Unregister(this);
        if (failed is not null)
        {
            foreach (Waiter waiter in failed)
            {
                waiter.TrySetResult(new WaitResult(null, false, PoolClosedException()));
            }
        }

        CloseAll(toClose);
        _events.PoolClosed(Address);
    }

    private void ThrowIfNotReady(long start)
    {
        if (_state == PoolState.Ready)
        {
            return;
        }

        bool closed = _state == PoolState.Closed;
        Exception error = closed ? PoolClosedException() : PoolClearedException(_clearReason);
        _events.CheckOutFailed(Address, closed ? ConnectionCheckOutFailedReason.PoolClosed : ConnectionCheckOutFailedReason.ConnectionError, error, Stopwatch.GetElapsedTime(start));
        throw error;
    }

    private MongoClientException PoolClosedException() => new("The connection pool for " + Address + " is closed.");

    private MongoPoolClearedException PoolClearedException(Exception? reason) =>
        new("The connection pool for " + Address + " was cleared" + (reason is null ? "" : " because of an error: " + reason.Message) + "; the operation may be retried.", reason);

    /// <summary>Pops the most recently used available connection, closing perished ones on the way. Caller holds the lock.</summary>
    private IConnection? TryTakeAvailable(ref List<(IConnection, ConnectionClosedReason)>? toClose)
    {
        while (_available.Count > 0)
        {
            IConnection connection = _available[^1];
            _available.RemoveAt(_available.Count - 1);
            ConnectionClosedReason? reason = connection.Generation < _generation ? ConnectionClosedReason.Stale
                : connection.IsBroken ? ConnectionClosedReason.Error
                : IsIdleExpired(connection) ? ConnectionClosedReason.Idle
                : null;
            if (reason is null)
            {
                _inUse[connection] = Stopwatch.GetTimestamp();
                return connection;
            }

            _total--;
            (toClose ??= []).Add((connection, reason.Value));
        }

        return null;
    }

    private bool IsIdleExpired(IConnection connection) =>
        Settings.MaxIdleTime > TimeSpan.Zero && Settings.MaxIdleTime != Timeout.InfiniteTimeSpan
        && Stopwatch.GetElapsedTime(connection.LastUsedTimestamp) >= Settings.MaxIdleTime;

    /// <summary>Reserves a slot for a new connection when under maxPoolSize and maxConnecting. Caller holds the lock.</summary>
    private bool TryReserve()
    {
        if (_total >= _maxPoolSize || _pending >= Settings.MaxConnecting)
        {
            return false;
        }

        _total++;
        _pending++;
        return true;
    }

    /// <summary>Hands available connections or creation slots to waiters in FIFO order. Caller holds the lock.</summary>
    private void Dispatch(ref List<(IConnection, ConnectionClosedReason)>? toClose)
    {
        while (_waiters.First is { } node)
        {
            Waiter waiter = node.Value;
            if (waiter.Task.IsCompleted)
            {
                _waiters.RemoveFirst();
                continue;
            }

            IConnection? connection = TryTakeAvailable(ref toClose);
            if (connection is not null)
            {
                _waiters.RemoveFirst();
                waiter.TrySetResult(new WaitResult(connection, false, null));
                continue;
            }

            if (_state == PoolState.Ready && TryReserve())
            {
                _waiters.RemoveFirst();
                waiter.TrySetResult(new WaitResult(null, true, null));
                continue;
            }

            break;
        }
    }

    private async ValueTask<(IConnection? Connection, bool Create)> WaitAsync(bool async, Waiter waiter, long start, Deadline deadline, CancellationToken cancellationToken)
    {
        // timeoutMS replaces waitQueueTimeoutMS (client-side operations timeout spec).
        Deadline effective = deadline.IsTimeoutMS ? deadline : deadline.Min(Deadline.After(Settings.WaitQueueTimeout));
        TimeSpan timeout = effective.TimeLeft;
        try
        {
            if (async)
            {
                await waiter.Task.WaitAsync(timeout, cancellationToken).ConfigureAwait(false);
            }
            else if (!waiter.Task.Wait(timeout, cancellationToken))
            {
                throw new TimeoutException();
            }
        }
        catch (Exception ex) when (ex is TimeoutException or OperationCanceledException)
        {
            lock (_lock)
            {
                if (!waiter.Task.IsCompleted)
                {
                    _waiters.Remove(waiter.Node!);
                    waiter.TrySetResult(new WaitResult(null, false, ex));
                }
            }

            if (waiter.Task.Result.Error != ex)
            {
                // Completed just before we could withdraw: take what we were given.
                return Complete(waiter.Task.Result, start);
            }

            if (ex is OperationCanceledException)
            {
                _events.CheckOutFailed(Address, ConnectionCheckOutFailedReason.ConnectionError, ex, Stopwatch.GetElapsedTime(start));
                throw;
            }

            var counts = Counts;
            var timedOut = new MongoTimeoutException(string.Create(CultureInfo.InvariantCulture,
                $"Timed out after {Stopwatch.GetElapsedTime(start).TotalMilliseconds:0}ms waiting for a connection from the pool for {Address} " +
                $"(maxPoolSize {Settings.MaxPoolSize}, maxConnecting {Settings.MaxConnecting}; connections: {counts.Total} total, {counts.InUse} in use, " +
                $"{counts.Available} available, {counts.Pending} being established; {counts.Waiting} other operations waiting)."));
            _events.CheckOutFailed(Address, ConnectionCheckOutFailedReason.Timeout, timedOut, Stopwatch.GetElapsedTime(start));
            DriverInstruments.ConnectionTimeouts.Add(1, DriverInstruments.PoolTags(this));
            throw timedOut;
        }

        return Complete(waiter.Task.Result, start);
    }

    private (IConnection?, bool) Complete(WaitResult result, long start)
    {
        if (result.Error is { } error)
        {
            _events.CheckOutFailed(Address, error is MongoPoolClearedException ? ConnectionCheckOutFailedReason.ConnectionError : ConnectionCheckOutFailedReason.PoolClosed, error, Stopwatch.GetElapsedTime(start));
            throw error;
        }

        return (result.Connection, result.Create);
    }

    private async ValueTask<IConnection> CreateForCheckoutAsync(bool async, long start, Deadline deadline, CancellationToken cancellationToken)
    {
        try
        {
            // Under timeoutMS the operation's deadline bounds the handshake too (and replaces socketTimeoutMS there).
            IConnection connection = await OpenNewAsync(async, checkedOut: true, cancellationToken, deadline.IsTimeoutMS ? deadline : null).ConfigureAwait(false);
            return connection;
        }
        catch (Exception ex)
        {
            _events.CheckOutFailed(Address, ConnectionCheckOutFailedReason.ConnectionError, ex, Stopwatch.GetElapsedTime(start));
            throw;
        }
    }

    /// <summary>Creates and opens a connection in a reserved slot; it goes to the caller (checkout) or to the available stack (fill).</summary>
    private async ValueTask<IConnection> OpenNewAsync(bool async, bool checkedOut, CancellationToken cancellationToken, Deadline? operationDeadline = null)
    {
        int generation = Generation;
        IConnection connection = _factory(Interlocked.Increment(ref _nextId), generation);
        _events.ConnectionCreated(Address, connection.Id);
        var interrupt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        lock (_lock)
        {
            _pendingOpens.Add(interrupt);
        }

        long start = Stopwatch.GetTimestamp();
        Exception? failure = null;
        try
        {
            await connection.OpenAsync(async, interrupt.Token, operationDeadline).ConfigureAwait(false);
            if (connection.Generation < Generation)
            {
                throw connection.Break(PoolClearedException(_clearReason));
            }
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            failure = PoolClearedException(ex);
        }
        catch (Exception ex)
        {
            failure = ex;
        }
        finally
        {
            lock (_lock)
            {
                _pendingOpens.Remove(interrupt);
            }

            interrupt.Dispose();
        }

        List<(IConnection, ConnectionClosedReason)>? toClose = null;
        if (failure is not null)
        {
            lock (_lock)
            {
                _pending--;
                _total--;
                Dispatch(ref toClose);
            }

            if (failure is not MongoPoolClearedException and not OperationCanceledException)
            {
                ConnectionErrorHandler?.Invoke(failure, generation);
            }

            CloseAll(toClose);
            connection.Dispose();
            _events.ConnectionClosed(Address, connection.Id, ConnectionClosedReason.Error, failure);
            throw failure;
        }

        TimeSpan established = Stopwatch.GetElapsedTime(start);
        _events.ConnectionReady(Address, connection.Id, established);
        if (DriverInstruments.ConnectionCreateTime.Enabled)
        {
            DriverInstruments.ConnectionCreateTime.Record(established.TotalSeconds, DriverInstruments.PoolTags(this));
        }

        lock (_lock)
        {
            _pending--;
            if (checkedOut)
            {
                _inUse[connection] = Stopwatch.GetTimestamp();
            }
            else
            {
                connection.LastUsedTimestamp = Stopwatch.GetTimestamp();
                _available.Add(connection);
            }

            Dispatch(ref toClose);
        }

        CloseAll(toClose);
        return connection;
    }

    private void CloseAll(List<(IConnection Connection, ConnectionClosedReason Reason)>? toClose)
    {
        if (toClose is null)
        {
            return;
        }

        foreach ((IConnection connection, ConnectionClosedReason reason) in toClose)
        {
            connection.Dispose();
            _events.ConnectionClosed(Address, connection.Id, reason, null);
        }
    }

    private readonly record struct WaitResult(IConnection? Connection, bool Create, Exception? Error);

    private sealed class Waiter : TaskCompletionSource<WaitResult>
    {
        public Waiter() : base(TaskCreationOptions.RunContinuationsAsynchronously) { }

        public LinkedListNode<Waiter>? Node { get; set; }
    }
}
