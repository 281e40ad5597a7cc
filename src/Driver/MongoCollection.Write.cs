using Mongo.Bson;
using Mongo.Driver.Operations;
using Mongo.Driver.Sessions;
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
    /// <exception cref="MongoException">A batch failed as a whole (network, command, timeout error): <see cref="MongoException.PartialBulkWriteResult"/> says which documents are known inserted.</exception>
    public InsertManyResult InsertMany(IEnumerable<TDocument> documents, InsertManyOptions? options = null, CancellationToken cancellationToken = default) =>
        InsertManyCore(async: false, documents, options, cancellationToken).GetAwaiter().GetResult();

    /// <summary>Inserts documents in batches the server accepts; ordered (default) stops at the first error.</summary>
    /// <exception cref="MongoBulkWriteException">Some documents were rejected; it lists them by index.</exception>
    /// <exception cref="MongoException">A batch failed as a whole (network, command, timeout error): <see cref="MongoException.PartialBulkWriteResult"/> says which documents are known inserted.</exception>
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
    /// <exception cref="MongoException">A batch failed as a whole (network, command, timeout error): <see cref="MongoException.PartialBulkWriteResult"/> holds what is known applied.</exception>
    public BulkWriteResult BulkWrite(IEnumerable<WriteModel<TDocument>> requests, BulkWriteOptions? options = null, CancellationToken cancellationToken = default) =>
        BulkWriteCore(async: false, requests, options, cancellationToken).GetAwaiter().GetResult();

    /// <summary>Runs inserts, updates, replaces and deletes in as few round trips as the server's limits allow.</summary>
    /// <exception cref="MongoBulkWriteException">Some requests were rejected: every error with its request index, and the partial result.</exception>
    /// <exception cref="MongoException">A batch failed as a whole (network, command, timeout error): <see cref="MongoException.PartialBulkWriteResult"/> holds what is known applied.</exception>
    public Task<BulkWriteResult> BulkWriteAsync(IEnumerable<WriteModel<TDocument>> requests, BulkWriteOptions? options = null, CancellationToken cancellationToken = default) =>
        BulkWriteCore(async: true, requests, options, cancellationToken).AsTask();

    private async ValueTask<InsertOneResult> InsertOneCore(bool async, TDocument document, InsertOneOptions? options, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(document);
        using var encoder = new InsertEncoder<TDocument>(_codec, 1);
        encoder.Add(document, out var id);
        var result = await RunSingleWrite(async, encoder, options, ct).ConfigureAwait(false);
        return new InsertOneResult(id, result.IsAcknowledged);
    }

    private async ValueTask<InsertManyResult> InsertManyCore(bool async, IEnumerable<TDocument> documents, InsertManyOptions? options, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(documents);
        using var encoder = new InsertEncoder<TDocument>(_codec, documents.TryGetNonEnumeratedCount(out int known) ? known : 0);
        foreach (var document in documents)
        {
            if (document is null)
            {
                throw new ArgumentException("InsertMany's documents must not contain null (index " + encoder.Count.ToString(System.Globalization.CultureInfo.InvariantCulture) + ").", nameof(documents));
            }

            encoder.Add(document, out _);
        }

        if (encoder.Count == 0)
        {
            throw new ArgumentException("InsertMany needs at least one document.", nameof(documents));
        }

        // Every request is an insert: the encoder is the request list (slot = index).
        var operation = new BulkWriteOperation(DatabaseName, CollectionName, encoder, options?.IsOrdered ?? true, Executor.WriteConcernFor(options?.WriteConcern, WriteConcern), options)
        {
            ReportsPartialResult = true,
        };
        var result = await operation.ExecuteAsync(async, Executor, ct, StartOperation(ct)).ConfigureAwait(false);
        return new InsertManyResult(encoder.Ids, result.IsAcknowledged);
    }

    private async ValueTask<UpdateResult> UpdateCore(bool async, FilterDefinition filter, UpdateDefinition update, bool multi, UpdateOptions? options, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var rendered = RenderUpdate(update);
        if (multi && options?.Sort is not null)
        {
            throw new ArgumentException("UpdateMany does not support a sort.", nameof(options));
        }

        var statement = UpdateStatement(filter, rendered, multi, options?.IsUpsert ?? false, options?.Collation, options?.ArrayFilters, options?.Hint, options?.Sort);
        var result = await RunSingleWrite(async, new SingleWriteRequest(WriteKind.Update, statement, multi), options, ct).ConfigureAwait(false);
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
        var result = await RunSingleWrite(async, new SingleWriteRequest(WriteKind.Update, statement), options, ct).ConfigureAwait(false);
        return ToUpdateResult(result);
    }

    private async ValueTask<DeleteResult> DeleteCore(bool async, FilterDefinition filter, int limit, DeleteOptions? options, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var statement = DeleteStatement(filter, limit, options?.Collation, options?.Hint);
        var result = await RunSingleWrite(async, new SingleWriteRequest(WriteKind.Delete, statement, multi: limit != 1), options, ct).ConfigureAwait(false);
        return new DeleteResult(result.DeletedCount, result.IsAcknowledged);
    }

    private async ValueTask<BulkWriteResult> BulkWriteCore(bool async, IEnumerable<WriteModel<TDocument>> models, BulkWriteOptions? options, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(models);
        int expected = models.TryGetNonEnumeratedCount(out int known) ? known : 0;
        using var encoder = new InsertEncoder<TDocument>(_codec, expected);
        var requests = new MixedWriteRequests(encoder, expected);
        foreach (var model in models)
        {
            switch (model)
            {
                case InsertOneModel<TDocument> insert:
                    requests.AddInsert(encoder.Add(insert.Document ?? throw new ArgumentException("An InsertOneModel's document must not be null."), out _));
                    break;
                case UpdateOneModel<TDocument> update:
                    requests.Add(WriteKind.Update, (UpdateStatement(update.Filter, RenderUpdate(update.Update), false, update.IsUpsert, update.Collation, update.ArrayFilters, update.Hint, update.Sort)));
                    break;
                case UpdateManyModel<TDocument> update:
                    requests.Add(WriteKind.Update, (UpdateStatement(update.Filter, RenderUpdate(update.Update), true, update.IsUpsert, update.Collation, update.ArrayFilters, update.Hint, null)), multi: true);
                    break;
                case ReplaceOneModel<TDocument> replace:
                    requests.Add(WriteKind.Update, UpdateStatement(replace.Filter, ReplacementDocument(replace.Replacement), false, replace.IsUpsert, replace.Collation, null, replace.Hint, replace.Sort));
                    break;
                case DeleteOneModel<TDocument> delete:
                    requests.Add(WriteKind.Delete, DeleteStatement(delete.Filter, 1, delete.Collation, delete.Hint));
                    break;
                case DeleteManyModel<TDocument> delete:
                    requests.Add(WriteKind.Delete, DeleteStatement(delete.Filter, 0, delete.Collation, delete.Hint), multi: true);
                    break;
                case null:
                    throw new ArgumentException("BulkWrite's requests must not contain null.", nameof(models));
                default:
                    throw new ArgumentException("Unknown write model " + model.GetType().Name + ".", nameof(models));
            }
        }

        if (requests.Count == 0)
        {
            throw new ArgumentException("BulkWrite needs at least one request.", nameof(models));
        }

        var operation = new BulkWriteOperation(DatabaseName, CollectionName, requests, options?.IsOrdered ?? true, Executor.WriteConcernFor(options?.WriteConcern, WriteConcern), options)
        {
            ReportsPartialResult = true,
        };
        return await operation.ExecuteAsync(async, Executor, ct, StartOperation(ct)).ConfigureAwait(false);
    }

    /// <summary>Runs one write and turns a bulk failure into the single-write exception the caller expects.</summary>
    private async ValueTask<BulkWriteResult> RunSingleWrite(bool async, WriteRequestList request, WriteOptionsBase? options, CancellationToken ct)
    {
        var operation = new BulkWriteOperation(DatabaseName, CollectionName, request, ordered: true, Executor.WriteConcernFor(options?.WriteConcern, WriteConcern), options);
        try
        {
            return await operation.ExecuteAsync(async, Executor, ct, StartOperation(ct)).ConfigureAwait(false);
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

    private byte[] UpdateStatement(FilterDefinition filter, BsonValue update, bool multi, bool upsert, BsonDocument? collation, IReadOnlyList<BsonDocument>? arrayFilters, BsonValue? hint, SortDefinition? sort)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var statement = new BsonDocument { { "q", filter.Render(TypeResolver) }, { "u", update } };
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
            statement.Add("sort", sort.Render(TypeResolver));
        }

        return statement.ToBytes();
    }

    private byte[] DeleteStatement(FilterDefinition filter, int limit, BsonDocument? collation, BsonValue? hint)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var statement = new BsonDocument { { "q", filter.Render(TypeResolver) }, { "limit", limit } };
        statement.AddIf("collation", collation);
        statement.AddIf("hint", hint);
        return statement.ToBytes();
    }
}
