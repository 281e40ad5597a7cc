using Mongo.Bson;
using Mongo.Driver.Operations;
using Mongo.Driver.Sessions;
using Mongo.Driver.Util;

namespace Mongo.Driver;

public sealed partial class MongoCollection<TDocument>
{
    /// <summary>Creates an index and returns its name: <c>CreateIndex("x")</c> creates <c>{x: 1}</c> named <c>x_1</c>.</summary>
    public string CreateIndex(IndexKeysDefinition keys, CreateIndexOptions? options = null, CancellationToken cancellationToken = default) =>
        CreateIndexesCore(async: false, [new CreateIndexModel(keys, options)], cancellationToken).GetAwaiter().GetResult()[0];

    /// <summary>Creates an index and returns its name: <c>CreateIndex("x")</c> creates <c>{x: 1}</c> named <c>x_1</c>.</summary>
    public async Task<string> CreateIndexAsync(IndexKeysDefinition keys, CreateIndexOptions? options = null, CancellationToken cancellationToken = default) =>
        (await CreateIndexesCore(async: true, [new CreateIndexModel(keys, options)], cancellationToken).ConfigureAwait(false))[0];

    /// <summary>Creates several indexes in one command and returns their names.</summary>
    public List<string> CreateIndexes(IEnumerable<CreateIndexModel> models, CancellationToken cancellationToken = default) =>
        CreateIndexesCore(async: false, models, cancellationToken).GetAwaiter().GetResult();

    /// <summary>Creates several indexes in one command and returns their names.</summary>
    public Task<List<string>> CreateIndexesAsync(IEnumerable<CreateIndexModel> models, CancellationToken cancellationToken = default) =>
        CreateIndexesCore(async: true, models, cancellationToken).AsTask();

    /// <summary>The collection's index descriptions (<c>{v, key, name, ...}</c>).</summary>
    public List<BsonDocument> ListIndexes(CancellationToken cancellationToken = default) =>
        ListIndexesCore(async: false, cancellationToken).GetAwaiter().GetResult();

    /// <summary>The collection's index descriptions (<c>{v, key, name, ...}</c>), read with <paramref name="options"/>.</summary>
    /// <param name="options">Batch size and cursor timeout mode; null: as <see cref="ListIndexes(CancellationToken)"/>.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="MongoClientException">A timeout mode without a timeoutMS.</exception>
    public List<BsonDocument> ListIndexes(ListIndexesOptions? options, CancellationToken cancellationToken = default) =>
        ListIndexesCore(async: false, cancellationToken, options).GetAwaiter().GetResult();

    /// <inheritdoc cref="ListIndexes(ListIndexesOptions?, CancellationToken)"/>
    public Task<List<BsonDocument>> ListIndexesAsync(ListIndexesOptions? options, CancellationToken cancellationToken = default) =>
        ListIndexesCore(async: true, cancellationToken, options).AsTask();

    /// <summary>The collection's index descriptions (<c>{v, key, name, ...}</c>).</summary>
    public Task<List<BsonDocument>> ListIndexesAsync(CancellationToken cancellationToken = default) =>
        ListIndexesCore(async: true, cancellationToken).AsTask();

    /// <summary>Drops an index by name.</summary>
    public void DropIndex(string name, CancellationToken cancellationToken = default) =>
        DropIndexesCore(async: false, name, cancellationToken).GetAwaiter().GetResult();

    /// <summary>Drops an index by name.</summary>
    public Task DropIndexAsync(string name, CancellationToken cancellationToken = default) =>
        DropIndexesCore(async: true, name, cancellationToken).AsTask();

    /// <summary>Drops every index except the one on <c>_id</c>.</summary>
    public void DropIndexes(CancellationToken cancellationToken = default) =>
        DropIndexesCore(async: false, "*", cancellationToken).GetAwaiter().GetResult();

    /// <summary>Drops every index except the one on <c>_id</c>.</summary>
    public Task DropIndexesAsync(CancellationToken cancellationToken = default) =>
        DropIndexesCore(async: true, "*", cancellationToken).AsTask();

    internal BsonDocument RenderIndex(CreateIndexModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(model.Keys);
        var keys = model.Keys.Render(TypeResolver);
        if (keys.ElementCount == 0)
        {
            throw new ArgumentException("An index needs at least one key.", nameof(model));
        }

        var options = model.Options;
        var index = new BsonDocument { { "key", keys }, { "name", options?.Name ?? IndexKeysDefinition.GetDefaultName(keys) } };
        if (options is not null)
        {
            index.AddIf("unique", options.Unique);
            index.AddIf("sparse", options.Sparse);
            if (options.ExpireAfter is { } ttl)
            {
                index.Add("expireAfterSeconds", (long)ttl.TotalSeconds);
            }

            if (options.PartialFilterExpression is not null)
            {
                index.Add("partialFilterExpression", options.PartialFilterExpression.Render(TypeResolver));
            }

            index.AddIf("hidden", options.Hidden);
            index.AddIf("collation", options.Collation);
            if (options.Extra is not null)
            {
                foreach (var element in options.Extra)
                {
                    index.Set(element.Name, element.Value);
                }
            }
        }

        return index;
    }

    private async ValueTask<List<string>> CreateIndexesCore(bool async, IEnumerable<CreateIndexModel> models, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(models);
        var indexes = new BsonArray();
        var names = new List<string>();
        foreach (var model in models)
        {
            var index = RenderIndex(model);
            indexes.Add(index);
            names.Add(index["name"].AsString);
        }

        if (names.Count == 0)
        {
            throw new ArgumentException("CreateIndexes needs at least one index.", nameof(models));
        }

        var body = new BsonDocument { { "createIndexes", CollectionName }, { "indexes", indexes } }.AddWriteConcern(Executor.WriteConcernFor(null, WriteConcern));
        await Executor.ExecuteAsync(async, new WriteCommand(DatabaseName, body) { Context = StartOperation(ct) }, ct).ConfigureAwait(false);
        return names;
    }

    private async ValueTask<List<BsonDocument>> ListIndexesCore(bool async, CancellationToken ct, ListIndexesOptions? options = null)
    {
        var cursorOptions = new BsonDocument();
        if (options?.BatchSize is { } batchSize)
        {
            cursorOptions.Add("batchSize", batchSize);
        }

        var body = new BsonDocument { { "listIndexes", CollectionName }, { "cursor", cursorOptions } };
        OperationContext context = StartOperation(ct);
        bool iteration = OperationTimeouts.IsIteration(context, options?.TimeoutMode, tailable: false, maxAwaitTime: null, writeStage: false);
        if (iteration)
        {
            // As for find: in iteration mode timeoutMS bounds each command but derives no maxTimeMS.
            context = context.With(ct, omitMaxTime: true);
        }

        var response = await CursorFactory.ExecuteAsync(async, Executor, new ReadCommand(DatabaseName, body, Executor.ReadPreferenceFor(null, ReadPreference), opensCursor: true) { Context = context }, ct).ConfigureAwait(false);
        var cursor = CursorFactory.Create(Executor, new DocumentCodec<BsonDocument>(BsonSerializerRegistry.Default), response, DatabaseName, CollectionName, options?.BatchSize, context: context, iterationTimeout: iteration);
        return await cursor.ToListAsyncCore(async, ct).ConfigureAwait(false);
    }

    private async ValueTask DropIndexesCore(bool async, string name, CancellationToken ct)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        var body = new BsonDocument { { "dropIndexes", CollectionName }, { "index", name } }.AddWriteConcern(Executor.WriteConcernFor(null, WriteConcern));
        await Executor.ExecuteAsync(async, new WriteCommand(DatabaseName, body) { Context = StartOperation(ct) }, ct).ConfigureAwait(false);
    }
}
