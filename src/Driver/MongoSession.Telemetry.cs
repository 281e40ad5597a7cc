using System.Diagnostics;
using Mongo.Driver.Diagnostics;

namespace Mongo.Driver;

/// <summary>
/// The <c>transaction</c> span (MongoDB OpenTelemetry specification): open from <see cref="StartTransaction"/> to the end of
/// the commit or abort, with the transaction's operations under it. A transaction the application never ends still ends its
/// span: when the session is disposed (the driver aborts the transaction then), or, for a session never disposed, after
/// <see cref="AbandonedTransactionLimit"/>; an Activity never stopped is never exported, and its children point at a
/// parent no backend receives.
/// </summary>
public sealed partial class MongoSession
{
    private Activity? _transactionSpan; // telemetry only; null when nothing traces or no transaction is open
    private Timer? _transactionSpanLimit;

    /// <summary>
    /// How long a transaction span may stay open before it is ended as abandoned: far beyond the server's own limit on a
    /// transaction's life (transactionLifetimeLimitSeconds, 60 seconds by default), after which the server has aborted it.
    /// Settable for tests.
    /// </summary>
    internal static TimeSpan AbandonedTransactionLimit { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>The open transaction's span (null when nothing traces or no transaction is open).</summary>
    internal Activity? TransactionSpan => Volatile.Read(ref _transactionSpan);

    private void StartTransactionSpan()
    {
        EndTransactionSpan();
        Activity? span = OperationTelemetry.StartGrouping("transaction", Client.Executor.Tracing);
        if (span is null)
        {
            return;
        }

        _transactionSpan = span;

        // The timer must not capture the application's execution context (its activities) for the minutes it waits.
        bool suppress = !ExecutionContext.IsFlowSuppressed();
        AsyncFlowControl? flow = suppress ? ExecutionContext.SuppressFlow() : null;
        try
        {
            _transactionSpanLimit = new Timer(static state => ((MongoSession)state!).EndAbandonedTransactionSpan(), this, AbandonedTransactionLimit, System.Threading.Timeout.InfiniteTimeSpan);
        }
        finally
        {
            flow?.Undo();
        }
    }

    /// <summary>Ends the transaction's span, if one is open (commit, abort, a new transaction). Safe against the limit's timer.</summary>
    private void EndTransactionSpan()
    {
        Activity? span = Interlocked.Exchange(ref _transactionSpan, null);
        Interlocked.Exchange(ref _transactionSpanLimit, null)?.Dispose();
        if (span is not null)
        {
            OperationTelemetry.StopGrouping(span);
        }
    }

    /// <summary>
    /// Marks the open transaction's span as abandoned by the application: an event <c>mongodb.transaction.abandoned</c>, an
    /// error status and <c>error.type</c> <c>abandoned</c> (the transaction did not commit, and the application did not say so).
    /// </summary>
    private void MarkTransactionSpanAbandoned(string description)
    {
        if (Volatile.Read(ref _transactionSpan) is { IsAllDataRequested: true } span)
        {
            span.AddEvent(new ActivityEvent("mongodb.transaction.abandoned"));
            span.SetStatus(ActivityStatusCode.Error, description);
            span.SetTag("error.type", "abandoned");
        }
    }

    private void EndAbandonedTransactionSpan()
    {
        MarkTransactionSpanAbandoned("The transaction was neither committed, aborted nor its session disposed within " + AbandonedTransactionLimit + ".");
        EndTransactionSpan();
    }
}
