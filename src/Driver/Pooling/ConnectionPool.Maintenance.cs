using Mongo.Driver.Connections;
using Mongo.Driver.Events;

namespace Mongo.Driver.Pooling;

internal sealed partial class ConnectionPool
{
    private readonly SemaphoreSlim _kick = new(0, 1);
    private CancellationTokenSource? _maintenanceCts;
    private Task? _maintenance;

    private void StartMaintenance()
    {
        bool periodic = Settings.MaintenanceInterval > TimeSpan.Zero && Settings.MaintenanceInterval != Timeout.InfiniteTimeSpan;
        if (!periodic && Settings.MinPoolSize == 0)
        {
            return;
        }

        _maintenanceCts = new CancellationTokenSource();
        _maintenance = Task.Run(() => MaintainAsync(periodic ? Settings.MaintenanceInterval : Timeout.InfiniteTimeSpan, _maintenanceCts.Token));
    }

    /// <summary>Runs a maintenance pass soon (after ready or clear) instead of waiting for the interval.</summary>
    private void KickMaintenance()
    {
        if (_maintenanceCts is null)
        {
            return;
        }

        try
        {
            if (_kick.CurrentCount == 0)
            {
                _kick.Release();
            }
        }
        catch (SemaphoreFullException)
        {
            // Already kicked.
        }
    }

    private void StopMaintenance()
    {
        if (_maintenanceCts is { } cts)
        {
            cts.Cancel();
            try
            {
                _maintenance?.Wait(TimeSpan.FromSeconds(1));
            }
            catch (AggregateException)
            {
                // The loop ends with a cancellation.
            }

            cts.Dispose();
        }
    }

    private async Task MaintainAsync(TimeSpan interval, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await _kick.WaitAsync(interval, cancellationToken).ConfigureAwait(false);
                await MaintainOnceAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception)
            {
                // A failed fill was reported through ConnectionErrorHandler; try again next interval.
            }
        }
    }

    /// <summary>Closes idle-expired connections, then opens connections until minPoolSize (respecting maxConnecting).</summary>
    internal async Task MaintainOnceAsync(CancellationToken cancellationToken)
    {
        List<(IConnection, ConnectionClosedReason)>? toClose = null;
        lock (_lock)
        {
            if (_state != PoolState.Ready)
            {
                return;
            }

            for (int i = _available.Count - 1; i >= 0; i--)
            {
                IConnection connection = _available[i];
                ConnectionClosedReason? reason = connection.Generation < _generation ? ConnectionClosedReason.Stale : connection.IsBroken ? ConnectionClosedReason.Error : IsIdleExpired(connection) ? ConnectionClosedReason.Idle : null;
                if (reason is not null)
                {
                    _available.RemoveAt(i);
                    _total--;
                    (toClose ??= []).Add((connection, reason.Value));
                }
            }
        }

        CloseAll(toClose);
        while (true)
        {
            lock (_lock)
            {
                if (_state != PoolState.Ready || _total >= Settings.MinPoolSize || _waiters.Count > 0 || !TryReserve())
                {
                    return;
                }
            }

            await OpenNewAsync(async: true, checkedOut: false, cancellationToken).ConfigureAwait(false);
        }
    }
}
