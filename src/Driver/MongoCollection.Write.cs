using Mongo.Bson;
using Mongo.Driver.Operations;
using Mongo.Driver.Util;

namespace Mongo.Driver;

public sealed partial class MongoCollection<TDocument>
{
    /// <summary>Inserts a document; an ObjectId <c>_id</c> is generated (as the first field) when it has none.</summary>
    /// <exception cref="MongoDuplicateKeyException">A unique index already holds the key.</exception>
    /// <exception cref="MongoWriteException">The server rejected the document.</exception>
    public InsertOneResult InsertOne(TDocument document, InsertOneOptions? options = null, CancellationToken cancellationToken = default) =>
        InsertOneCore(async: false, document, options, cancellationToken).GetAwaiter().GetResult();

    /// <summary>Inserts a document; an ObjectId <c>_id</c> is generated (as the first field) when it has none.</summary>
    /// <exception cref="MongoDuplicateKeyException">A unique index already holds the key.</exception>
    /// <exception cref="MongoWriteException">The server rejected the document.</exception>
    public Task<InsertOneResult> InsertOneAsync(TDocument document, InsertOneOptions? options = null, CancellationToken cancellationToken = default) =>
        InsertOneCore(async: true, document, options, cancellationToken).AsTask();

    /// <summary>Inserts documents in batches the server accepts; ordered (default) stops at the first error.</summary>
    /// <exception cref="MongoBulkWriteException">Some documents were rejected; it lists them by index.</exception>
    public InsertManyResult InsertMany(IEnumerable<TDocument> documents, InsertManyOptions? options = null, CancellationToken cancellationToken = default) =>
        InsertManyCore(async: false, documents, options, cancellationToken).GetAwaiter().GetResult();

    /// <summary>Inserts documents in batches the server accepts; ordered (default) stops at the first error.</summary>
    /// <exception cref="MongoBulkWriteException">Some documents were rejected; it lists them by index.</exception>
    public Task<InsertManyResult> InsertManyAsync(IEnumerable<TDocument> documents, InsertManyOptions? options = null, CancellationToken cancellationToken = default) =>
        InsertManyCore(async: true, documents, options, cancellationToken).AsTask();

    /// <summary>Updates the first document matching the filter.</summary>
    public UpdateResult UpdateOne(FilterDefinition filter, UpdateDefinition update, UpdateOptions? options = null, CancellationToken cancellationToken = default) =>
        UpdateCore(async: false, filter, update, multi: false, options, cancellationToken).GetAwaiter().GetResult();

    /// <summary>Updates the first document matching the filter.</summary>
    public Task<UpdateResult> UpdateOneAsync(FilterDefinition filter, UpdateDefinition update, UpdateOptions? options = null, CancellationToken cancellationToken = default) =>
        UpdateCore(async: true, filter, update, multi: false, options, cancellationToken).AsTask();

    /// <summary>Updates every document matching the filter.</summary>
    public UpdateResult UpdateMany(FilterDefinition filter, UpdateDefinition update, UpdateOptions? options = null, CancellationToken cancellationToken = default) =>
        UpdateCore(async: false, filter, update, multi: true, options, cancellationToken).GetAwaiter().GetResult();

    /// <summary>Updates every document matching the filter.</summary>
    public Task<UpdateResult> UpdateManyAsync(FilterDefinition filter, UpdateDefinition update, UpdateOptions? options = null, CancellationToken cancellationToken = default) =>
        UpdateCore(async: true, filter, update, multi: true, options, cancellationToken).AsTask();

    /// <summary>Replaces the first document matching the filter.</summary>
    public UpdateResult ReplaceOne(FilterDefinition filter, TDocument replacement, UpdateOptions? options = null, CancellationToken cancellationToken = default) =>
        ReplaceCore(async: false, filter, replacement, options, cancellationToken).GetAwaiter().GetResult();

    /// <summary>Replaces the first document matching the filter.</summary>
    public Task<UpdateResult> ReplaceOneAsync(FilterDefinition filter, TDocument replacement, UpdateOptions? options = null, CancellationToken cancellationToken = default) =>
        ReplaceCore(async: true, filter, replacement, options, cancellationToken).AsTask();

    /// <summary>Deletes the first document matching the filter.</summary>
    public DeleteResult DeleteOne(FilterDefinition filter, DeleteOptions? options = null, CancellationToken cancellationToken = default) =>
        DeleteCore(async: false, filter, limit: 1, options, cancellationToken).GetAwaiter().GetResult();

    /// <summary>Deletes the first document matching the filter.</summary>
    public Task<DeleteResult> DeleteOneAsync(FilterDefinition filter, DeleteOptions? options = null, CancellationToken cancellationToken = default) =>
        DeleteCore(async: true, filter, limit: 1, options, cancellationToken).AsTask();

    /// <summary>Deletes every document matching the filter.</summary>
    public DeleteResult DeleteMany(FilterDefinition filter, DeleteOptions? options = null, CancellationToken cancellationToken = default) =>
        DeleteCore(async: false, filter, limit: 0, options, cancellationToken).GetAwaiter().GetResult();

    /// <summary>Deletes every document matching the filter.</summary>
    public Task<DeleteResult> DeleteManyAsync(FilterDefinition filter, DeleteOptions? options = null, CancellationToken cancellationToken = default) =>
        DeleteCore(async: true, filter, limit: 0, options, cancellationToken).AsTask();

    /// <summary>Runs inserts, updates, replaces and deletes in as few round trips as the server's limits allow.</summary>
    /// <exception cref="MongoBulkWriteException">Some requests were rejected: every error with its request index, and the partial result.</exception>
    public BulkWriteResult BulkWrite(IEnumerable<WriteModel<TDocument>> requests, BulkWriteOptions? options = null, CancellationToken cancellationToken = default) =>
        BulkWriteCore(async: false, requests, options, cancellationToken).GetAwaiter().GetResult();

    /// <summary>Runs inserts, updates, replaces and deletes in as few round trips as the server's limits allow.</summary>
    /// <exception cref="MongoBulkWriteException">Some requests were rejected: every error with its request index, and the partial result.</exception>
    public Task<BulkWriteResult> BulkWriteAsync(IEnumerable<WriteModel<TDocument>> requests, BulkWriteOptions? options = null, CancellationToken cancellationToken = default) =>
        BulkWriteCore(async: true, requests, options, cancellationToken).AsTask();

    private async ValueTask<InsertOneResult> InsertOneCore(bool async, TDocument document, InsertOneOptions? options, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(document);
        using var encoder = new InsertEncoder<TDocument>(_codec);
        int slot = encoder.Add(document, out var id);
        var result = await RunSingleWrite(async, new WriteRequest(WriteKind.Insert, encoder.Get(slot), 0, id), options, ct).ConfigureAwait(false);
        return new InsertOneResult(id, result.IsAcknowledged);
    }

    private async ValueTask<InsertManyResult> InsertManyCore(bool async, IEnumerable<TDocument> documents, InsertManyOptions? options, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(documents);
        using var encoder = new InsertEncoder<TDocument>(_codec);
        var ids = documents is ICollection<TDocument> known ? new List<BsonValue>(known.Count) : new List<BsonValue>();
        foreach (var document in documents)
        {
            if (document is null)
            {
                throw new ArgumentException("InsertMany's documents must not contain null (index " + ids.Count.ToString(System.Globalization.CultureInfo.InvariantCulture) + ").", nameof(documents));
            }

            encoder.Add(document, out var id);
            ids.Add(id);
        }

        if (ids.Count == 0)
        {
            throw new ArgumentException("InsertMany needs at least one document.", nameof(documents));
        }

        // Slices only once every document is encoded: the shared buffer moves while it grows.
        var requests = new List<WriteRequest>(ids.Count);
        for (int i = 0; i < ids.Count; i++)
        {
            requests.Add(new WriteRequest(WriteKind.Insert, encoder.Get(i), i, ids[i]));
        }

        var operation = new BulkWriteOperation(DatabaseName, CollectionName, requests, options?.IsOrdered ?? true, options?.WriteConcern ?? WriteConcern, options);
        var result = await operation.ExecuteAsync(async, Executor, ct).ConfigureAwait(false);
        return new InsertManyResult(ids, result.IsAcknowledged);
    }

    private async ValueTask<UpdateResult> UpdateCore(bool async, FilterDefinition filter, UpdateDefinition update, bool multi, UpdateOptions? options, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(filter);
        ValidateUpdate(update);
        if (multi && options?.Sort is not null)
        {
            throw new ArgumentException("UpdateMany does not support a sort.", nameof(options));
        }

        var statement = UpdateStatement(filter, update.Render(), multi, options?.IsUpsert ?? false, options?.Collation, options?.ArrayFilters, options?.Hint, options?.Sort);
        var result = await RunSingleWrite(async, new WriteRequest(WriteKind.Update, statement, 0, null), options, ct).ConfigureAwait(false);
        return ToUpdateResult(result);
    }

    private async ValueTask<UpdateResult> ReplaceCore(bool async, FilterDefinition filter, TDocument replacement, UpdateOptions? options, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(filter);
        ArgumentNullException.ThrowIfNull(replacement);
        if (options?.ArrayFilters is not null)
        {
            throw new ArgumentException("ReplaceOne does not support array filters.", nameof(options));
        }

        var statement = UpdateStatement(filter, ReplacementDocument(replacement), false, options?.IsUpsert ?? false, options?.Collation, null, options?.Hint, options?.Sort);
        var result = await RunSingleWrite(async, new WriteRequest(WriteKind.Update, statement, 0, null), options, ct).ConfigureAwait(false);
        return ToUpdateResult(result);
    }

    private async ValueTask<DeleteResult> DeleteCore(bool async, FilterDefinition filter, int limit, DeleteOptions? options, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var statement = DeleteStatement(filter, limit, options?.Collation, options?.Hint);
        var result = await RunSingleWrite(async, new WriteRequest(WriteKind.Delete, statement, 0, null), options, ct).ConfigureAwait(false);
        return new DeleteResult(result.DeletedCount, result.IsAcknowledged);
    }

    private async ValueTask<BulkWriteResult> BulkWriteCore(bool async, IEnumerable<WriteModel<TDocument>> models, BulkWriteOptions? options, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(models);
        using var encoder = new InsertEncoder<TDocument>(_codec);
        var requests = new List<WriteRequest>();
        List<(int Request, int Slot)>? inserts = null;
        foreach (var model in models)
        {
            int index = requests.Count;
            requests.Add(model switch
            {
                InsertOneModel<TDocument> insert => InsertRequest(encoder, insert, index, ref inserts),
                UpdateOneModel<TDocument> update => Validated(update.Update, new WriteRequest(WriteKind.Update, UpdateStatement(update.Filter, update.Update.Render(), false, update.IsUpsert, update.Collation, update.ArrayFilters, update.Hint, update.Sort), index, null)),
                UpdateManyModel<TDocument> update => Validated(update.Update, new WriteRequest(WriteKind.Update, UpdateStatement(update.Filter, update.Update.Render(), true, update.IsUpsert, update.Collation, update.ArrayFilters, update.Hint, null), index, null)),
                ReplaceOneModel<TDocument> replace => new WriteRequest(WriteKind.Update, UpdateStatement(replace.Filter, ReplacementDocument(replace.Replacement), false, replace.IsUpsert, replace.Collation, null, replace.Hint, replace.Sort), index, null),
                DeleteOneModel<TDocument> delete => new WriteRequest(WriteKind.Delete, DeleteStatement(delete.Filter, 1, delete.Collation, delete.Hint), index, null),
                DeleteManyModel<TDocument> delete => new WriteRequest(WriteKind.Delete, DeleteStatement(delete.Filter, 0, delete.Collation, delete.Hint), index, null),
                null => throw new ArgumentException("BulkWrite's requests must not contain null.", nameof(models)),
                _ => throw new ArgumentException("Unknown write model " + model.GetType().Name + ".", nameof(models)),
            });
        }

        if (requests.Count == 0)
        {
            throw new ArgumentException("BulkWrite needs at least one request.", nameof(models));
        }

        // Inserts get their bytes only once every document is encoded: the shared buffer moves while it grows.
        if (inserts is not null)
        {
            foreach (var (request, slot) in inserts)
            {
                requests[request] = requests[request] with { Statement = encoder.Get(slot) };
            }
        }

        var operation = new BulkWriteOperation(DatabaseName, CollectionName, requests, options?.IsOrdered ?? true, options?.WriteConcern ?? WriteConcern, options);
        return await operation.ExecuteAsync(async, Executor, ct).ConfigureAwait(false);
    }

    private static WriteRequest InsertRequest(InsertEncoder<TDocument> encoder, InsertOneModel<TDocument> insert, int index, ref List<(int Request, int Slot)>? inserts)
    {
        int slot = encoder.Add(insert.Document ?? throw new ArgumentException("An InsertOneModel's document must not be null."), out var id);
        (inserts ??= []).Add((index, slot));
        return new WriteRequest(WriteKind.Insert, default, index, id);
    }

    private static WriteRequest Validated(UpdateDefinition update, WriteRequest request)
    {
        ValidateUpdate(update);
        return request;
    }

    /// <summary>Runs one write and turns a bulk failure into the single-write exception the caller expects.</summary>
    private async ValueTask<BulkWriteResult> RunSingleWrite(bool async, WriteRequest request, WriteOptionsBase? options, CancellationToken ct)
    {
        var operation = new BulkWriteOperation(DatabaseName, CollectionName, [request], ordered: true, options?.WriteConcern ?? WriteConcern, options);
        try
        {
            return await operation.ExecuteAsync(async, Executor, ct).ConfigureAwait(false);
        }
        catch (MongoBulkWriteException ex) when (ex.WriteErrors.Count > 0)
        {
            throw MongoWriteException.Create(ex.WriteErrors[0], ex.WriteConcernError);
        }
        catch (MongoBulkWriteException ex) when (ex.WriteConcernError is not null)
        {
            throw new MongoWriteConcernException(ex.WriteConcernError, null);
        }
    }

    private static UpdateResult ToUpdateResult(BulkWriteResult result) =>
        new(result.MatchedCount, result.ModifiedCount, result.Upserts.Count > 0 ? result.Upserts[0].Id : null, result.IsAcknowledged);

    private static byte[] UpdateStatement(FilterDefinition filter, BsonValue update, bool multi, bool upsert, BsonDocument? collation, IReadOnlyList<BsonDocument>? arrayFilters, BsonValue? hint, SortDefinition? sort)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var statement = new BsonDocument { { "q", filter.Render() }, { "u", update } };
        if (upsert)
        {
            statement.Add("upsert", true);
        }

        if (multi)
        {
            statement.Add("multi", true);
        }

        statement.AddIf("collation", collation);
        if (arrayFilters is not null)
        {
            statement.Add("arrayFilters", Commands.ToArray(arrayFilters));
        }

        statement.AddIf("hint", hint);
        if (sort is not null)
        {
            statement.Add("sort", sort.Render());
        }

        return statement.ToBytes();
    }

    private static byte[] DeleteStatement(FilterDefinition filter, int limit, BsonDocument? collation, BsonValue? hint)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var statement = new BsonDocument { { "q", filter.Render() }, { "limit", limit } };
        statement.AddIf("collation", collation);
        statement.AddIf("hint", hint);
        return statement.ToBytes();
    }
}
