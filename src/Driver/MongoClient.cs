using Mongo.Bson;
using Mongo.Driver.Operations;
using Mongo.Driver.Util;

namespace Mongo.Driver;

/// <summary>
/// The entry point: owns the connection pools and topology monitoring for one deployment. Create one per
/// application and share it (thread-safe); dispose it at shutdown.
/// </summary>
public sealed partial class MongoClient : IAsyncDisposable, IDisposable
{
    private readonly IOperationExecutor _executor;
    private int _disposed;

    /// <summary>
    /// Connects to the deployment a connection string describes (<c>mongodb://</c> or <c>mongodb+srv://</c>). Nothing is
    /// awaited here: servers are discovered (and a <c>mongodb+srv</c> host name resolved) in the background, and the
    /// first operation waits for a suitable server (see <see cref="MongoClientSettings.DnsResolver"/>).
    /// </summary>
    public MongoClient(string connectionString)
        : this(MongoClientSettings.FromConnectionString(connectionString ?? throw new ArgumentNullException(nameof(connectionString))))
    {
    }

    /// <summary>Connects with explicit settings.</summary>
    public MongoClient(MongoClientSettings settings)
        : this(settings, serializerRegistry: null)
    {
    }

    /// <summary>Connects with explicit settings and a serializer registry for the document types collections use.</summary>
    public MongoClient(MongoClientSettings settings, BsonSerializerRegistry? serializerRegistry)
        : this((settings ?? throw new ArgumentNullException(nameof(settings))).Clone(), null, serializerRegistry)
    {
    }

    internal MongoClient(MongoClientSettings settings, IOperationExecutor? executor, BsonSerializerRegistry? registry)
    {
        Settings = settings;
        ConfigurationLog.LogConnectionStringWarnings(settings); // before connecting, so they show even if SRV resolution fails
        // The cluster resolves a mongodb+srv host in the background when it starts: no DNS in this constructor.
        _executor = executor ?? new OperationExecutor(settings);
        SerializerRegistry = registry ?? BsonSerializerRegistry.Default;
        ReadConcern = settings.ReadConcern;
        WriteConcern = settings.WriteConcern;
        ReadPreference = settings.ReadPreference;
    }

    /// <summary>The settings this client was created with.</summary>
    public MongoClientSettings Settings { get; }

    /// <summary>The default read concern of databases obtained from this client.</summary>
    public ReadConcern ReadConcern { get; }

    /// <summary>The default write concern of databases obtained from this client.</summary>
    public WriteConcern WriteConcern { get; }

    /// <summary>The default read preference of databases obtained from this client.</summary>
    public ReadPreference ReadPreference { get; }

    /// <summary>Where collections find serializers for their document types.</summary>
    public BsonSerializerRegistry SerializerRegistry { get; }

    internal IOperationExecutor Executor
    {
        get
        {
            ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
            return _executor;
        }
    }

    /// <summary>A database handle (cheap; nothing is sent until an operation runs).</summary>
    /// <exception cref="ArgumentException">The name is empty or contains characters MongoDB forbids.</exception>
    public MongoDatabase GetDatabase(string name, MongoCollectionSettings? settings = null)
    {
        ValidateDatabaseName(name);
        return new MongoDatabase(this, name, settings?.ReadConcern ?? ReadConcern, settings?.WriteConcern ?? WriteConcern, settings?.ReadPreference ?? ReadPreference, settings?.SerializerRegistry ?? SerializerRegistry, serializerContext: Mongo.Bson.Serialization.BsonTypeInfoResolver.Combine(settings?.SerializerContext, Settings.SerializerContext), timeout: settings?.Timeout);
    }

    /// <summary>The names of all databases.</summary>
    public List<string> ListDatabaseNames(CancellationToken cancellationToken = default) =>
        ListDatabaseNamesCore(async: false, cancellationToken).GetAwaiter().GetResult();

    /// <summary>The names of all databases.</summary>
    public Task<List<string>> ListDatabaseNamesAsync(CancellationToken cancellationToken = default) =>
        ListDatabaseNamesCore(async: true, cancellationToken).AsTask();

    /// <summary>The <c>listDatabases</c> entries (name, sizeOnDisk, empty), optionally filtered.</summary>
    public List<BsonDocument> ListDatabases(FilterDefinition? filter = null, CancellationToken cancellationToken = default) =>
        ListDatabasesCore(async: false, filter, nameOnly: false, cancellationToken).GetAwaiter().GetResult();

    /// <summary>The <c>listDatabases</c> entries (name, sizeOnDisk, empty), optionally filtered.</summary>
    public Task<List<BsonDocument>> ListDatabasesAsync(FilterDefinition? filter = null, CancellationToken cancellationToken = default) =>
        ListDatabasesCore(async: true, filter, nameOnly: false, cancellationToken).AsTask();

    /// <summary>The names of all databases.</summary>
    /// <param name="options">This call's options (its timeout); null: as <see cref="ListDatabaseNames(CancellationToken)"/>.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public List<string> ListDatabaseNames(ListDatabasesOptions? options, CancellationToken cancellationToken = default) =>
        ListDatabaseNamesCore(async: false, cancellationToken, options?.Timeout).GetAwaiter().GetResult();

    /// <inheritdoc cref="ListDatabaseNames(ListDatabasesOptions?, CancellationToken)"/>
    public Task<List<string>> ListDatabaseNamesAsync(ListDatabasesOptions? options, CancellationToken cancellationToken = default) =>
        ListDatabaseNamesCore(async: true, cancellationToken, options?.Timeout).AsTask();

    /// <summary>The <c>listDatabases</c> entries (name, sizeOnDisk, empty), optionally filtered.</summary>
    /// <param name="filter">Which databases (null: all).</param>
    /// <param name="options">This call's options (its timeout); null: as <see cref="ListDatabases(FilterDefinition?, CancellationToken)"/>.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public List<BsonDocument> ListDatabases(FilterDefinition? filter, ListDatabasesOptions? options, CancellationToken cancellationToken = default) =>
        ListDatabasesCore(async: false, filter, nameOnly: false, cancellationToken, options?.Timeout).GetAwaiter().GetResult();

    /// <inheritdoc cref="ListDatabases(FilterDefinition?, ListDatabasesOptions?, CancellationToken)"/>
    public Task<List<BsonDocument>> ListDatabasesAsync(FilterDefinition? filter, ListDatabasesOptions? options, CancellationToken cancellationToken = default) =>
        ListDatabasesCore(async: true, filter, nameOnly: false, cancellationToken, options?.Timeout).AsTask();

    /// <summary>The names of all databases, read in <paramref name="session"/> (its causal consistency and cluster time).</summary>
    /// <param name="session">The explicit session (of this client) the command carries.</param>
    /// <param name="options">This call's options (its timeout); null: the client's.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="MongoClientException">The session belongs to another client.</exception>
    public List<string> ListDatabaseNames(MongoSession session, ListDatabasesOptions? options = null, CancellationToken cancellationToken = default) =>
        ListDatabaseNamesCore(async: false, cancellationToken, options?.Timeout, SessionArgument(session)).GetAwaiter().GetResult();

    /// <inheritdoc cref="ListDatabaseNames(MongoSession, ListDatabasesOptions?, CancellationToken)"/>
    public Task<List<string>> ListDatabaseNamesAsync(MongoSession session, ListDatabasesOptions? options = null, CancellationToken cancellationToken = default) =>
        ListDatabaseNamesCore(async: true, cancellationToken, options?.Timeout, SessionArgument(session)).AsTask();

    /// <summary>The <c>listDatabases</c> entries (name, sizeOnDisk, empty), optionally filtered, read in <paramref name="session"/>.</summary>
    /// <param name="session">The explicit session (of this client) the command carries.</param>
    /// <param name="filter">Which databases (null: all).</param>
    /// <param name="options">This call's options (its timeout); null: the client's.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="MongoClientException">The session belongs to another client.</exception>
    public List<BsonDocument> ListDatabases(MongoSession session, FilterDefinition? filter = null, ListDatabasesOptions? options = null, CancellationToken cancellationToken = default) =>
        ListDatabasesCore(async: false, filter, nameOnly: false, cancellationToken, options?.Timeout, SessionArgument(session)).GetAwaiter().GetResult();

    /// <inheritdoc cref="ListDatabases(MongoSession, FilterDefinition?, ListDatabasesOptions?, CancellationToken)"/>
    public Task<List<BsonDocument>> ListDatabasesAsync(MongoSession session, FilterDefinition? filter = null, ListDatabasesOptions? options = null, CancellationToken cancellationToken = default) =>
        ListDatabasesCore(async: true, filter, nameOnly: false, cancellationToken, options?.Timeout, SessionArgument(session)).AsTask();

    /// <summary>Drops a database and all its collections.</summary>
    public void DropDatabase(string name, CancellationToken cancellationToken = default) =>
        GetDatabase(name).DropCore(async: false, cancellationToken).GetAwaiter().GetResult();

    /// <summary>Drops a database and all its collections.</summary>
    public Task DropDatabaseAsync(string name, CancellationToken cancellationToken = default) =>
        GetDatabase(name).DropCore(async: true, cancellationToken).AsTask();

    /// <summary>Drops a database and all its collections, in <paramref name="session"/>.</summary>
    /// <param name="session">The explicit session (of this client) the command carries.</param>
    /// <param name="name">The database.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="MongoClientException">The session belongs to another client.</exception>
    public void DropDatabase(MongoSession session, string name, CancellationToken cancellationToken = default) =>
        GetDatabase(name).WithSession(SessionArgument(session)).DropCore(async: false, cancellationToken).GetAwaiter().GetResult();

    /// <inheritdoc cref="DropDatabase(MongoSession, string, CancellationToken)"/>
    public Task DropDatabaseAsync(MongoSession session, string name, CancellationToken cancellationToken = default) =>
        GetDatabase(name).WithSession(SessionArgument(session)).DropCore(async: true, cancellationToken).AsTask();

    /// <summary>Closes every connection and stops monitoring.</summary>
    /// <remarks>First tells the deployment the client's pooled server sessions are finished (endSessions, errors ignored).</remarks>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _executor.CloseAsync(async: false).GetAwaiter().GetResult();
        }
    }

    /// <summary>Closes every connection and stops monitoring.</summary>
    /// <remarks>First tells the deployment the client's pooled server sessions are finished (endSessions, errors ignored).</remarks>
    public ValueTask DisposeAsync() =>
        Interlocked.Exchange(ref _disposed, 1) == 0 ? _executor.CloseAsync(async: true) : default;

    private async ValueTask<List<string>> ListDatabaseNamesCore(bool async, CancellationToken ct, TimeSpan? timeout = null, MongoSession? session = null)
    {
        var databases = await ListDatabasesCore(async, null, nameOnly: true, ct, timeout, session).ConfigureAwait(false);
        var names = new List<string>(databases.Count);
        foreach (var database in databases)
        {
            if (database.TryGetValue("name", out var name) && name.IsString)
            {
                names.Add(name.AsString);
            }
        }

        return names;
    }

    /// <summary>Checks an explicit session argument up front, before anything is sent (it must be this client's).</summary>
    private MongoSession SessionArgument(MongoSession session)
    {
        CheckSession(session);
        return session;
    }

    private async ValueTask<List<BsonDocument>> ListDatabasesCore(bool async, FilterDefinition? filter, bool nameOnly, CancellationToken ct, TimeSpan? timeout = null, MongoSession? session = null)
    {
        var body = new BsonDocument("listDatabases", 1);
        if (filter is not null)
        {
            body.Add("filter", filter.Render());
        }

        if (nameOnly)
        {
            body.Add("nameOnly", true);
        }

        // With a session the command goes through its bound executor, as a collection handle's WithSession does.
        var executor = session is null ? Executor : session.BoundExecutor;
        var response = await executor.ExecuteAsync(async, new ReadCommand("admin", body, readPreference: null) { Context = OperationTimeouts.Start(timeout ?? Settings.Timeout, timeout, session, ct) }, ct).ConfigureAwait(false);
        var list = new List<BsonDocument>();
        if (response.Body.TryGetValue("databases", out var databases) && databases is BsonArray array)
        {
            foreach (var item in array)
            {
                if (item is BsonDocument document)
                {
                    list.Add(document);
                }
            }
        }

        return list;
    }

    internal static void ValidateDatabaseName(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (name.AsSpan().IndexOfAny("/\\. \"$\0") >= 0)
        {
            throw new ArgumentException("Database name '" + name + "' contains a character MongoDB forbids (/\\. \"$ or NUL).", nameof(name));
        }
    }
}
