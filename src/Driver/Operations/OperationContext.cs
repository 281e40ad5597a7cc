using System.Runtime.CompilerServices;
using Mongo.Driver.Connections;

namespace Mongo.Driver.Operations;

/// <summary>
/// One public call (InsertMany, a cursor's MoveNext, CommitTransaction, ...): created once when the call starts and
/// carried by every command it sends, so that server selection, checkout, each batch, each retry and each getMore draw
/// on the same deadline instead of starting their own.
/// </summary>
internal sealed class OperationContext
{
    private static long s_lastOperationId;

    // Shared by every context of one call (With): a timeout error seen by any of its commands. A socket timer may fire
    // a moment before the stopwatch says the deadline passed, so "expired" is also what the commands saw.
    private readonly StrongBox<bool> _timedOut;

    private OperationContext(TimeSpan? timeout, Deadline deadline, CancellationToken cancellationToken, long operationId, bool omitMaxTime, StrongBox<bool>? timedOut = null)
    {
        _timedOut = timedOut ?? new StrongBox<bool>();
        Timeout = timeout;
        Deadline = deadline;
        CancellationToken = cancellationToken;
        OperationId = operationId;
        OmitMaxTime = omitMaxTime;
    }

    /// <summary>
    /// The <c>timeoutMS</c> in force (client-side operations timeout spec); <see cref="System.Threading.Timeout.InfiniteTimeSpan"/>
    /// for timeoutMS=0; null when timeoutMS is not set anywhere, in which case the legacy timeouts (serverSelectionTimeoutMS,
    /// waitQueueTimeoutMS, socketTimeoutMS, maxTimeMS options) apply as before.
    /// </summary>
    public TimeSpan? Timeout { get; }

    /// <summary>Whether timeoutMS governs this call (its errors become <see cref="MongoOperationTimeoutException"/>).</summary>
    public bool IsTimeoutSet => Timeout is not null;

    /// <summary>The one deadline of the call: timeoutMS from when it started, or infinite.</summary>
    public Deadline Deadline { get; }

    /// <summary>The caller's token.</summary>
    public CancellationToken CancellationToken { get; }

    /// <summary>Command monitoring's operationId and the server-selection log's: the same for every command of the call.</summary>
    public long OperationId { get; }

    /// <summary>
    /// No <c>maxTimeMS</c> is derived from the deadline: getMores, cursor-creating commands in iteration mode, and
    /// tailable cursors (the spec leaves the server's time to the cursor's own rules).
    /// </summary>
    public bool OmitMaxTime { get; }

    /// <summary>A new call with <paramref name="timeout"/> (null: timeoutMS not set) starting now.</summary>
    public static OperationContext Start(TimeSpan? timeout, CancellationToken cancellationToken, bool omitMaxTime = false)
    {
        // Zero is "no limit" wherever timeoutMS is given (settings may hold it as zero or as infinite).
        TimeSpan? normalized = timeout == TimeSpan.Zero ? System.Threading.Timeout.InfiniteTimeSpan : timeout;
        return new(normalized, normalized is { } t ? Deadline.ForTimeoutMS(t) : Deadline.Infinite, cancellationToken, NextOperationId(), omitMaxTime);
    }

    /// <summary>The same call's deadline with another token (a cursor's getMore under the cursor's lifetime deadline).</summary>
    public OperationContext With(CancellationToken cancellationToken, bool omitMaxTime) =>
        new(Timeout, Deadline, cancellationToken, NextOperationId(), omitMaxTime, _timedOut);

    /// <summary>
    /// The server the call's writes run on: chosen by its first write's selection (or a retry's reselection) and used by
    /// its later writes (a bulk write's next batches) without selecting again. Not carried by <see cref="With"/>.
    /// </summary>
    internal Topology.Server? WriteServer { get; set; }

    /// <summary>Whether the call's deadline has passed, or one of its commands already failed with the timeout error.</summary>
    public bool IsExpired => IsTimeoutSet && (_timedOut.Value || Deadline.HasExpired);

    /// <summary>Records that a command of this call failed with the timeout error.</summary>
    public void MarkTimedOut() => _timedOut.Value = true;

    /// <summary>A fresh deadline of the same timeoutMS (iteration mode's next call, a cursor's close).</summary>
    public OperationContext Restart(CancellationToken cancellationToken, bool omitMaxTime) => Start(Timeout, cancellationToken, omitMaxTime);

    /// <summary>Throws the timeout error when the deadline has passed (checked before each blocking step).</summary>
    public void ThrowIfExpired(string what)
    {
        if (IsTimeoutSet && Deadline.HasExpired)
        {
            throw new MongoOperationTimeoutException("The operation exceeded timeoutMS (" + Describe(Timeout) + ") " + what + ".");
        }
    }

    /// <summary>timeoutMS for messages.</summary>
    internal static string Describe(TimeSpan? timeout) =>
        timeout is not { } t ? "unset" : t == System.Threading.Timeout.InfiniteTimeSpan ? "0 (infinite)" : ((long)t.TotalMilliseconds).ToString(System.Globalization.CultureInfo.InvariantCulture) + " ms";

    private static long NextOperationId() => Interlocked.Increment(ref s_lastOperationId);
}
