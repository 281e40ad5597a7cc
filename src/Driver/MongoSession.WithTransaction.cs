using System.Diagnostics;

namespace Mongo.Driver;

/// <summary>The convenient transactions API (transactions-convenient-api spec): run a callback in a transaction, retrying as the errors allow.</summary>
public sealed partial class MongoSession
{
    // Transactions-convenient-api spec: without timeoutMS, retries stop after 120 s; backoff between attempts starts at
    // 5 ms, grows by half each attempt and is capped at 500 ms, with full jitter.
    private static readonly TimeSpan s_withTransactionTimeLimit = TimeSpan.FromSeconds(120);
    private const double BackoffInitialMilliseconds = 5;
    private const double BackoffMaxMilliseconds = 500;
    private const double BackoffGrowth = 1.5;

    /// <summary>Tests shorten the retry time limit (otherwise the client's timeout, or 120 s).</summary>
    internal TimeSpan? WithTransactionTimeLimitOverride { get; set; }

    /// <summary>Tests replace the jitter (a number in [0, 1)) to make backoffs predictable.</summary>
    internal Func<double>? BackoffJitter { get; set; }

    /// <summary>Tests see each backoff waited between attempts (a wall clock cannot tell a zero wait on a loaded machine).</summary>
    internal Action<TimeSpan>? BackoffWaited { get; set; }

    /// <summary>Attempts of the last <see cref="WithTransaction{TResult}"/> (tests look at it).</summary>
    internal int LastTransactionAttempts { get; private set; }

    /// <summary>
    /// Runs <paramref name="callback"/> in a transaction and commits it. The whole transaction is run again when an error
    /// labelled <c>TransientTransactionError</c> stops it (a write conflict, a failover...), and only the commit when its
    /// outcome is unknown (<c>UnknownTransactionCommitResult</c>), for up to 120 seconds (or the client's <c>timeoutMS</c>),
    /// waiting a short random backoff between attempts.
    /// </summary>
    /// <param name="callback">
    /// The transaction's work; it gets this session (bind handles to it with <c>WithSession</c>) and the cancellation token.
    /// It may run several times, so it must be safe to repeat (no side effects outside the database). It must let command
    /// errors propagate: one it swallows may have aborted the transaction on the server, and the commit would then fail.
    /// It may commit or abort the transaction itself; then it is not committed again. Under timeoutMS its operations share
    /// this call's one deadline: one given a timeoutMS of its own (a handle's <c>WithTimeout</c>) fails with a
    /// <see cref="MongoClientException"/> before anything is sent.
    /// </param>
    /// <param name="options">The transaction's options (see <see cref="StartTransaction"/>).</param>
    /// <param name="cancellationToken">Cancels the operations, the commit and the waits between attempts.</param>
    /// <returns>What the callback returned in its last (committed) run.</returns>
    /// <exception cref="MongoClientException">A transaction is already in progress, or the options are refused (see <see cref="StartTransaction"/>).</exception>
    /// <exception cref="MongoTimeoutException">The time limit ran out while errors kept asking for a retry; the last error is the inner exception and its labels are copied.</exception>
    /// <exception cref="Exception">Any other error of the callback or the commit, as is (the transaction is aborted first).</exception>
    public TResult WithTransaction<TResult>(Func<MongoSession, CancellationToken, TResult> callback, TransactionOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(callback);
        return WithTransactionCore(async: false, (s, ct) => new ValueTask<TResult>(callback(s, ct)), options, cancellationToken).GetAwaiter().GetResult();
    }

    /// <inheritdoc cref="WithTransaction{TResult}"/>
    public Task<TResult> WithTransactionAsync<TResult>(Func<MongoSession, CancellationToken, Task<TResult>> callback, TransactionOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(callback);
        return WithTransactionCore(async: true, (s, ct) => new ValueTask<TResult>(callback(s, ct)), options, cancellationToken).AsTask();
    }

    /// <summary>Runs <paramref name="callback"/> in a transaction and commits it, retrying as <see cref="WithTransaction{TResult}"/> does.</summary>
    /// <param name="callback">The transaction's work (see <see cref="WithTransaction{TResult}"/>: it may run several times).</param>
    /// <param name="options">The transaction's options (see <see cref="StartTransaction"/>).</param>
    /// <param name="cancellationToken">Cancels the operations, the commit and the waits between attempts.</param>
    /// <exception cref="MongoClientException">A transaction is already in progress, or the options are refused.</exception>
    /// <exception cref="MongoTimeoutException">The time limit ran out while errors kept asking for a retry (the last one is the inner exception).</exception>
    public void WithTransaction(Action<MongoSession, CancellationToken> callback, TransactionOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(callback);
        WithTransactionCore(async: false, (s, ct) =>
        {
            callback(s, ct);
            return new ValueTask<bool>(true);
        }, options, cancellationToken).GetAwaiter().GetResult();
    }

    /// <inheritdoc cref="WithTransaction(Action{MongoSession, CancellationToken}, TransactionOptions?, CancellationToken)"/>
    public Task WithTransactionAsync(Func<MongoSession, CancellationToken, Task> callback, TransactionOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(callback);
        return WithTransactionCore(async: true, async (s, ct) =>
        {
            await callback(s, ct).ConfigureAwait(false);
            return true;
        }, options, cancellationToken).AsTask();
    }

    private async ValueTask<TResult> WithTransactionCore<TResult>(bool async, Func<MongoSession, CancellationToken, ValueTask<TResult>> callback, TransactionOptions? options, CancellationToken ct)
    {
        // The call's own timeoutMS (TransactionOptions.Timeout) is the session's for as long as the call runs.
        TimeSpan? previousTimeout = _callTimeout;
        _callTimeout = options?.Timeout ?? Options.DefaultTransactionOptions?.Timeout ?? previousTimeout;
        TimeSpan limit = WithTransactionTimeLimit();
        long start = Stopwatch.GetTimestamp();
        if (WithTransactionTimeLimitOverride is null && Timeout is not null)
        {
            // timeoutMS: one deadline for the whole call, the callback's operations on this session included.
            TimeoutContext = Operations.OperationContext.Start(Timeout, ct);
        }

        try
        {
            return await WithTransactionAttemptsAsync(async, callback, options, limit, start, ct).ConfigureAwait(false);
        }
        finally
        {
            TimeoutContext = null;
            _callTimeout = previousTimeout;
        }
    }

    private async ValueTask<TResult> WithTransactionAttemptsAsync<TResult>(bool async, Func<MongoSession, CancellationToken, ValueTask<TResult>> callback, TransactionOptions? options, TimeSpan limit, long start, CancellationToken ct)
    {
        MongoException? lastError = null;
        int attempt = 0;
        LastTransactionAttempts = 0;
        while (true)
        {
            if (attempt > 0)
            {
                TimeSpan backoff = Backoff(attempt);
                if (Stopwatch.GetElapsedTime(start) + backoff >= limit)
                {
                    throw TimedOut(lastError!, limit);
                }

                BackoffWaited?.Invoke(backoff);

                if (async)
                {
                    await Task.Delay(backoff, ct).ConfigureAwait(false);
                }
                else
                {
                    ct.WaitHandle.WaitOne(backoff);
                    ct.ThrowIfCancellationRequested();
                }
            }

            StartTransaction(options);
            attempt++;
            LastTransactionAttempts = attempt;
            TResult result;
            try
            {
                result = await callback(this, ct).ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                if (IsInTransaction)
                {
                    // The spec refreshes timeoutMS for the abort after a failed callback: it runs under a deadline of its own.
                    Operations.OperationContext? deadline = TimeoutContext;
                    TimeoutContext = null;
                    try
                    {
                        await AbortTransactionCore(async, ct).ConfigureAwait(false);
                    }
                    finally
                    {
                        TimeoutContext = deadline;
                    }
                }

                if (ex is MongoException transient && transient.HasErrorLabel(TransientTransactionErrorLabel))
                {
                    lastError = transient;
                    if (Stopwatch.GetElapsedTime(start) < limit)
                    {
                        continue;
                    }

                    throw TimedOut(transient, limit);
                }

                throw;
            }

            if (!IsInTransaction)
            {
                // The callback committed or aborted the transaction itself.
                return result;
            }

            if (TimeoutContext is { IsExpired: true } expired)
            {
                // timeoutMS ran out in the callback (which handled the error itself): nothing may commit; the abort gets
                // a fresh timeoutMS of its own, as after a failed callback.
                TimeoutContext = null;
                try
                {
                    await AbortTransactionCore(async, ct).ConfigureAwait(false);
                }
                finally
                {
                    TimeoutContext = expired;
                }

                throw new MongoOperationTimeoutException("WithTransaction exceeded timeoutMS (" + Operations.OperationContext.Describe(Timeout) + ") before the transaction could commit.");
            }

            if (await CommitWithRetriesAsync(async, start, limit, ct).ConfigureAwait(false) is { } transientCommitError)
            {
                lastError = transientCommitError;
                continue;
            }

            return result;
        }
    }

    /// <summary>Commits, committing again while the outcome is unknown; returns the error when the whole transaction should run again.</summary>
    private async ValueTask<MongoException?> CommitWithRetriesAsync(bool async, long start, TimeSpan limit, CancellationToken ct)
    {
        while (true)
        {
            try
            {
                await CommitTransactionCore(async, ct).ConfigureAwait(false);
                return null;
            }
            catch (MongoException ex) when (ex.HasErrorLabel(UnknownTransactionCommitResultLabel) || ex.HasErrorLabel(TransientTransactionErrorLabel))
            {
                if (Stopwatch.GetElapsedTime(start) >= limit)
                {
                    throw TimedOut(ex, limit);
                }

                // MaxTimeMSExpired: the application's MaxCommitTime ran out, which another commit would not change.
                bool maxTimeExpired = ex is MongoServerException { Code: ErrorCodes.MaxTimeMSExpired };
                if (ex.HasErrorLabel(UnknownTransactionCommitResultLabel) && !maxTimeExpired)
                {
                    continue;
                }

                if (ex.HasErrorLabel(TransientTransactionErrorLabel))
                {
                    return ex;
                }

                throw;
            }
        }
    }

    /// <summary>The client's timeoutMS when set (CSOT), else 120 seconds.</summary>
    private TimeSpan WithTransactionTimeLimit()
    {
        if (WithTransactionTimeLimitOverride is { } overridden)
        {
            return overridden;
        }

        return Timeout is { } timeout && timeout > TimeSpan.Zero && timeout != System.Threading.Timeout.InfiniteTimeSpan ? timeout : s_withTransactionTimeLimit;
    }

    /// <summary>jitter × min(5 ms × 1.5^(attempt − 1), 500 ms).</summary>
    private TimeSpan Backoff(int attempt)
    {
        double jitter = BackoffJitter?.Invoke() ?? Random.Shared.NextDouble();
        double ceiling = Math.Min(BackoffInitialMilliseconds * Math.Pow(BackoffGrowth, attempt - 1), BackoffMaxMilliseconds);
        return TimeSpan.FromMilliseconds(jitter * ceiling);
    }

    /// <summary>The timeout error that ends the retries: it wraps the last error and carries its labels, so label checks still work.</summary>
    private MongoTimeoutException TimedOut(MongoException last, TimeSpan limit)
    {
        if (TimeoutContext is not null)
        {
            return new MongoOperationTimeoutException("WithTransaction exceeded timeoutMS (" + Operations.OperationContext.Describe(Timeout) + ") while retrying.", last);
        }

        var timeout = new MongoTimeoutException(
            "WithTransaction gave up after " + limit.TotalSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture)
            + " s of retries; the last error was: " + last.Message, last);
        foreach (string label in last.ErrorLabels)
        {
            timeout.AddErrorLabel(label);
        }

        return timeout;
    }
}
