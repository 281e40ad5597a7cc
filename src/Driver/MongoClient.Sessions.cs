namespace Mongo.Driver;

public sealed partial class MongoClient
{
    /// <summary>Starts an explicit session; bind it with <see cref="MongoDatabase.WithSession"/> or <see cref="MongoCollection{TDocument}.WithSession"/>.</summary>
    /// <remarks>Nothing is sent: the server session is taken from the pool when the first command runs.</remarks>
    /// <exception cref="MongoClientException"><see cref="SessionOptions.Snapshot"/> together with <see cref="SessionOptions.CausalConsistency"/> = true, or <see cref="SessionOptions.SnapshotTime"/> without <see cref="SessionOptions.Snapshot"/>.</exception>
    public MongoSession StartSession(SessionOptions? options = null, CancellationToken cancellationToken = default) =>
        StartSessionCore(options, cancellationToken);

    /// <summary>Starts an explicit session; bind it with <see cref="MongoDatabase.WithSession"/> or <see cref="MongoCollection{TDocument}.WithSession"/>.</summary>
    /// <remarks>Nothing is sent: the server session is taken from the pool when the first command runs.</remarks>
    /// <exception cref="MongoClientException"><see cref="SessionOptions.Snapshot"/> together with <see cref="SessionOptions.CausalConsistency"/> = true, or <see cref="SessionOptions.SnapshotTime"/> without <see cref="SessionOptions.Snapshot"/>.</exception>
    public Task<MongoSession> StartSessionAsync(SessionOptions? options = null, CancellationToken cancellationToken = default) =>
        Task.FromResult(StartSessionCore(options, cancellationToken));

    private MongoSession StartSessionCore(SessionOptions? options, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        options ??= new SessionOptions();
        if (options.Snapshot && options.CausalConsistency == true)
        {
            throw new MongoClientException("A session cannot be both a snapshot session and causally consistent (snapshot reads are not causally consistent).");
        }

        if (options.SnapshotTime is not null && !options.Snapshot)
        {
            // A snapshot time only means something to a snapshot session; ignoring it would silently read the latest data instead.
            throw new MongoClientException("SessionOptions.SnapshotTime can only be given to a snapshot session (SessionOptions.Snapshot = true).");
        }

        return new MongoSession(this, options, (Executor as Operations.OperationExecutor)?.Sessions);
    }

    /// <summary>Checks that <paramref name="session"/> can be bound to this client's handles.</summary>
    internal void CheckSession(MongoSession session)
    {
        ArgumentNullException.ThrowIfNull(session);
        if (!ReferenceEquals(session.Client, this))
        {
            throw new MongoClientException("The session was started by another MongoClient; a session can only be used with the client that started it.");
        }

        ObjectDisposedException.ThrowIf(session.IsDisposed, session);
    }
}
