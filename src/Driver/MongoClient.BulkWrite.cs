using Mongo.Driver.Operations;

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
        BulkWriteCore(async: false, models, options, cancellationToken).GetAwaiter().GetResult();

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
        BulkWriteCore(async: true, models, options, cancellationToken).AsTask();

    private ValueTask<ClientBulkWriteResult> BulkWriteCore(bool async, IReadOnlyList<ClientBulkWriteModel> models, ClientBulkWriteOptions? options, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(models);
        options ??= s_defaultBulkWriteOptions;
        return new ClientBulkWriteOperation(models, options, options.WriteConcern ?? WriteConcern, SerializerRegistry, Settings.SerializerContext).ExecuteAsync(async, Executor, ct);
    }

    private static readonly ClientBulkWriteOptions s_defaultBulkWriteOptions = new();
}
