using Mongo.Driver.Operations;
using Mongo.Driver.Sessions;

namespace Mongo.Driver;

public sealed partial class MongoClient
{
    /// <summary>
    /// Runs inserts, updates, replaces and deletes against any number of collections and databases with the server's
    /// <c>bulkWrite</c> command (MongoDB 8.0+), in as few round trips as the server's size limits allow.
    /// </summary>
    /// <param name="models">The writes, each naming its collection; at least one.</param>
    /// <param name="options">Ordering, write concern, verbose results and the other options.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The counts, and with <see cref="ClientBulkWriteOptions.VerboseResults"/> one result per successful write.</returns>
    /// <exception cref="ArgumentException">No models, or an unacknowledged write concern with ordered writes or verbose results, or an invalid update/replacement document.</exception>
    /// <exception cref="ClientBulkWriteException">Some writes failed, the write concern was not satisfied, or an error stopped the writes after some had been reported.</exception>
    /// <exception cref="MongoException">An error stopped the operation before any write was reported (e.g. a <see cref="MongoCommandException"/> with the server's reply).</exception>
    public ClientBulkWriteResult BulkWrite(IReadOnlyList<ClientBulkWriteModel> models, ClientBulkWriteOptions? options = null, CancellationToken cancellationToken = default) =>
        BulkWriteCore(async: false, Executor, models, options, cancellationToken).GetAwaiter().GetResult();

    /// <summary>
    /// Runs inserts, updates, replaces and deletes against any number of collections and databases with the server's
    /// <c>bulkWrite</c> command (MongoDB 8.0+), in as few round trips as the server's size limits allow.
    /// </summary>
    /// <param name="models">The writes, each naming its collection; at least one.</param>
    /// <param name="options">Ordering, write concern, verbose results and the other options.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The counts, and with <see cref="ClientBulkWriteOptions.VerboseResults"/> one result per successful write.</returns>
    /// <exception cref="ArgumentException">No models, or an unacknowledged write concern with ordered writes or verbose results, or an invalid update/replacement document.</exception>
    /// <exception cref="ClientBulkWriteException">Some writes failed, the write concern was not satisfied, or an error stopped the writes after some had been reported.</exception>
    /// <exception cref="MongoException">An error stopped the operation before any write was reported (e.g. a <see cref="MongoCommandException"/> with the server's reply).</exception>
    public Task<ClientBulkWriteResult> BulkWriteAsync(IReadOnlyList<ClientBulkWriteModel> models, ClientBulkWriteOptions? options = null, CancellationToken cancellationToken = default) =>
        BulkWriteCore(async: true, Executor, models, options, cancellationToken).AsTask();

    /// <summary>
    /// Runs inserts, updates, replaces and deletes against any number of collections and databases with the server's
    /// <c>bulkWrite</c> command (MongoDB 8.0+), in <paramref name="session"/> (and in its transaction, if one is open).
    /// </summary>
    /// <param name="session">The explicit session (of this client) the commands carry.</param>
    /// <param name="models">The writes, each naming its collection; at least one.</param>
    /// <param name="options">Ordering, write concern (not allowed inside a transaction), verbose results and the other options.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The counts, and with <see cref="ClientBulkWriteOptions.VerboseResults"/> one result per successful write.</returns>
    /// <exception cref="MongoClientException">The session belongs to another client, or options set a write concern inside a transaction.</exception>
    /// <exception cref="ArgumentException">No models, or an unacknowledged write concern with ordered writes or verbose results, or an invalid update/replacement document.</exception>
    /// <exception cref="ClientBulkWriteException">Some writes failed, the write concern was not satisfied, or an error stopped the writes after some had been reported.</exception>
    /// <exception cref="MongoException">An error stopped the operation before any write was reported.</exception>
    public ClientBulkWriteResult BulkWrite(MongoSession session, IReadOnlyList<ClientBulkWriteModel> models, ClientBulkWriteOptions? options = null, CancellationToken cancellationToken = default) =>
        BulkWriteCore(async: false, SessionExecutor(session), models, options, cancellationToken).GetAwaiter().GetResult();

    /// <inheritdoc cref="BulkWrite(MongoSession, IReadOnlyList{ClientBulkWriteModel}, ClientBulkWriteOptions?, CancellationToken)"/>
    public Task<ClientBulkWriteResult> BulkWriteAsync(MongoSession session, IReadOnlyList<ClientBulkWriteModel> models, ClientBulkWriteOptions? options = null, CancellationToken cancellationToken = default) =>
        BulkWriteCore(async: true, SessionExecutor(session), models, options, cancellationToken).AsTask();

    private ValueTask<ClientBulkWriteResult> BulkWriteCore(bool async, IOperationExecutor executor, IReadOnlyList<ClientBulkWriteModel> models, ClientBulkWriteOptions? options, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(models);
        options ??= s_defaultBulkWriteOptions;
        WriteConcern writeConcern = executor.WriteConcernFor(options.WriteConcern, WriteConcern);
        return new ClientBulkWriteOperation(models, options, writeConcern, SerializerRegistry, Settings.SerializerContext).ExecuteAsync(async, executor, ct, OperationTimeouts.Start(options.Timeout ?? Settings.Timeout, options.Timeout, (executor as Sessions.SessionBoundExecutor)?.Session, ct));
    }

    private IOperationExecutor SessionExecutor(MongoSession session)
    {
        CheckSession(session);
        return session.BoundExecutor;
    }

    private static readonly ClientBulkWriteOptions s_defaultBulkWriteOptions = new();
}
