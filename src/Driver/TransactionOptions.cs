namespace Mongo.Driver;

/// <summary>
/// Options of one transaction (<see cref="MongoSession.StartTransaction"/>, <see cref="MongoSession.WithTransaction{TResult}"/>).
/// Every option left null is taken from the session's <see cref="SessionOptions.DefaultTransactionOptions"/>, then from the
/// client (<see cref="MongoClient.ReadConcern"/>, <see cref="MongoClient.WriteConcern"/>, <see cref="MongoClient.ReadPreference"/>).
/// </summary>
public sealed class TransactionOptions
{
    private readonly TimeSpan? _maxCommitTime;

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
