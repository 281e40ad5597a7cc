using Mongo.Bson;
using Mongo.Bson.Serialization;
using Mongo.Driver.Operations;
using Mongo.Driver.Sessions;
using Mongo.Driver.Util;

namespace Mongo.Driver;

/// <summary>A database handle: cheap, immutable, thread-safe. Get one from <see cref="MongoClient.GetDatabase"/>.</summary>
public sealed class MongoDatabase
{
    private readonly Sessions.SessionBoundExecutor? _boundExecutor;
    private readonly TimeSpan? _timeout;

    internal MongoDatabase(MongoClient client, string name, ReadConcern readConcern, WriteConcern writeConcern, ReadPreference readPreference, BsonSerializerRegistry registry, MongoSession? session = null, IBsonTypeInfoResolver? serializerContext = null, TimeSpan? timeout = null)
    {
        _timeout = timeout is { } t ? OperationTimeouts.Validate(t) : null;
        SerializerContext = serializerContext;
        Session = session;
        _boundExecutor = session is null ? null : new Sessions.SessionBoundExecutor(client, session);
        Client = client;
        DatabaseName = name;
        ReadConcern = readConcern;
        WriteConcern = writeConcern;
        ReadPreference = readPreference;
        SerializerRegistry = registry;
    }

    /// <summary>The client this handle belongs to.</summary>
    public MongoClient Client { get; }

    /// <summary>The database's name.</summary>
    public string DatabaseName { get; }

    /// <summary>The read concern operations use unless they override it.</summary>
    public ReadConcern ReadConcern { get; }

    /// <summary>The write concern operations use unless they override it.</summary>
    public WriteConcern WriteConcern { get; }

    /// <summary>The read preference operations use unless they override it.</summary>
    public ReadPreference ReadPreference { get; }

    /// <summary>Where collections find serializers for their document types.</summary>
    public BsonSerializerRegistry SerializerRegistry { get; }

    /// <summary>The database's and the client's <c>SerializerContext</c>s (in that order), or null when neither is set.</summary>
    internal IBsonTypeInfoResolver? SerializerContext { get; }

    /// <summary>The explicit session every operation of this handle uses, or null for implicit sessions.</summary>
    public MongoSession? Session { get; }

    /// <summary>
    /// The <c>timeoutMS</c> operations of this handle run under: its own, else the client's; null when neither sets one
    /// (the legacy timeouts then apply). <see cref="System.Threading.Timeout.InfiniteTimeSpan"/> means no limit.
    /// </summary>
    public TimeSpan? Timeout => _timeout ?? Client.Settings.Timeout;

    /// <summary>
    /// A copy of this handle whose operations (and the collections it hands out) must each finish within
    /// <paramref name="timeout"/> (<c>timeoutMS</c>); zero or <see cref="System.Threading.Timeout.InfiniteTimeSpan"/> for no limit. Once
    /// set, timeoutMS cannot be unset at a lower level (client-side operations timeout spec).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="timeout"/> is negative.</exception>
    public MongoDatabase WithTimeout(TimeSpan timeout) =>
        new(Client, DatabaseName, ReadConcern, WriteConcern, ReadPreference, SerializerRegistry, Session, SerializerContext, OperationTimeouts.Validate(timeout));

    /// <summary>The timeoutMS set on this handle itself (WithTimeout), null when it inherits the client's.</summary>
    internal TimeSpan? OwnTimeout => _timeout;

    /// <summary>A new call of this handle: its one deadline (timeoutMS), operation id and token.</summary>
    internal OperationContext StartOperation(CancellationToken cancellationToken, bool omitMaxTime = false) =>
        _pinnedContext?.With(cancellationToken, omitMaxTime) ?? OperationTimeouts.Start(Timeout, _timeout, Session, cancellationToken, omitMaxTime);

    // One public call made of several operations (a GridFS upload, download, delete or drop): every operation of this
    // handle and of its collections draws on the call's one deadline instead of starting its own.
    private OperationContext? _pinnedContext;

    /// <summary>The call context every operation of this handle and its collections shares, or null (see <see cref="WithOperationContext"/>).</summary>
    internal OperationContext? PinnedContext => _pinnedContext;

    /// <summary>A copy of this handle whose operations (and its collections') all run under <paramref name="context"/>'s deadline.</summary>
    internal MongoDatabase WithOperationContext(OperationContext context) =>
        new(Client, DatabaseName, ReadConcern, WriteConcern, ReadPreference, SerializerRegistry, Session, SerializerContext, _timeout) { _pinnedContext = context };

    internal IOperationExecutor Executor => _boundExecutor ?? Client.Executor;

    /// <summary>
    /// A copy of this handle whose every operation (and the collections and cursors it hands out) runs in
    /// <paramref name="session"/>; null goes back to implicit sessions.
    /// </summary>
    /// <exception cref="MongoClientException">The session belongs to another client.</exception>
    /// <exception cref="ObjectDisposedException">The session was disposed.</exception>
    public MongoDatabase WithSession(MongoSession? session)
    {
        if (session is not null)
        {
            Client.CheckSession(session);
        }

        return new(Client, DatabaseName, ReadConcern, WriteConcern, ReadPreference, SerializerRegistry, session, SerializerContext, _timeout);
    }

    /// <summary>A copy of this handle with another read concern.</summary>
    public MongoDatabase WithReadConcern(ReadConcern readConcern) =>
        new(Client, DatabaseName, readConcern ?? throw new ArgumentNullException(nameof(readConcern)), WriteConcern, ReadPreference, SerializerRegistry, Session, SerializerContext, _timeout);

    /// <summary>A copy of this handle with another write concern.</summary>
    public MongoDatabase WithWriteConcern(WriteConcern writeConcern) =>
        new(Client, DatabaseName, ReadConcern, writeConcern ?? throw new ArgumentNullException(nameof(writeConcern)), ReadPreference, SerializerRegistry, Session, SerializerContext, _timeout);

    /// <summary>A copy of this handle with another read preference.</summary>
    public MongoDatabase WithReadPreference(ReadPreference readPreference) =>
        new(Client, DatabaseName, ReadConcern, WriteConcern, readPreference ?? throw new ArgumentNullException(nameof(readPreference)), SerializerRegistry, Session, SerializerContext, _timeout);

    /// <summary>A collection of <see cref="BsonDocument"/>s.</summary>
    public MongoCollection<BsonDocument> GetCollection(string name, MongoCollectionSettings? settings = null) => GetCollection<BsonDocument>(name, settings);

    /// <summary>
    /// A collection whose documents are <typeparamref name="TDocument"/>: <see cref="BsonDocument"/>,
    /// <see cref="RawBsonDocument"/>, or any class, record or struct. The serializer comes from, in order: an
    /// <see cref="IBsonSerializer{T}"/> registered in the registry, <see cref="MongoCollectionSettings.SerializerContext"/>,
    /// the database's and then the client's <c>SerializerContext</c>, and finally the reflection fallback (unless the app
    /// is trimmed/AOT, see <see cref="BsonTypeInfoResolver.IsReflectionEnabledByDefault"/>).
    /// </summary>
    /// <exception cref="BsonSerializationException">No serializer is found; the message names the <c>[BsonSerializable]</c> to add.</exception>
    public MongoCollection<TDocument> GetCollection<TDocument>(string name, MongoCollectionSettings? settings = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (name.Contains('\0', StringComparison.Ordinal) || name.StartsWith('$'))
        {
            throw new ArgumentException("Collection name '" + name + "' is not valid (no NUL, must not start with '$').", nameof(name));
        }

        var registry = settings?.SerializerRegistry ?? SerializerRegistry;
        return new MongoCollection<TDocument>(this, name, settings?.ReadConcern ?? ReadConcern, settings?.WriteConcern ?? WriteConcern, settings?.ReadPreference ?? ReadPreference, new DocumentCodec<TDocument>(registry, BsonTypeInfoResolver.Combine(settings?.SerializerContext, SerializerContext)), settings?.Timeout);
    }

    /// <summary>The names of the collections (and views) in this database.</summary>
    public List<string> ListCollectionNames(FilterDefinition? filter = null, CancellationToken cancellationToken = default) =>
        ListCollectionNamesCore(async: false, filter, cancellationToken).GetAwaiter().GetResult();

    /// <summary>The names of the collections (and views) in this database.</summary>
    public Task<List<string>> ListCollectionNamesAsync(FilterDefinition? filter = null, CancellationToken cancellationToken = default) =>
        ListCollectionNamesCore(async: true, filter, cancellationToken).AsTask();

    /// <summary>The <c>listCollections</c> entries (name, type, options, info, idIndex).</summary>
    public MongoCursor<BsonDocument> ListCollections(FilterDefinition? filter = null, CancellationToken cancellationToken = default) =>
        ListCollectionsCore(async: false, filter, nameOnly: false, cancellationToken).GetAwaiter().GetResult();

    /// <summary>The <c>listCollections</c> entries (name, type, options, info, idIndex).</summary>
    public Task<MongoCursor<BsonDocument>> ListCollectionsAsync(FilterDefinition? filter = null, CancellationToken cancellationToken = default) =>
        ListCollectionsCore(async: true, filter, nameOnly: false, cancellationToken).AsTask();

    /// <summary>The <c>listCollections</c> entries (name, type, options, info, idIndex), read with <paramref name="options"/>.</summary>
    /// <param name="filter">Which collections (null: all).</param>
    /// <param name="options">Batch size and cursor timeout mode; null: as <see cref="ListCollections(FilterDefinition?, CancellationToken)"/>.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="MongoClientException">A timeout mode without a timeoutMS.</exception>
    public MongoCursor<BsonDocument> ListCollections(FilterDefinition? filter, ListCollectionsOptions? options, CancellationToken cancellationToken = default) =>
        ListCollectionsCore(async: false, filter, nameOnly: false, cancellationToken, options).GetAwaiter().GetResult();

    /// <inheritdoc cref="ListCollections(FilterDefinition?, ListCollectionsOptions?, CancellationToken)"/>
    public Task<MongoCursor<BsonDocument>> ListCollectionsAsync(FilterDefinition? filter, ListCollectionsOptions? options, CancellationToken cancellationToken = default) =>
        ListCollectionsCore(async: true, filter, nameOnly: false, cancellationToken, options).AsTask();

    /// <summary>Creates a collection (or view) explicitly; collections are also created by their first insert.</summary>
    public void CreateCollection(string name, CreateCollectionOptions? options = null, CancellationToken cancellationToken = default) =>
        CreateCollectionCore(async: false, name, options, cancellationToken).GetAwaiter().GetResult();

    /// <summary>Creates a collection (or view) explicitly; collections are also created by their first insert.</summary>
    public Task CreateCollectionAsync(string name, CreateCollectionOptions? options = null, CancellationToken cancellationToken = default) =>
        CreateCollectionCore(async: true, name, options, cancellationToken).AsTask();

    /// <summary>Drops a collection and its indexes; dropping a collection that does not exist is not an error.</summary>
    public void DropCollection(string name, CancellationToken cancellationToken = default) =>
        DropCollectionCore(async: false, name, cancellationToken).GetAwaiter().GetResult();

    /// <summary>Drops a collection and its indexes; dropping a collection that does not exist is not an error.</summary>
    public Task DropCollectionAsync(string name, CancellationToken cancellationToken = default) =>
        DropCollectionCore(async: true, name, cancellationToken).AsTask();

    /// <summary>Runs a command on this database and returns the server's reply (primary unless a read preference is given).</summary>
    /// <exception cref="MongoCommandException">The server answered ok:0.</exception>
    public BsonDocument RunCommand(BsonDocument command, ReadPreference? readPreference = null, CancellationToken cancellationToken = default) =>
        RunCommandCore(async: false, command, readPreference, cancellationToken).GetAwaiter().GetResult();

    /// <summary>Runs a command on this database and returns the server's reply (primary unless a read preference is given).</summary>
    /// <exception cref="MongoCommandException">The server answered ok:0.</exception>
    public Task<BsonDocument> RunCommandAsync(BsonDocument command, ReadPreference? readPreference = null, CancellationToken cancellationToken = default) =>
        RunCommandCore(async: true, command, readPreference, cancellationToken).AsTask();

    /// <summary>
    /// Runs a command that opens a cursor (<c>find</c>, <c>aggregate</c>, <c>listCollections</c>...) and returns that cursor;
    /// its getMores and killCursors go to the same server with the same session. Like <see cref="RunCommand"/>, the command
    /// is sent as given (primary unless a read preference is given) and never retried.
    /// </summary>
    /// <exception cref="MongoCommandException">The server answered ok:0.</exception>
    public MongoCursor<BsonDocument> RunCursorCommand(BsonDocument command, RunCursorCommandOptions? options = null, CancellationToken cancellationToken = default) =>
        RunCursorCommandCore(async: false, command, options, cancellationToken).GetAwaiter().GetResult();

    /// <inheritdoc cref="RunCursorCommand"/>
    public Task<MongoCursor<BsonDocument>> RunCursorCommandAsync(BsonDocument command, RunCursorCommandOptions? options = null, CancellationToken cancellationToken = default) =>
        RunCursorCommandCore(async: true, command, options, cancellationToken).AsTask();

    /// <summary>Runs a database-level aggregation (<c>{aggregate: 1}</c>, e.g. <c>$currentOp</c>, <c>$documents</c>).</summary>
    public MongoCursor<BsonDocument> Aggregate(IEnumerable<BsonDocument> pipeline, AggregateOptions? options = null, CancellationToken cancellationToken = default) =>
        AggregateOperation.ExecuteAsync(async: false, Executor, DatabaseName, null, pipeline, options, ReadConcern, WriteConcern, ReadPreference, new DocumentCodec<BsonDocument>(SerializerRegistry), StartOperation(cancellationToken), cancellationToken).GetAwaiter().GetResult();

    /// <summary>Runs a database-level aggregation (<c>{aggregate: 1}</c>, e.g. <c>$currentOp</c>, <c>$documents</c>).</summary>
    public Task<MongoCursor<BsonDocument>> AggregateAsync(IEnumerable<BsonDocument> pipeline, AggregateOptions? options = null, CancellationToken cancellationToken = default) =>
        AggregateOperation.ExecuteAsync(async: true, Executor, DatabaseName, null, pipeline, options, ReadConcern, WriteConcern, ReadPreference, new DocumentCodec<BsonDocument>(SerializerRegistry), StartOperation(cancellationToken), cancellationToken).AsTask();

    internal async ValueTask DropCore(bool async, CancellationToken ct)
    {
        var body = new BsonDocument("dropDatabase", 1).AddWriteConcern(Executor.WriteConcernFor(null, WriteConcern));
        await Executor.ExecuteAsync(async, new WriteCommand(DatabaseName, body) { Context = StartOperation(ct) }, ct).ConfigureAwait(false);
    }

    private async ValueTask<List<string>> ListCollectionNamesCore(bool async, FilterDefinition? filter, CancellationToken ct)
    {
        // ToListAsyncCore closes the cursor on every path.
        var cursor = await ListCollectionsCore(async, filter, nameOnly: true, ct).ConfigureAwait(false);
        var names = new List<string>();
        foreach (var entry in await cursor.ToListAsyncCore(async, ct).ConfigureAwait(false))
        {
            if (entry.TryGetValue("name", out var name) && name.IsString)
            {
                names.Add(name.AsString);
            }
        }

        return names;
    }

    private async ValueTask<MongoCursor<BsonDocument>> ListCollectionsCore(bool async, FilterDefinition? filter, bool nameOnly, CancellationToken ct, ListCollectionsOptions? options = null)
    {
        var body = new BsonDocument("listCollections", 1);
        if (filter is not null)
        {
            body.Add("filter", filter.Render());
        }

        if (nameOnly)
        {
            body.Add("nameOnly", true);
        }

        var cursorOptions = new BsonDocument();
        if (options?.BatchSize is { } batchSize)
        {
            cursorOptions.Add("batchSize", batchSize);
        }

        body.Add("cursor", cursorOptions);
        OperationContext context = StartOperation(ct);
        bool iteration = OperationTimeouts.IsIteration(context, options?.TimeoutMode, tailable: false, maxAwaitTime: null, writeStage: false);
        if (iteration)
        {
            // As for find: in iteration mode timeoutMS bounds each command but derives no maxTimeMS.
            context = context.With(ct, omitMaxTime: true);
        }

        var response = await CursorFactory.ExecuteAsync(async, Executor, new ReadCommand(DatabaseName, body, readPreference: null, opensCursor: true) { Context = context }, ct).ConfigureAwait(false);
        return CursorFactory.Create(Executor, new DocumentCodec<BsonDocument>(SerializerRegistry), response, DatabaseName, "$cmd.listCollections", options?.BatchSize, context: context, iterationTimeout: iteration);
    }

    private async ValueTask CreateCollectionCore(bool async, string name, CreateCollectionOptions? options, CancellationToken ct)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        var body = new BsonDocument("create", name);
        if (options is not null)
        {
            if (options.CappedSize is { } size)
            {
                body.Add("capped", true);
                body.Add("size", size);
            }

            if (options.MaxDocuments is { } max)
            {
                body.Add("max", max);
            }

            body.AddIf("validator", options.Validator);
            body.AddIf("viewOn", options.ViewOn is null ? null : new BsonString(options.ViewOn));
            if (options.Pipeline is not null)
            {
                body.Add("pipeline", Commands.ToArray(options.Pipeline));
            }

            body.AddIf("collation", options.Collation);
            if (options.Extra is not null)
            {
                foreach (var element in options.Extra)
                {
                    body.Set(element.Name, element.Value);
                }
            }
        }

        body.AddWriteConcern(Executor.WriteConcernFor(null, WriteConcern));
        await Executor.ExecuteAsync(async, new WriteCommand(DatabaseName, body) { Context = StartOperation(ct) }, ct).ConfigureAwait(false);
    }

    private async ValueTask DropCollectionCore(bool async, string name, CancellationToken ct)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        var body = new BsonDocument("drop", name).AddWriteConcern(Executor.WriteConcernFor(null, WriteConcern));
        try
        {
            await Executor.ExecuteAsync(async, new WriteCommand(DatabaseName, body) { Context = StartOperation(ct) }, ct).ConfigureAwait(false);
        }
        catch (MongoServerException ex) when (ex.Code == 26)
        {
            // NamespaceNotFound: the collection is already gone, which is what the caller wanted.
        }
    }

    /// <summary>
    /// A command run as given goes to the primary unless a read preference is given; inside a transaction it is a read and
    /// uses the transaction's read preference (transactions spec), which must be primary.
    /// </summary>
    private ReadPreference? RunCommandReadPreference(ReadPreference? readPreference) =>
        Session is { IsInTransaction: true } ? Executor.ReadPreferenceFor(readPreference, ReadPreference.Primary) : readPreference;

    private async ValueTask<BsonDocument> RunCommandCore(bool async, BsonDocument command, ReadPreference? readPreference, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(command);
        if (command.ElementCount == 0)
        {
            throw new ArgumentException("A command document must not be empty.", nameof(command));
        }

        // Run-command spec: the command is the caller's, so the driver cannot know it is safe to repeat; never retried.
        readPreference = RunCommandReadPreference(readPreference);
        var response = await Executor.ExecuteAsync(async, new RunCommand(DatabaseName, command, readPreference) { Context = StartOperation(ct) }, ct).ConfigureAwait(false);
        return response.Body;
    }

    private async ValueTask<MongoCursor<BsonDocument>> RunCursorCommandCore(bool async, BsonDocument command, RunCursorCommandOptions? options, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(command);
        if (command.ElementCount == 0)
        {
            throw new ArgumentException("A command document must not be empty.", nameof(command));
        }

        var readPreference = RunCommandReadPreference(options?.ReadPreference);
        bool tailable = command.GetValueOrDefault("tailable")?.ToBoolean() == true;
        OperationContext context = StartOperation(ct);
        bool iteration = OperationTimeouts.IsIteration(context, options?.TimeoutMode, tailable, options?.MaxAwaitTime, writeStage: false);
        if (iteration && command.GetValueOrDefault("awaitData")?.ToBoolean() != true)
        {
            // As for find: no maxTimeMS from timeoutMS in iteration mode, except on a tailable awaitData cursor's first command.
            context = context.With(ct, omitMaxTime: true);
        }

        var message = new RunCommand(DatabaseName, command, readPreference, opensCursor: true) { Context = context };
        var response = await CursorFactory.ExecuteAsync(async, Executor, message, ct).ConfigureAwait(false);
        if (!response.Body.TryGetValue("cursor", out var cursor) || cursor is not BsonDocument)
        {
            response.Session?.Release();
            response.Span?.End(null);
            throw new MongoClientException($"The reply to {message.CommandName} has no cursor document; use RunCommand for commands that do not open a cursor.");
        }

        return CursorFactory.Create(Executor, new DocumentCodec<BsonDocument>(SerializerRegistry), response, DatabaseName, message.CommandName, options?.BatchSize, maxAwaitTime: options?.MaxAwaitTime, comment: options?.Comment, tailable: tailable, context: context, iterationTimeout: iteration);
    }
}
