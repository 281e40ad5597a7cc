using Mongo.Bson;

namespace Mongo.Driver;

/// <summary>
/// A query being built: chain <see cref="Sort"/>, <see cref="Limit"/>, <see cref="Skip"/>, <see cref="Project"/>
/// and friends, then enumerate it (<c>await foreach</c>, or <see cref="ToEnumerable"/> for synchronous code) or call <see cref="ToListAsync"/>,
/// <see cref="FirstOrDefaultAsync"/> or <see cref="ToCursorAsync"/>. Each enumeration runs the query again.
/// The builder methods change this query and return it; it is not thread-safe.
/// </summary>
/// <typeparam name="TDocument">The document type.</typeparam>
public sealed class FindFluent<TDocument> : IAsyncEnumerable<TDocument>
{
    private readonly MongoCollection<TDocument> _collection;
    private readonly FilterDefinition _filter;
    private FindOptions _options;

    internal FindFluent(MongoCollection<TDocument> collection, FilterDefinition filter, FindOptions? options)
    {
        _collection = collection;
        _filter = filter ?? throw new ArgumentNullException(nameof(filter));
        _options = options ?? new FindOptions();
    }

    /// <summary>The filter.</summary>
    public FilterDefinition Filter => _filter;

    /// <summary>The options as currently set.</summary>
    public FindOptions Options => _options;

    /// <summary>Sets the sort order.</summary>
    public FindFluent<TDocument> Sort(SortDefinition sort) => With(Copy(sort: sort ?? throw new ArgumentNullException(nameof(sort))));

    /// <summary>Returns at most this many documents (0 = no limit; negative = one batch of at most |n|).</summary>
    public FindFluent<TDocument> Limit(int limit) => With(Copy(limit: limit));

    /// <summary>Skips this many matching documents.</summary>
    public FindFluent<TDocument> Skip(int skip) => With(Copy(skip: skip >= 0 ? skip : throw new ArgumentOutOfRangeException(nameof(skip), "Skip must not be negative.")));

    /// <summary>Sets which fields to return.</summary>
    public FindFluent<TDocument> Project(ProjectionDefinition projection) => With(Copy(projection: projection ?? throw new ArgumentNullException(nameof(projection))));

    /// <summary>Sets how many documents each round trip returns.</summary>
    public FindFluent<TDocument> BatchSize(int batchSize) => With(Copy(batchSize: batchSize >= 0 ? batchSize : throw new ArgumentOutOfRangeException(nameof(batchSize), "Batch size must not be negative.")));

    /// <summary>Sets the index to use: its name or key document.</summary>
    public FindFluent<TDocument> Hint(BsonValue hint) => With(Copy(hint: hint ?? throw new ArgumentNullException(nameof(hint))));

    /// <summary>Attaches a comment for profiling and logs.</summary>
    public FindFluent<TDocument> Comment(BsonValue comment) => With(Copy(comment: comment ?? throw new ArgumentNullException(nameof(comment))));

    /// <summary>Sets the server-side time limit.</summary>
    public FindFluent<TDocument> MaxTime(TimeSpan maxTime) => With(Copy(maxTime: maxTime));

    /// <summary>Sets string comparison rules.</summary>
    public FindFluent<TDocument> Collation(BsonDocument collation) => With(Copy(collation: collation ?? throw new ArgumentNullException(nameof(collation))));

    /// <summary>Sets the inclusive lower bound of the hinted index's range (name every key field, in order; needs <see cref="Hint"/>).</summary>
    public FindFluent<TDocument> Min(BsonDocument min) => With(Copy(min: min ?? throw new ArgumentNullException(nameof(min))));

    /// <summary>Sets the exclusive upper bound of the hinted index's range (name every key field, in order; needs <see cref="Hint"/>).</summary>
    public FindFluent<TDocument> Max(BsonDocument max) => With(Copy(max: max ?? throw new ArgumentNullException(nameof(max))));

    /// <summary>Returns only each result's index key instead of the document.</summary>
    public FindFluent<TDocument> ReturnKey(bool returnKey = true) => With(Copy(returnKey: returnKey));

    /// <summary>Adds each document's record id to it as <c>$recordId</c>.</summary>
    public FindFluent<TDocument> ShowRecordId(bool showRecordId = true) => With(Copy(showRecordId: showRecordId));

    /// <summary>Runs the query and returns the server cursor (dispose it if you stop early).</summary>
    public MongoCursor<TDocument> ToCursor(CancellationToken cancellationToken = default) =>
        _collection.FindCore(async: false, _filter, _options, cancellationToken).GetAwaiter().GetResult();

    /// <summary>Runs the query and returns the server cursor (dispose it if you stop early).</summary>
    public Task<MongoCursor<TDocument>> ToCursorAsync(CancellationToken cancellationToken = default) =>
        _collection.FindCore(async: true, _filter, _options, cancellationToken).AsTask();

    /// <summary>Runs the query and reads every result.</summary>
    public List<TDocument> ToList(CancellationToken cancellationToken = default) => ToCursor(cancellationToken).ToList(cancellationToken);

    /// <summary>Runs the query and reads every result.</summary>
    public async Task<List<TDocument>> ToListAsync(CancellationToken cancellationToken = default)
    {
        var cursor = await ToCursorAsync(cancellationToken).ConfigureAwait(false);
        return await cursor.ToListAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The first result, or default when nothing matches (asks the server for one document only).</summary>
    public TDocument? FirstOrDefault(CancellationToken cancellationToken = default) =>
        _collection.FindFirstCore(async: false, _filter, _options, cancellationToken).GetAwaiter().GetResult();

    /// <summary>The first result, or default when nothing matches (asks the server for one document only).</summary>
    public Task<TDocument?> FirstOrDefaultAsync(CancellationToken cancellationToken = default) =>
        _collection.FindFirstCore(async: true, _filter, _options, cancellationToken).AsTask();

    /// <inheritdoc />
    public async IAsyncEnumerator<TDocument> GetAsyncEnumerator(CancellationToken cancellationToken = default)
    {
        var cursor = await ToCursorAsync(cancellationToken).ConfigureAwait(false);
        await using var enumerator = cursor.GetAsyncEnumerator(cancellationToken);
        while (await enumerator.MoveNextAsync().ConfigureAwait(false))
        {
            yield return enumerator.Current;
        }
    }

    /// <summary>
    /// The results as a lazily enumerated sequence (synchronous I/O as it advances). FindFluent itself is only
    /// <see cref="IAsyncEnumerable{T}"/>: being both would make <c>.Where(...)</c> ambiguous on .NET 10 and let LINQ to
    /// objects run the query and filter on the client without anyone noticing.
    /// </summary>
    public IEnumerable<TDocument> ToEnumerable(CancellationToken cancellationToken = default)
    {
        using var enumerator = ToCursor(cancellationToken).GetEnumerator();
        while (enumerator.MoveNext())
        {
            yield return enumerator.Current;
        }
    }

    /// <summary>
    /// Sets the projection and reads the results as <typeparamref name="TProjection"/> (decoded with the collection's
    /// serializer chain): <c>.Project&lt;NameOnly&gt;(Builders&lt;Person&gt;.Projection.Include(p => p.Name))</c>.
    /// Returns a new query; this one is unchanged.
    /// </summary>
    public FindFluent<TProjection> Project<TProjection>(ProjectionDefinition projection) =>
        new(_collection.WithDocumentType<TProjection>(), _filter, Copy(projection: projection ?? throw new ArgumentNullException(nameof(projection))));

    /// <summary>Sorts by a member, ascending (replaces any sort).</summary>
    public FindFluent<TDocument> SortBy<TField>(System.Linq.Expressions.Expression<Func<TDocument, TField>> field) =>
        Sort(Builders<TDocument>.Sort.Ascending(field));

    /// <summary>Sorts by a member, descending (replaces any sort).</summary>
    public FindFluent<TDocument> SortByDescending<TField>(System.Linq.Expressions.Expression<Func<TDocument, TField>> field) =>
        Sort(Builders<TDocument>.Sort.Descending(field));

    /// <summary>Adds an ascending key after the current sort.</summary>
    public FindFluent<TDocument> ThenBy<TField>(System.Linq.Expressions.Expression<Func<TDocument, TField>> field) =>
        Sort(Then(Builders<TDocument>.Sort.Ascending(field)));

    /// <summary>Adds a descending key after the current sort.</summary>
    public FindFluent<TDocument> ThenByDescending<TField>(System.Linq.Expressions.Expression<Func<TDocument, TField>> field) =>
        Sort(Then(Builders<TDocument>.Sort.Descending(field)));


    private SortDefinition Then(SortDefinition key) =>
        _options.Sort is { } current ? Builders<TDocument>.Sort.Combine(current, key) : throw new InvalidOperationException("ThenBy needs a sort first (SortBy or Sort).");

    private FindFluent<TDocument> With(FindOptions options)
    {
        _options = options;
        return this;
    }

    private FindOptions Copy(SortDefinition? sort = null, int? limit = null, int? skip = null, ProjectionDefinition? projection = null, int? batchSize = null, BsonValue? hint = null, BsonValue? comment = null, TimeSpan? maxTime = null, BsonDocument? collation = null,
        BsonDocument? min = null, BsonDocument? max = null, bool? returnKey = null, bool? showRecordId = null) => new()
    {
        Min = min ?? _options.Min,
        Max = max ?? _options.Max,
        ReturnKey = returnKey ?? _options.ReturnKey,
        ShowRecordId = showRecordId ?? _options.ShowRecordId,
        NoCursorTimeout = _options.NoCursorTimeout,
        AllowPartialResults = _options.AllowPartialResults,
        RawData = _options.RawData,
        Sort = sort ?? _options.Sort,
        Limit = limit ?? _options.Limit,
        Skip = skip ?? _options.Skip,
        Projection = projection ?? _options.Projection,
        BatchSize = batchSize ?? _options.BatchSize,
        Hint = hint ?? _options.Hint,
        Comment = comment ?? _options.Comment,
        MaxTime = maxTime ?? _options.MaxTime,
        Collation = collation ?? _options.Collation,
        AllowDiskUse = _options.AllowDiskUse,
        Let = _options.Let,
        CursorType = _options.CursorType,
        MaxAwaitTime = _options.MaxAwaitTime,
        TimeoutMode = _options.TimeoutMode,
        ReadConcern = _options.ReadConcern,
        ReadPreference = _options.ReadPreference,
    };
}
