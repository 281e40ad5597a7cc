using Mongo.Bson;
using Mongo.Driver.Operations;
using Mongo.Driver.Sessions;
using Mongo.Driver.Util;

namespace Mongo.Driver;

public sealed partial class MongoCollection<TDocument>
{
    /// <summary>Starts a query; nothing is sent until it is enumerated or materialised.</summary>
    public FindFluent<TDocument> Find(FilterDefinition filter, FindOptions? options = null) => new(this, filter, options);

    /// <summary>The first document matching the filter (honouring sort/skip/projection in the options), or default.</summary>
    public TDocument? FindOne(FilterDefinition filter, FindOptions? options = null, CancellationToken cancellationToken = default) =>
        FindFirstCore(async: false, filter, options ?? new FindOptions(), cancellationToken).GetAwaiter().GetResult();

    /// <summary>The first document matching the filter (honouring sort/skip/projection in the options), or default.</summary>
    public Task<TDocument?> FindOneAsync(FilterDefinition filter, FindOptions? options = null, CancellationToken cancellationToken = default) =>
        FindFirstCore(async: true, filter, options ?? new FindOptions(), cancellationToken).AsTask();

    /// <summary>Counts the documents matching a filter exactly (an aggregation).</summary>
    public long CountDocuments(FilterDefinition filter, CountOptions? options = null, CancellationToken cancellationToken = default) =>
        CountDocumentsCore(async: false, filter, options, cancellationToken).GetAwaiter().GetResult();

    /// <summary>Counts the documents matching a filter exactly (an aggregation).</summary>
    public Task<long> CountDocumentsAsync(FilterDefinition filter, CountOptions? options = null, CancellationToken cancellationToken = default) =>
        CountDocumentsCore(async: true, filter, options, cancellationToken).AsTask();

    /// <summary>The collection's document count from its metadata: fast, but may be off after an unclean shutdown.</summary>
    public long EstimatedDocumentCount(EstimatedDocumentCountOptions? options = null, CancellationToken cancellationToken = default) =>
        EstimatedDocumentCountCore(async: false, options, cancellationToken).GetAwaiter().GetResult();

    /// <summary>The collection's document count from its metadata: fast, but may be off after an unclean shutdown.</summary>
    public Task<long> EstimatedDocumentCountAsync(EstimatedDocumentCountOptions? options = null, CancellationToken cancellationToken = default) =>
        EstimatedDocumentCountCore(async: true, options, cancellationToken).AsTask();

    /// <summary>The distinct values of a field among the documents matching a filter.</summary>
    public List<BsonValue> Distinct(string fieldName, FilterDefinition? filter = null, DistinctOptions? options = null, CancellationToken cancellationToken = default) =>
        DistinctCore(async: false, fieldName, filter, options, cancellationToken).GetAwaiter().GetResult();

    /// <summary>The distinct values of a field among the documents matching a filter.</summary>
    public Task<List<BsonValue>> DistinctAsync(string fieldName, FilterDefinition? filter = null, DistinctOptions? options = null, CancellationToken cancellationToken = default) =>
        DistinctCore(async: true, fieldName, filter, options, cancellationToken).AsTask();

    /// <summary>Runs an aggregation pipeline; the results are decoded as <typeparamref name="TDocument"/>.</summary>
    public MongoCursor<TDocument> Aggregate(IEnumerable<BsonDocument> pipeline, AggregateOptions? options = null, CancellationToken cancellationToken = default) =>
        AggregateOperation.ExecuteAsync(async: false, Executor, DatabaseName, CollectionName, pipeline, options, ReadConcern, WriteConcern, ReadPreference, _codec, StartOperation(cancellationToken), cancellationToken).GetAwaiter().GetResult();

    /// <summary>Runs an aggregation pipeline; the results are decoded as <typeparamref name="TDocument"/>.</summary>
    public Task<MongoCursor<TDocument>> AggregateAsync(IEnumerable<BsonDocument> pipeline, AggregateOptions? options = null, CancellationToken cancellationToken = default) =>
        AggregateOperation.ExecuteAsync(async: true, Executor, DatabaseName, CollectionName, pipeline, options, ReadConcern, WriteConcern, ReadPreference, _codec, StartOperation(cancellationToken), cancellationToken).AsTask();

    /// <summary>Runs an aggregation pipeline whose results have another shape than the collection's documents.</summary>
    public MongoCursor<TResult> Aggregate<TResult>(IEnumerable<BsonDocument> pipeline, AggregateOptions? options = null, CancellationToken cancellationToken = default) =>
        AggregateOperation.ExecuteAsync(async: false, Executor, DatabaseName, CollectionName, pipeline, options, ReadConcern, WriteConcern, ReadPreference, new DocumentCodec<TResult>(Database.SerializerRegistry, _codec.Resolver), StartOperation(cancellationToken), cancellationToken).GetAwaiter().GetResult();

    /// <summary>Runs an aggregation pipeline whose results have another shape than the collection's documents.</summary>
    public Task<MongoCursor<TResult>> AggregateAsync<TResult>(IEnumerable<BsonDocument> pipeline, AggregateOptions? options = null, CancellationToken cancellationToken = default) =>
        AggregateOperation.ExecuteAsync(async: true, Executor, DatabaseName, CollectionName, pipeline, options, ReadConcern, WriteConcern, ReadPreference, new DocumentCodec<TResult>(Database.SerializerRegistry, _codec.Resolver), StartOperation(cancellationToken), cancellationToken).AsTask();

    internal async ValueTask<MongoCursor<TDocument>> FindCore(bool async, FilterDefinition filter, FindOptions options, CancellationToken ct, bool first = false)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var body = new BsonDocument { { "find", CollectionName }, { "filter", filter.Render(TypeResolver) } };
        if (options.Sort is not null)
        {
            body.Add("sort", options.Sort.Render(TypeResolver));
        }

        if (options.Projection is not null)
        {
            body.Add("projection", options.Projection.Render(TypeResolver));
        }

        body.AddIf("hint", options.Hint);
        if (options.Skip is { } skip and > 0)
        {
            body.Add("skip", skip);
        }

        int limit = first ? 1 : options.Limit ?? 0;
        int? batchSize = options.BatchSize;
        if (limit < 0 || first)
        {
            body.Add("limit", Math.Abs(limit));
            body.Add("singleBatch", true);
        }
        else if (limit > 0)
        {
            body.Add("limit", limit);

            // With batchSize == limit the server would keep the cursor open after the last document;
            // one more lets it see the limit is reached and close the cursor itself.
            if (batchSize == limit)
            {
                batchSize = limit + 1;
            }
        }

        if (batchSize is { } size && !first)
        {
            body.Add("batchSize", size);
        }

        body.AddIf("comment", options.Comment);
        body.AddMaxTime(options.MaxTime);
        body.AddIf("collation", options.Collation);
        body.AddIf("allowDiskUse", options.AllowDiskUse);
        body.AddIf("let", options.Let);
        body.AddIf("min", options.Min);
        body.AddIf("max", options.Max);
        body.AddIf("returnKey", options.ReturnKey);
        body.AddIf("showRecordId", options.ShowRecordId);
        body.AddIf("noCursorTimeout", options.NoCursorTimeout);
        body.AddIf("allowPartialResults", options.AllowPartialResults);
        bool tailable = options.CursorType != CursorType.NonTailable && !first;
        if (tailable)
        {
            body.Add("tailable", true);
            if (options.CursorType == CursorType.TailableAwait)
            {
                body.Add("awaitData", true);
            }
        }

        body.AddReadConcern(Executor.ReadConcernFor(options.ReadConcern, ReadConcern));
        TimeSpan? maxAwaitTime = options.CursorType == CursorType.TailableAwait ? options.MaxAwaitTime : null;
        OperationContext context = StartOperation(ct);
        bool iteration = OperationTimeouts.IsIteration(context, options.TimeoutMode, tailable, maxAwaitTime, writeStage: false);
        if (iteration && options.CursorType != CursorType.TailableAwait)
        {
            // Iteration mode and tailable non-awaitData cursors: timeoutMS bounds the find but derives no maxTimeMS; a
            // tailable awaitData find keeps it (the spec's cursor rules).
            context = context.With(ct, omitMaxTime: true);
        }

        var message = new ReadCommand(DatabaseName, body, Executor.ReadPreferenceFor(options.ReadPreference, ReadPreference), opensCursor: true)
        {
            RawData = options.RawData,
            LeaseReply = _codec.CanDecodeLeased || options.BorrowRawBatches, Context = context,
        };
        var response = await CursorFactory.ExecuteAsync(async, Executor, message, ct).ConfigureAwait(false);
        return CursorFactory.Create(Executor, _codec, response, DatabaseName, CollectionName, options.BatchSize, Math.Abs(limit), maxAwaitTime, options.Comment, tailable, options.BorrowRawBatches, context, iteration);
    }

    internal async ValueTask<TDocument?> FindFirstCore(bool async, FilterDefinition filter, FindOptions options, CancellationToken ct)
    {
        var cursor = await FindCore(async, filter, options, ct, first: true).ConfigureAwait(false);
        var list = await cursor.ToListAsyncCore(async, ct).ConfigureAwait(false);
        return list.Count > 0 ? list[0] : default;
    }

    private async ValueTask<long> CountDocumentsCore(bool async, FilterDefinition filter, CountOptions? options, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var pipeline = new BsonArray { new BsonDocument("$match", filter.Render(TypeResolver)) };
        if (options?.Skip is { } skip and > 0)
        {
            pipeline.Add(new BsonDocument("$skip", skip));
        }

        if (options?.Limit is { } limit and > 0)
        {
            pipeline.Add(new BsonDocument("$limit", limit));
        }

        pipeline.Add(new BsonDocument("$group", new BsonDocument { { "_id", 1 }, { "n", new BsonDocument("$sum", 1) } }));
        var body = new BsonDocument { { "aggregate", CollectionName }, { "pipeline", pipeline }, { "cursor", new BsonDocument() } };
        body.AddIf("collation", options?.Collation);
        body.AddIf("hint", options?.Hint);
        body.AddIf("comment", options?.Comment);
        body.AddMaxTime(options?.MaxTime);
        body.AddReadConcern(Executor.ReadConcernFor(options?.ReadConcern, ReadConcern));
        var response = await CursorFactory.ExecuteAsync(async, Executor, new ReadCommand(DatabaseName, body, Executor.ReadPreferenceFor(options?.ReadPreference, ReadPreference), opensCursor: true) { Context = StartOperation(ct), RawData = options?.RawData == true }, ct).ConfigureAwait(false);
        var cursor = CursorFactory.Create(Executor, new DocumentCodec<BsonDocument>(BsonSerializerRegistry.Default), response, DatabaseName, CollectionName, null);
        var results = await cursor.ToListAsyncCore(async, ct).ConfigureAwait(false);
        return results.Count > 0 && results[0].TryGetValue("n", out var n) && n.IsNumeric ? n.ToInt64() : 0;
    }

    private async ValueTask<long> EstimatedDocumentCountCore(bool async, EstimatedDocumentCountOptions? options, CancellationToken ct)
    {
        var body = new BsonDocument("count", CollectionName);
        body.AddMaxTime(options?.MaxTime);
        body.AddIf("comment", options?.Comment);
        body.AddReadConcern(Executor.ReadConcernFor(options?.ReadConcern, ReadConcern));
        var response = await Executor.ExecuteAsync(async, new ReadCommand(DatabaseName, body, Executor.ReadPreferenceFor(options?.ReadPreference, ReadPreference)) { Context = StartOperation(ct), RawData = options?.RawData == true }, ct).ConfigureAwait(false);
        return response.Body.TryGetValue("n", out var n) && n.IsNumeric ? n.ToInt64() : 0;
    }

    private async ValueTask<List<BsonValue>> DistinctCore(bool async, string fieldName, FilterDefinition? filter, DistinctOptions? options, CancellationToken ct)
    {
        ArgumentException.ThrowIfNullOrEmpty(fieldName);
        var body = new BsonDocument { { "distinct", CollectionName }, { "key", fieldName }, { "query", (filter ?? FilterDefinition.Empty).Render(TypeResolver) } };
        body.AddIf("collation", options?.Collation);
        body.AddIf("hint", options?.Hint);
        body.AddIf("comment", options?.Comment);
        body.AddMaxTime(options?.MaxTime);
        body.AddReadConcern(Executor.ReadConcernFor(options?.ReadConcern, ReadConcern));
        var response = await Executor.ExecuteAsync(async, new ReadCommand(DatabaseName, body, Executor.ReadPreferenceFor(options?.ReadPreference, ReadPreference)) { Context = StartOperation(ct), RawData = options?.RawData == true }, ct).ConfigureAwait(false);
        var values = new List<BsonValue>();
        if (response.Body.TryGetValue("values", out var array) && array is BsonArray items)
        {
            values.AddRange(items);
        }

        return values;
    }
}
