namespace Mongo.Driver;

/// <summary>
/// Options of one transaction (<see cref="MongoSession.StartTransaction"/>, <see cref="MongoSession.WithTransaction{TResult}"/>).
/// Every option left null is taken from the session's <see cref="SessionOptions.DefaultTransactionOptions"/>, then from the
/// client (<see cref="MongoClient.ReadConcern"/>, <see cref="MongoClient.WriteConcern"/>, <see cref="MongoClient.ReadPreference"/>).
/// </summary>
public sealed class TransactionOptions
{
    private readonly TimeSpan? _maxCommitTime;
    private readonly TimeSpan? _timeout;

    /// <summary>
    /// The read concern of the transaction, sent with its first command only (the one that starts it on the server).
    /// Operations inside the transaction cannot set their own.
    /// </summary>
    public ReadConcern? ReadConcern { get; init; }

    /// <summary>
    /// The write concern of <c>commitTransaction</c> and <c>abortTransaction</c>; the transaction's other commands carry none
    /// (the write concern of collections and databases is ignored inside a transaction). Must be acknowledged.
    /// </summary>
    public WriteConcern? WriteConcern { get; init; }

    /// <summary>The read preference of the transaction's reads; a transaction can only read from the primary, so any other mode fails its reads.</summary>
    public ReadPreference? ReadPreference { get; init; }

    /// <summary>
    /// The <c>timeoutMS</c> of the transaction (client-side operations timeout spec): with
    /// <see cref="MongoSession.WithTransaction{TResult}"/>, one deadline for the whole call (callback, retries and commit);
    /// with <see cref="MongoSession.StartTransaction"/>, the timeout of its <c>CommitTransaction</c> and <c>AbortTransaction</c>
    /// (each call may still give its own). Null: the session's <see cref="SessionOptions.DefaultTimeout"/>, else the client's.
    /// Zero or <see cref="System.Threading.Timeout.InfiniteTimeSpan"/>: no limit.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">Negative.</exception>
    public TimeSpan? Timeout
    {
        get => _timeout;
        init => _timeout = value is { } t ? Operations.OperationTimeouts.Validate(t) : null;
    }

    /// <summary>How long one <c>commitTransaction</c> may run on the server (sent as its <c>maxTimeMS</c>); null sends none.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Zero or negative.</exception>
    public TimeSpan? MaxCommitTime
    {
        get => _maxCommitTime;
        init => _maxCommitTime = value is { } t && t <= TimeSpan.Zero
            ? throw new ArgumentOutOfRangeException(nameof(MaxCommitTime), t, "MaxCommitTime must be positive.")
            : value;
    }
}
