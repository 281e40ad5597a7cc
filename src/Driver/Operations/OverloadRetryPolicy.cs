using Mongo.Bson;
using Mongo.Driver.Connections;

namespace Mongo.Driver.Operations;

/// <summary>
/// The client backpressure specification's overload retry policy: an error labelled <c>SystemOverloadedError</c> and
/// <c>RetryableError</c> means the server shed the command without doing any work, so any command may be sent again — after
/// an exponential backoff with full jitter, and at most <c>maxAdaptiveRetries</c> times. Once an operation has met an
/// overload error, that limit also caps its ordinary retryable-reads/writes retries (which timeoutMS would otherwise let
/// run until the deadline).
/// </summary>
internal sealed class OverloadRetryPolicy
{
    /// <summary>The spec's BASE_BACKOFF: the first retry waits up to 2 × this (jitter × base × 2^attempt).</summary>
    internal static readonly TimeSpan BaseBackoff = TimeSpan.FromMilliseconds(100);

    /// <summary>The spec's MAX_BACKOFF: no single wait is longer, whatever the attempt or the server's baseBackoffMS.</summary>
    internal static readonly TimeSpan MaxBackoff = TimeSpan.FromMilliseconds(10_000);

    /// <summary>The spec's default MAX_RETRIES (maxAdaptiveRetries when not set).</summary>
    internal const int DefaultMaxRetries = 2;

    /// <summary>The policy of a client with the defaults (maxAdaptiveRetries 2, no retargeting).</summary>
    internal static readonly OverloadRetryPolicy Default = new(DefaultMaxRetries, retarget: false);

    private readonly Func<double> _jitter;
    private readonly Func<bool, TimeSpan, CancellationToken, ValueTask> _delay;

    /// <param name="maxRetries">maxAdaptiveRetries (0 turns overload retries off).</param>
    /// <param name="retarget">enableOverloadRetargeting: a retry after an overload error prefers another server.</param>
    /// <param name="jitter">A number in [0, 1) per backoff (tests fix it; default <see cref="Random.Shared"/>).</param>
    /// <param name="delay">How a backoff is waited out (tests record it instead of sleeping).</param>
    public OverloadRetryPolicy(int maxRetries, bool retarget, Func<double>? jitter = null, Func<bool, TimeSpan, CancellationToken, ValueTask>? delay = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxRetries);
        MaxRetries = maxRetries;
        Retarget = retarget;
        _jitter = jitter ?? Random.Shared.NextDouble;
        _delay = delay ?? SleepAsync;
    }

    /// <summary>The spec's MAX_RETRIES: <c>maxAdaptiveRetries</c>.</summary>
    public int MaxRetries { get; }

    /// <summary><c>enableOverloadRetargeting</c>: whether the server that shed the command is deprioritized for the retry.</summary>
    public bool Retarget { get; }

    /// <summary>An overload error: the server says it is overloaded (backoff applies before any retry of it).</summary>
    public static bool IsOverload(MongoException error) => error.HasErrorLabel(ConnectionErrors.SystemOverloadedError);

    /// <summary>A retryable overload error: overloaded and safe to retry whatever the command (both labels).</summary>
    public static bool IsRetryableOverload(MongoException error) =>
        IsOverload(error) && error.HasErrorLabel(ConnectionErrors.RetryableError);

    /// <summary>
    /// Whether retry number <paramref name="retry"/> (1 for the first retry) of an operation may run, given the error the
    /// previous attempt failed with. <paramref name="overloadSeen"/> remembers, across the operation's attempts, that one
    /// of them was shed: from then on every retry counts against <see cref="MaxRetries"/>.
    /// </summary>
    /// <param name="retry">The retry asked for: 1 for the first.</param>
    /// <param name="error">The error the previous attempt failed with.</param>
    /// <param name="ordinaryRetries">The limit without overload errors: 1, or unlimited under timeoutMS.</param>
    /// <param name="overloadSeen">Whether an attempt of the operation failed with an overload error (updated).</param>
    public bool AllowsRetry(int retry, MongoException error, int ordinaryRetries, ref bool overloadSeen)
    {
        overloadSeen |= IsOverload(error);
        int allowed = overloadSeen ? MaxRetries : ordinaryRetries;
        return retry <= allowed;
    }

    /// <summary>
    /// The wait before retry number <paramref name="retry"/> (1 for the first): <c>jitter × min(MAX_BACKOFF, base × 2^retry)</c>,
    /// where base is the error's positive <c>baseBackoffMS</c> when the server supplied one, else BASE_BACKOFF.
    /// </summary>
    public TimeSpan Backoff(int retry, MongoException error)
    {
        double baseMs = BaseBackoffMilliseconds(error) ?? BaseBackoff.TotalMilliseconds;
        double exponential = baseMs * Math.Pow(2, Math.Clamp(retry, 0, 62));
        double jitter = Math.Clamp(_jitter(), 0.0, 1.0);
        return TimeSpan.FromMilliseconds(jitter * Math.Min(MaxBackoff.TotalMilliseconds, exponential));
    }

    /// <summary>
    /// Waits out the backoff before retry number <paramref name="retry"/> when <paramref name="error"/> is an overload error
    /// (other retries run at once). False when the operation's timeoutMS would pass during the wait: the spec then raises
    /// the error instead of sleeping into the deadline.
    /// </summary>
    /// <exception cref="OperationCanceledException">The token was cancelled during the wait.</exception>
    public async ValueTask<bool> WaitBeforeRetryAsync(bool async, int retry, MongoException error, OperationContext operation, CancellationToken ct)
    {
        if (!IsOverload(error))
        {
            return true;
        }

        TimeSpan backoff = Backoff(retry, error);
        if (operation.IsTimeoutSet && !operation.Deadline.IsInfinite && operation.Deadline.TimeLeft <= backoff)
        {
            return false;
        }

        ct.ThrowIfCancellationRequested();
        if (backoff > TimeSpan.Zero)
        {
            await _delay(async, backoff, ct).ConfigureAwait(false);
        }

        return true;
    }

    /// <summary>The server-supplied base backoff (<c>baseBackoffMS</c> on the error reply), when positive.</summary>
    internal static double? BaseBackoffMilliseconds(MongoException error) =>
        error is MongoCommandException { Reply: { } reply } && reply.GetValueOrDefault("baseBackoffMS") is { IsNumeric: true } value
        && value.ToDouble() is var ms && ms > 0 && double.IsFinite(ms) ? ms : null;

    private static async ValueTask SleepAsync(bool async, TimeSpan delay, CancellationToken ct)
    {
        if (async)
        {
            await Task.Delay(delay, ct).ConfigureAwait(false);
            return;
        }

        if (!ct.CanBeCanceled)
        {
            Thread.Sleep(delay);
            return;
        }

        // Sync path: a blocking wait that still wakes on cancellation.
        ct.WaitHandle.WaitOne(delay);
        ct.ThrowIfCancellationRequested();
    }
}
