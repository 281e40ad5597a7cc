namespace Mongo.Driver;

/// <summary>Options of one <see cref="MongoSession.AbortTransaction(AbortTransactionOptions?, CancellationToken)"/> call.</summary>
public sealed class AbortTransactionOptions
{
    private readonly TimeSpan? _timeout;

    /// <summary>
    /// The <c>timeoutMS</c> of this abort, its retry included (client-side operations timeout spec). Null: the transaction's
    /// <see cref="TransactionOptions.Timeout"/>, else the session's, else the client's. Zero or
    /// <see cref="System.Threading.Timeout.InfiniteTimeSpan"/>: no limit.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">Negative.</exception>
    public TimeSpan? Timeout
    {
        get => _timeout;
        init => _timeout = value is { } t ? Operations.OperationTimeouts.Validate(t) : null;
    }
}
