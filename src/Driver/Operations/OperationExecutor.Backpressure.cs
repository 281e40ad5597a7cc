using Mongo.Driver.Topology;

namespace Mongo.Driver.Operations;

/// <summary>
/// Which failed attempts are sent again: the retryable-reads/writes rules (one retry, or until timeoutMS) combined with the
/// client backpressure rules (any command shed with SystemOverloadedError + RetryableError, after a backoff, at most
/// maxAdaptiveRetries times).
/// </summary>
internal sealed partial class OperationExecutor
{
    /// <summary>The overload retry policy (client backpressure spec); tests replace it to fix the jitter and record the waits.</summary>
    internal OverloadRetryPolicy Backpressure { get; set; } = OverloadRetryPolicy.Default;

    private enum RetryVerdict
    {
        /// <summary>The error goes to the caller as it is.</summary>
        No,

        /// <summary>Send the command again (after a backoff for overload errors).</summary>
        Retry,

        /// <summary>Retryable, but timeoutMS has run out: the caller gets the timeout error with this one as its cause.</summary>
        OutOfTime,
    }

    /// <summary>
    /// The verdict on attempt <paramref name="attempt"/> (0-based) failing with <paramref name="error"/>. Called from an
    /// exception filter: it records in <paramref name="state"/> that the operation met an overload error, which caps every
    /// later retry at maxAdaptiveRetries (client backpressure spec "Interaction with Other Retry Policies").
    /// </summary>
    private RetryVerdict DecideRetry(MongoException error, CommandOperation message, AttemptState state, bool retryableRead, OperationContext operation, int attempt)
    {
        bool ordinary = (message.IsWrite ? state.RetryableWrite : retryableRead) && IsRetryable(error, message.IsWrite);
        bool overload = OverloadRetryPolicy.IsRetryableOverload(error) && OverloadRetriesEnabled(message);
        if (!ordinary && !overload)
        {
            return RetryVerdict.No;
        }

        if (operation.IsTimeoutSet && operation.Deadline.HasExpired)
        {
            return error is MongoOperationTimeoutException ? RetryVerdict.No : RetryVerdict.OutOfTime;
        }

        bool overloadSeen = state.OverloadSeen;
        bool allowed = Backpressure.AllowsRetry(attempt + 1, error, operation.IsTimeoutSet ? int.MaxValue : 1, ref overloadSeen);
        state.OverloadSeen = overloadSeen;
        return allowed ? RetryVerdict.Retry : RetryVerdict.No;
    }

    /// <summary>
    /// Client backpressure spec, retry condition 4: a write needs retryWrites, a read retryReads, and runCommand (whose
    /// command the driver does not inspect) both. commitTransaction and abortTransaction are retried by the session, which
    /// also decides their write concern; unacknowledged writes get no reply to retry on.
    /// </summary>
    private bool OverloadRetriesEnabled(CommandOperation message) =>
        message.Transaction is not { IsCommitOrAbort: true } && !message.MoreToCome
        && (message is RunCommand ? _retryReads && _retryWrites : message.IsWrite ? _retryWrites : _retryReads);

    /// <summary>
    /// The servers the retry should avoid (server-selection spec: they are used only when nothing else is suitable): every
    /// server that failed the operation, except that outside sharded clusters a server that shed the command as overloaded
    /// is avoided only when enableOverloadRetargeting is on (client backpressure spec, retry rule 4).
    /// </summary>
    private MongoServerAddress[]? Deprioritize(MongoServerAddress[]? current, Server server, MongoException error)
    {
        bool sharded = server.Description.Type == ServerType.Mongos || Cluster.Description.Type == TopologyType.Sharded;
        if (!sharded && OverloadRetryPolicy.IsOverload(error) && !Backpressure.Retarget)
        {
            return current;
        }

        if (current is not null && Array.IndexOf(current, server.Address) >= 0)
        {
            return current;
        }

        return current is null ? [server.Address] : [.. current, server.Address];
    }
}
