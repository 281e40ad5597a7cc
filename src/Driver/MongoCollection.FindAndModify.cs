using Mongo.Bson;
using Mongo.Driver.Operations;
using Mongo.Driver.Sessions;
using Mongo.Driver.Util;

namespace Mongo.Driver;

public sealed partial class MongoCollection<TDocument>
{
    /// <summary>Atomically updates the first matching document and returns it (before the update unless <see cref="ReturnDocument.After"/>), or default when none matched.</summary>
    public TDocument? FindOneAndUpdate(FilterDefinition filter, UpdateDefinition update, FindOneAndModifyOptions? options = null, CancellationToken cancellationToken = default) =>
        FindAndModifyCore(async: false, filter, Validated(update), default, remove: false, options, cancellationToken).GetAwaiter().GetResult();

    /// <summary>Atomically updates the first matching document and returns it (before the update unless <see cref="ReturnDocument.After"/>), or default when none matched.</summary>
    public Task<TDocument?> FindOneAndUpdateAsync(FilterDefinition filter, UpdateDefinition update, FindOneAndModifyOptions? options = null, CancellationToken cancellationToken = default) =>
        FindAndModifyCore(async: true, filter, Validated(update), default, remove: false, options, cancellationToken).AsTask();

    /// <summary>Atomically replaces the first matching document and returns it (before the replacement unless <see cref="ReturnDocument.After"/>), or default.</summary>
    public TDocument? FindOneAndReplace(FilterDefinition filter, TDocument replacement, FindOneAndModifyOptions? options = null, CancellationToken cancellationToken = default) =>
        FindAndModifyCore(async: false, filter, null, replacement, remove: false, options, cancellationToken).GetAwaiter().GetResult();

    /// <summary>Atomically replaces the first matching document and returns it (before the replacement unless <see cref="ReturnDocument.After"/>), or default.</summary>
    public Task<TDocument?> FindOneAndReplaceAsync(FilterDefinition filter, TDocument replacement, FindOneAndModifyOptions? options = null, CancellationToken cancellationToken = default) =>
        FindAndModifyCore(async: true, filter, null, replacement, remove: false, options, cancellationToken).AsTask();

    /// <summary>Atomically deletes the first matching document and returns it, or default when none matched.</summary>
    public TDocument? FindOneAndDelete(FilterDefinition filter, FindOneAndModifyOptions? options = null, CancellationToken cancellationToken = default) =>
        FindAndModifyCore(async: false, filter, null, default, remove: true, options, cancellationToken).GetAwaiter().GetResult();

    /// <summary>Atomically deletes the first matching document and returns it, or default when none matched.</summary>
    public Task<TDocument?> FindOneAndDeleteAsync(FilterDefinition filter, FindOneAndModifyOptions? options = null, CancellationToken cancellationToken = default) =>
        FindAndModifyCore(async: true, filter, null, default, remove: true, options, cancellationToken).AsTask();

    // The update is rendered (and its shape checked) in the core, with the collection's models.
    private static UpdateDefinition Validated(UpdateDefinition update) => update ?? throw new ArgumentNullException(nameof(update));

    private async ValueTask<TDocument?> FindAndModifyCore(bool async, FilterDefinition filter, UpdateDefinition? update, TDocument? replacement, bool remove, FindOneAndModifyOptions? options, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var body = new BsonDocument { { "findAndModify", CollectionName }, { "query", filter.Render(TypeResolver) } };
        if (options?.Sort is not null)
        {
            body.Add("sort", options.Sort.Render(TypeResolver));
        }

        if (remove)
        {
            body.Add("remove", true);
        }
        else
        {
            body.Add("update", update is not null ? RenderUpdate(update) : ReplacementDocument(replacement ?? throw new ArgumentNullException(nameof(replacement))));
            if (options?.ReturnDocument == ReturnDocument.After)
            {
                body.Add("new", true);
            }

            if (options?.IsUpsert == true)
            {
                body.Add("upsert", true);
            }
        }

        if (options is not null)
        {
            if (options.Projection is not null)
            {
                body.Add("fields", options.Projection.Render(TypeResolver));
            }

            if (!remove)
            {
                body.AddIf("bypassDocumentValidation", options.BypassDocumentValidation);
            }

            body.AddIf("collation", options.Collation);
            if (options.ArrayFilters is not null)
            {
                if (update is null)
                {
                    throw new ArgumentException("Array filters apply to updates only.", nameof(options));
                }

                body.Add("arrayFilters", Commands.ToArray(options.ArrayFilters));
            }

            body.AddIf("hint", options.Hint);
            body.AddMaxTime(options.MaxTime);
            body.AddIf("comment", options.Comment);
            body.AddIf("let", options.Let);
        }

        var writeConcern = Executor.WriteConcernFor(options?.WriteConcern, WriteConcern);
        body.AddWriteConcern(writeConcern);
        CommandResponse response;
        try
        {
            response = await Executor.ExecuteAsync(async, new WriteCommand(DatabaseName, body, retryable: true, acknowledged: writeConcern.IsAcknowledged) { Context = StartOperation(ct), RawData = options?.RawData == true }, ct).ConfigureAwait(false);
        }
        catch (MongoCommandException ex) when (MongoDuplicateKeyException.IsDuplicateKeyCode(ex.Code))
        {
            // findAndModify reports a duplicate key as ok:0, not as a write error; callers expect the same exception type.
            throw MongoDuplicateKeyException.FromCommandException(ex);
        }
        if (!writeConcern.IsAcknowledged)
        {
            return default;
        }

        if (BsonBytes.TryGetValue(response.Bytes, "writeConcernError", out var wce) && wce is BsonDocument wceDocument)
        {
            throw new MongoWriteConcernException(WriteConcernError.FromDocument(wceDocument, response.Body), response.Body);
        }

        return BsonBytes.TryGetDocument(response.Bytes, "value", out var value) ? _codec.Decode(value) : default;
    }
}
