using Mongo.Bson;
using Mongo.Driver.Operations;
using Mongo.Driver.Util;

namespace Mongo.Driver;

/// <summary>
/// A collection handle: cheap, immutable, thread-safe. Every operation has a synchronous and an
/// <c>...Async</c> form that share one implementation.
/// </summary>
/// <typeparam name="TDocument">The document type (<see cref="BsonDocument"/>, <see cref="RawBsonDocument"/> or any registered type).</typeparam>
public sealed partial class MongoCollection<TDocument>
{
    private readonly DocumentCodec<TDocument> _codec;
    private readonly TimeSpan? _timeout;

    internal MongoCollection(MongoDatabase database, string name, ReadConcern readConcern, WriteConcern writeConcern, ReadPreference readPreference, DocumentCodec<TDocument> codec, TimeSpan? timeout = null)
    {
        _timeout = timeout is { } t ? OperationTimeouts.Validate(t) : null;
        Database = database;
        CollectionName = name;
        ReadConcern = readConcern;
        WriteConcern = writeConcern;
        ReadPreference = readPreference;
        _codec = codec;
    }

    /// <summary>The database this collection belongs to.</summary>
    public MongoDatabase Database { get; }

    /// <summary>The collection's name.</summary>
    public string CollectionName { get; }

    /// <summary>The full namespace, <c>database.collection</c>.</summary>
    public string Namespace => Database.DatabaseName + "." + CollectionName;

    /// <summary>The read concern operations use unless they override it.</summary>
    public ReadConcern ReadConcern { get; }

    /// <summary>The write concern operations use unless they override it.</summary>
    public WriteConcern WriteConcern { get; }

    /// <summary>The read preference operations use unless they override it.</summary>
    public ReadPreference ReadPreference { get; }

    internal IOperationExecutor Executor => Database.Executor;

    /// <summary>The explicit session every operation of this handle uses, or null for implicit sessions.</summary>
    public MongoSession? Session => Database.Session;

    /// <summary>
    /// A copy of this handle whose every operation, including the cursors it opens (their getMore and killCursors), runs in
    /// <paramref name="session"/>; null goes back to implicit sessions.
    /// </summary>
    /// <exception cref="MongoClientException">The session belongs to another client.</exception>
    /// <exception cref="ObjectDisposedException">The session was disposed.</exception>
    public MongoCollection<TDocument> WithSession(MongoSession? session) =>
        new(Database.WithSession(session), CollectionName, ReadConcern, WriteConcern, ReadPreference, _codec, _timeout);

    internal DocumentCodec<TDocument> Codec => _codec;

    /// <summary>
    /// The <c>timeoutMS</c> operations of this handle run under: its own, else the database's, else the client's; null when
    /// none sets one (the legacy timeouts then apply). <see cref="System.Threading.Timeout.InfiniteTimeSpan"/> means no limit.
    /// </summary>
    public TimeSpan? Timeout => _timeout ?? Database.Timeout;

    /// <summary>
    /// A copy of this handle whose every operation — with its retries, batches and the getMores of the cursors it opens —
    /// must finish within <paramref name="timeout"/> (<c>timeoutMS</c>); zero or <see cref="System.Threading.Timeout.InfiniteTimeSpan"/> for
    /// no limit. It is also how one call gets its own timeout: <c>collection.WithTimeout(t).InsertOne(...)</c> (handles are cheap).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="timeout"/> is negative.</exception>
    public MongoCollection<TDocument> WithTimeout(TimeSpan timeout) =>
        new(Database, CollectionName, ReadConcern, WriteConcern, ReadPreference, _codec, OperationTimeouts.Validate(timeout));

    /// <summary>A new call of this handle: its one deadline (timeoutMS), operation id and token.</summary>
    internal OperationContext StartOperation(CancellationToken cancellationToken, bool omitMaxTime = false) =>
        Database.PinnedContext?.With(cancellationToken, omitMaxTime) ?? OperationTimeouts.Start(Timeout, _timeout ?? Database.OwnTimeout, Session, cancellationToken, omitMaxTime);

    private string DatabaseName => Database.DatabaseName;

    /// <summary>A copy of this handle with another read concern.</summary>
    public MongoCollection<TDocument> WithReadConcern(ReadConcern readConcern) =>
        new(Database, CollectionName, readConcern ?? throw new ArgumentNullException(nameof(readConcern)), WriteConcern, ReadPreference, _codec, _timeout);

    /// <summary>A copy of this handle with another write concern.</summary>
    public MongoCollection<TDocument> WithWriteConcern(WriteConcern writeConcern) =>
        new(Database, CollectionName, ReadConcern, writeConcern ?? throw new ArgumentNullException(nameof(writeConcern)), ReadPreference, _codec, _timeout);

    /// <summary>A copy of this handle with another read preference.</summary>
    public MongoCollection<TDocument> WithReadPreference(ReadPreference readPreference) =>
        new(Database, CollectionName, ReadConcern, WriteConcern, readPreference ?? throw new ArgumentNullException(nameof(readPreference)), _codec, _timeout);

    /// <summary>A handle on the same collection with another document type (e.g. <see cref="RawBsonDocument"/>).</summary>
    public MongoCollection<TOther> WithDocumentType<TOther>(BsonSerializerRegistry? registry = null) =>
        new(Database, CollectionName, ReadConcern, WriteConcern, ReadPreference, new DocumentCodec<TOther>(registry ?? Database.SerializerRegistry, _codec.Resolver), _timeout);

    /// <summary>Renders an update with the collection's models and checks its shape.</summary>
    private BsonValue RenderUpdate(UpdateDefinition update)
    {
        ArgumentNullException.ThrowIfNull(update);
        var rendered = update.Render(TypeResolver);
        switch (rendered)
        {
            case BsonDocument document:
                if (document.ElementCount == 0 || !document.GetElement(0).Name.StartsWith('$'))
                {
                    throw new ArgumentException("An update document must contain update operators such as $set (use ReplaceOne to replace a whole document).", nameof(update));
                }

                break;
            case BsonArray pipeline:
                foreach (var stage in pipeline)
                {
                    if (stage is not BsonDocument)
                    {
                        throw new ArgumentException("An update pipeline must contain only stage documents.", nameof(update));
                    }
                }

                break;
        }

        return rendered;
    }

    private static void ValidateReplacement(BsonDocument replacement)
    {
        if (replacement.ElementCount > 0 && replacement.GetElement(0).Name.StartsWith('$'))
        {
            throw new ArgumentException("A replacement document must not contain update operators (use UpdateOne to apply operators).", nameof(replacement));
        }
    }

    private BsonDocument ReplacementDocument(TDocument replacement)
    {
        var document = replacement as BsonDocument ?? BsonDocument.FromBytes(_codec.Encode(replacement));
        ValidateReplacement(document);
        return document;
    }
}
