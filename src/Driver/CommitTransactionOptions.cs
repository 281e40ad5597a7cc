namespace Mongo.Driver;

/// <summary>Options of one <see cref="MongoSession.CommitTransaction(CommitTransactionOptions?, CancellationToken)"/> call.</summary>
public sealed class CommitTransactionOptions
{
    private readonly TimeSpan? _timeout;

    /// <summary>
    /// The <c>timeoutMS</c> of this commit, its retries included (client-side operations timeout spec). Null: the transaction's
    /// <see cref="TransactionOptions.Timeout"/>, else the session's, else the client's. Zero or
    /// <see cref="System.Threading.Timeout.InfiniteTimeSpan"/>: no limit. Inside WithTransaction its one deadline applies instead.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">Negative.</exception>
    public TimeSpan? Timeout
    {
        get => _timeout;
        init => _timeout = value is { } t ? Operations.OperationTimeouts.Validate(t) : null;
    }
}
