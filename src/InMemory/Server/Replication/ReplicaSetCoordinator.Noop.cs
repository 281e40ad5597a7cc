namespace Mongo.InMemory.Server.Replication;

/// <summary>
/// mongod's periodic no-op writer: a primary that wrote nothing for a while appends a no-op entry, so the members'
/// <c>lastWriteDate</c> keeps moving and a lagging member's staleness grows even on an idle set (what drivers' max
/// staleness measures). mongod does it every 10 s (periodicNoopIntervalSecs).
/// </summary>
internal sealed partial class ReplicaSetCoordinator
{
    private CancellationTokenSource? _noopWriter;

    /// <summary>Starts the no-op writer (once); <paramref name="interval"/> zero leaves it off.</summary>
    public void StartNoopWriter(TimeSpan interval)
    {
        if (interval <= TimeSpan.Zero || _noopWriter is not null)
        {
            return;
        }

        _noopWriter = new CancellationTokenSource();
        CancellationToken token = _noopWriter.Token;
        _ = Task.Run(async () =>
        {
            try
            {
                while (true)
                {
                    await Task.Delay(interval, token).ConfigureAwait(false);
                    lock (Sync)
                    {
                        if (token.IsCancellationRequested)
                        {
                            return;
                        }

                        if (Primary is not null && OpTime.Now() - LastOpTime.WallTime >= interval)
                        {
                            AppendLocked();
                        }
                    }
                }
            }
            catch (OperationCanceledException)
            {
                // The set stopped.
            }
        }, CancellationToken.None);
    }

    private void StopNoopWriter()
    {
        lock (Sync)
        {
            _noopWriter?.Cancel();
        }
    }
}
