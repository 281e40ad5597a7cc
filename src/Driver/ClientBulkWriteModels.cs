using Mongo.Bson;
using Mongo.Bson.Serialization;
using Mongo.Driver.Util;

namespace Mongo.Driver;

/// <summary>
/// One write of a <see cref="MongoClient.BulkWrite(IReadOnlyList{ClientBulkWriteModel}, ClientBulkWriteOptions?, CancellationToken)"/>: insert, update, replace or delete, each naming the collection it
/// targets, so one call can write to many collections and databases.
/// </summary>
public abstract class ClientBulkWriteModel
{
    private protected ClientBulkWriteModel(CollectionNamespace ns) => Namespace = ns ?? throw new ArgumentNullException(nameof(ns));

    /// <summary>The collection this write targets.</summary>
    public CollectionNamespace Namespace { get; }

    /// <summary>Which of the command's op kinds this is (the op document's first element).</summary>
    internal abstract ClientWriteKind Kind { get; }

    /// <summary>Writes the op's fields after its first element (<c>insert</c>/<c>update</c>/<c>delete</c>).</summary>
    /// <param name="writer">Where the op document is being written.</param>
    /// <param name="registry">Hand-registered serializers.</param>
    /// <param name="resolver">The client's serializer context (then the default resolution): typed documents are
    /// encoded and typed definitions rendered with it, so an AOT app's generated context is used here too.</param>
    /// <returns>For inserts, the document's <c>_id</c> (generated when absent); otherwise null.</returns>
    internal abstract BsonValue? WriteFields(BsonWriter writer, BsonSerializerRegistry registry, IBsonTypeInfoResolver resolver);

    private protected static void WriteCommon(BsonWriter writer, BsonDocument? collation, BsonValue? hint)
    {
        if (hint is not null)
        {
            writer.WriteValue("hint", hint);
        }

        if (collation is not null)
        {
            writer.WriteValue("collation", collation);
        }
    }

    private protected static void WriteUpdate(BsonWriter writer, IBsonTypeInfoResolver resolver, FilterDefinition filter, BsonValue updateMods, bool multi, bool? upsert,
        IReadOnlyList<BsonDocument>? arrayFilters, BsonDocument? collation, BsonValue? hint, SortDefinition? sort)
    {
        writer.WriteValue("filter", filter.Render(resolver));
        writer.WriteValue("updateMods", updateMods);
        writer.WriteBoolean("multi", multi);
        if (upsert is { } u)
        {
            writer.WriteBoolean("upsert", u);
        }

        if (arrayFilters is not null)
        {
            writer.WriteValue("arrayFilters", Commands.ToArray(arrayFilters));
        }

        WriteCommon(writer, collation, hint);
        if (sort is not null)
        {
            writer.WriteValue("sort", sort.Render(resolver));
        }
    }

    private protected static BsonValue ValidatedUpdate(UpdateDefinition update, IBsonTypeInfoResolver resolver)
    {
        ArgumentNullException.ThrowIfNull(update);
        var value = update.Render(resolver);
        if (value is BsonDocument document && (document.ElementCount == 0 || !document.GetElement(0).Name.StartsWith('$')))
        {
            throw new ArgumentException("An update document must start with an update operator such as $set (use a replace model to replace a whole document).", nameof(update));
        }

        return value;
    }
}

/// <summary>The kinds of op the <c>bulkWrite</c> command knows.</summary>
internal enum ClientWriteKind
{
    Insert,
    Update,
    Delete,
}

/// <summary>Inserts a document (an ObjectId <c>_id</c> is added at the front when absent).</summary>
/// <typeparam name="TDocument">The document type (a <see cref="BsonDocument"/> or a type with a registered serializer).</typeparam>
public sealed class ClientInsertOneModel<TDocument>(CollectionNamespace ns, TDocument document) : ClientBulkWriteModel(ns)
{
    /// <summary>The document.</summary>
    public TDocument Document { get; } = document ?? throw new ArgumentNullException(nameof(document));

    internal override ClientWriteKind Kind => ClientWriteKind.Insert;

    internal override BsonValue? WriteFields(BsonWriter writer, BsonSerializerRegistry registry, IBsonTypeInfoResolver resolver)
    {
        writer.WriteName("document");
        if (Document is BsonDocument document)
        {
            // A linear scan, not a lookup: a lookup builds a name index, wasted on a document written once.
            BsonValue? id = null;
            foreach (var element in document.Elements)
            {
                if (element.Name == "_id")
                {
                    id = element.Value;
                    break;
                }
            }

            if (id is null)
            {
                id = new BsonObjectId(ObjectId.GenerateNewId());
                document.InsertAt(0, new BsonElement("_id", id));
            }

            writer.WriteValue(document);
            return id;
        }

        var codec = new DocumentCodec<TDocument>(registry, resolver);
        codec.GenerateId(Document);
        byte[] bytes = codec.Encode(Document);
        if (!BsonBytes.TryGetValue(bytes, "_id", out var found))
        {
            var generated = ObjectId.GenerateNewId();
            bytes = BsonBytes.PrependObjectId(bytes, "_id", generated);
            found = new BsonObjectId(generated);
        }

        writer.WriteRawDocument(bytes);
        return found;
    }
}

/// <summary>Updates the first document matching a filter.</summary>
public sealed class ClientUpdateOneModel(CollectionNamespace ns, FilterDefinition filter, UpdateDefinition update) : ClientBulkWriteModel(ns)
{
    /// <summary>Which document to change.</summary>
    public FilterDefinition Filter { get; } = filter ?? throw new ArgumentNullException(nameof(filter));

    /// <summary>The update operators or pipeline.</summary>
    public UpdateDefinition Update { get; } = update ?? throw new ArgumentNullException(nameof(update));

    /// <summary>Insert a document when none matches (sent only when set).</summary>
    public bool? IsUpsert { get; init; }

    /// <summary>Filters choosing which array elements <c>$[identifier]</c> updates.</summary>
    public IReadOnlyList<BsonDocument>? ArrayFilters { get; init; }

    /// <summary>String comparison rules.</summary>
    public BsonDocument? Collation { get; init; }

    /// <summary>The index to use: its name (string) or its key document.</summary>
    public BsonValue? Hint { get; init; }

    /// <summary>Which document is "first" when several match.</summary>
    public SortDefinition? Sort { get; init; }

    internal override ClientWriteKind Kind => ClientWriteKind.Update;

    internal override BsonValue? WriteFields(BsonWriter writer, BsonSerializerRegistry registry, IBsonTypeInfoResolver resolver)
    {
        WriteUpdate(writer, resolver, Filter, ValidatedUpdate(Update, resolver), multi: false, IsUpsert, ArrayFilters, Collation, Hint, Sort);
        return null;
    }
}

/// <summary>Updates every document matching a filter.</summary>
public sealed class ClientUpdateManyModel(CollectionNamespace ns, FilterDefinition filter, UpdateDefinition update) : ClientBulkWriteModel(ns)
{
    /// <summary>Which documents to change.</summary>
    public FilterDefinition Filter { get; } = filter ?? throw new ArgumentNullException(nameof(filter));

    /// <summary>The update operators or pipeline.</summary>
    public UpdateDefinition Update { get; } = update ?? throw new ArgumentNullException(nameof(update));

    /// <summary>Insert a document when none matches (sent only when set).</summary>
    public bool? IsUpsert { get; init; }

    /// <summary>Filters choosing which array elements <c>$[identifier]</c> updates.</summary>
    public IReadOnlyList<BsonDocument>? ArrayFilters { get; init; }

    /// <summary>String comparison rules.</summary>
    public BsonDocument? Collation { get; init; }

    /// <summary>The index to use: its name (string) or its key document.</summary>
    public BsonValue? Hint { get; init; }

    internal override ClientWriteKind Kind => ClientWriteKind.Update;

    internal override BsonValue? WriteFields(BsonWriter writer, BsonSerializerRegistry registry, IBsonTypeInfoResolver resolver)
    {
        WriteUpdate(writer, resolver, Filter, ValidatedUpdate(Update, resolver), multi: true, IsUpsert, ArrayFilters, Collation, Hint, sort: null);
        return null;
    }
}

/// <summary>Replaces the first document matching a filter.</summary>
/// <typeparam name="TDocument">The document type (a <see cref="BsonDocument"/> or a type with a registered serializer).</typeparam>
public sealed class ClientReplaceOneModel<TDocument>(CollectionNamespace ns, FilterDefinition filter, TDocument replacement) : ClientBulkWriteModel(ns)
{
    /// <summary>Which document to replace.</summary>
    public FilterDefinition Filter { get; } = filter ?? throw new ArgumentNullException(nameof(filter));

    /// <summary>The new document (without update operators).</summary>
    public TDocument Replacement { get; } = replacement ?? throw new ArgumentNullException(nameof(replacement));

    /// <summary>Insert the replacement when nothing matches (sent only when set).</summary>
    public bool? IsUpsert { get; init; }

    /// <summary>String comparison rules.</summary>
    public BsonDocument? Collation { get; init; }

    /// <summary>The index to use: its name (string) or its key document.</summary>
    public BsonValue? Hint { get; init; }

    /// <summary>Which document is "first" when several match.</summary>
    public SortDefinition? Sort { get; init; }

    internal override ClientWriteKind Kind => ClientWriteKind.Update;

    internal override BsonValue? WriteFields(BsonWriter writer, BsonSerializerRegistry registry, IBsonTypeInfoResolver resolver)
    {
        var document = Replacement as BsonDocument ?? BsonDocument.FromBytes(new DocumentCodec<TDocument>(registry, resolver).Encode(Replacement));
        if (document.ElementCount > 0 && document.GetElement(0).Name.StartsWith('$'))
        {
            throw new ArgumentException("A replacement document must not start with an update operator (" + document.GetElement(0).Name + "); use an update model.", nameof(Replacement));
        }

        WriteUpdate(writer, resolver, Filter, document, multi: false, IsUpsert, arrayFilters: null, Collation, Hint, Sort);
        return null;
    }
}

/// <summary>Deletes the first document matching a filter.</summary>
public sealed class ClientDeleteOneModel(CollectionNamespace ns, FilterDefinition filter) : ClientBulkWriteModel(ns)
{
    /// <summary>Which document to delete.</summary>
    public FilterDefinition Filter { get; } = filter ?? throw new ArgumentNullException(nameof(filter));

    /// <summary>String comparison rules.</summary>
    public BsonDocument? Collation { get; init; }

    /// <summary>The index to use: its name (string) or its key document.</summary>
    public BsonValue? Hint { get; init; }

    internal override ClientWriteKind Kind => ClientWriteKind.Delete;

    internal override BsonValue? WriteFields(BsonWriter writer, BsonSerializerRegistry registry, IBsonTypeInfoResolver resolver)
    {
        writer.WriteValue("filter", Filter.Render(resolver));
        writer.WriteBoolean("multi", false);
        WriteCommon(writer, Collation, Hint);
        return null;
    }
}

/// <summary>Deletes every document matching a filter.</summary>
public sealed class ClientDeleteManyModel(CollectionNamespace ns, FilterDefinition filter) : ClientBulkWriteModel(ns)
{
    /// <summary>Which documents to delete.</summary>
    public FilterDefinition Filter { get; } = filter ?? throw new ArgumentNullException(nameof(filter));

    /// <summary>String comparison rules.</summary>
    public BsonDocument? Collation { get; init; }

    /// <summary>The index to use: its name (string) or its key document.</summary>
    public BsonValue? Hint { get; init; }

    internal override ClientWriteKind Kind => ClientWriteKind.Delete;

    internal override BsonValue? WriteFields(BsonWriter writer, BsonSerializerRegistry registry, IBsonTypeInfoResolver resolver)
    {
        writer.WriteValue("filter", Filter.Render(resolver));
        writer.WriteBoolean("multi", true);
        WriteCommon(writer, Collation, Hint);
        return null;
    }
}
