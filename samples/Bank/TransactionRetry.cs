using Mongo.Driver;

namespace Bank;

/// <summary>
/// The retry loop of MongoDB's transactions documentation, written out so it can be read (MongoSession.WithTransaction
/// does the same): run the whole transaction again on <c>TransientTransactionError</c> (a write conflict, a failover),
/// retry only the commit on <c>UnknownTransactionCommitResult</c>, and wait an exponentially growing, jittered backoff
/// between attempts.
/// </summary>
public static class TransactionRetry
{
    private static readonly TimeSpan s_timeLimit = TimeSpan.FromSeconds(60);

    /// <summary>Runs <paramref name="work"/> in a transaction until it commits; returns how many retries it took.</summary>
    public static async Task<int> RunAsync(MongoClient client, Func<MongoSession, Task> work, CancellationToken cancellationToken = default)
    {
        await using var session = await client.StartSessionAsync(cancellationToken: cancellationToken);
        var started = DateTime.UtcNow;
        int retries = 0;
        while (true)
        {
            session.StartTransaction(new TransactionOptions { WriteConcern = WriteConcern.WMajority, ReadConcern = ReadConcern.Snapshot });
            try
            {
                await work(session);
                await CommitWithRetryAsync(session, started, cancellationToken);
                return retries;
            }
            catch (MongoException ex) when (ex.HasErrorLabel("TransientTransactionError") && DateTime.UtcNow - started < s_timeLimit)
            {
                // Someone else changed the same account first (or the primary changed): nothing was written; start over.
                if (session.IsInTransaction)
                {
                    await session.AbortTransactionAsync(cancellationToken);
                }

                retries++;
                await Task.Delay(Backoff(retries), cancellationToken);
            }
            catch
            {
                if (session.IsInTransaction)
                {
                    await session.AbortTransactionAsync(cancellationToken);
                }

                throw;
            }
        }
    }

    /// <summary>Commits, retrying the commit alone while its outcome is unknown (it may have been applied already).</summary>
    private static async Task CommitWithRetryAsync(MongoSession session, DateTime started, CancellationToken cancellationToken)
    {
        int attempt = 0;
        while (true)
        {
            try
            {
                await session.CommitTransactionAsync(cancellationToken);
                return;
            }
            catch (MongoException ex) when (ex.HasErrorLabel("UnknownTransactionCommitResult") && DateTime.UtcNow - started < s_timeLimit)
            {
                // Committing again is safe: the server answers a repeated commit with the first one's outcome.
                await Task.Delay(Backoff(++attempt), cancellationToken);
            }
        }
    }

    /// <summary>5 ms, growing by half each attempt up to 500 ms, with full jitter (as the drivers' specification says).</summary>
    private static TimeSpan Backoff(int attempt) =>
        TimeSpan.FromMilliseconds(Random.Shared.NextDouble() * Math.Min(500, 5 * Math.Pow(1.5, attempt - 1)));
}
