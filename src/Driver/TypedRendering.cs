using Mongo.Bson;
using Mongo.Bson.Serialization;

namespace Mongo.Driver;

/// <summary>Where typed definitions find serialization models when they are rendered outside a collection.</summary>
internal static class TypedRendering
{
    /// <summary>
    /// The resolver the parameterless <c>Render()</c> of typed definitions uses, and the last resort of a collection's
    /// chain. Null until a reflection-based resolver registers itself (trimmed/AOT applications keep it null, so typed
    /// definitions there must be rendered by a collection with a generated context, or with an explicit resolver).
    /// </summary>
    internal static IBsonTypeInfoResolver? DefaultResolver { get; set; }

    internal static IBsonTypeInfoResolver RequireDefault() =>
        DefaultResolver ?? throw new InvalidOperationException(
            "This definition was built from typed members and needs a serialization model to render: call Render(IBsonTypeInfoResolver) " +
            "with the resolver of your serializer context, or pass the definition to a collection, which renders it with its own models.");

    /// <summary>The model of the document type, or a clear error naming the type.</summary>
    internal static BsonTypeInfo Root(IBsonTypeInfoResolver resolver, Type documentType) =>
        resolver.GetTypeInfo(documentType) ?? throw new InvalidOperationException(
            $"No serialization model for {documentType}: the resolver used to render this typed definition does not know the type " +
            "(add it to the collection's serializer context, or enable the reflection-based resolver).");

    /// <summary>A deferred document with one more key: <c>field</c> rendered against the document model, its value from the rendered field.</summary>
    internal static Func<IBsonTypeInfoResolver, BsonDocument> WithKey(
        Func<IBsonTypeInfoResolver, BsonDocument> previous, Type documentType, System.Linq.Expressions.LambdaExpression field,
        Func<Linq.RenderedField, IBsonTypeInfoResolver, BsonValue> value)
    {
        ArgumentNullException.ThrowIfNull(field);
        return resolver =>
        {
            var document = new BsonDocument(previous(resolver));
            var rendered = Linq.FieldPaths.Resolve(field, Root(resolver, documentType));
            document.Set(rendered.Path, value(rendered, resolver));
            return document;
        };
    }

    /// <summary>A resolver that answers the item model of a field for the item type (sub-filters of $elemMatch, $pull).</summary>
    internal static IBsonTypeInfoResolver ForItems(BsonTypeInfo? item, IBsonTypeInfoResolver fallback) =>
        item is null ? fallback : new ItemResolver(item, fallback);

    /// <summary>ToString of a deferred definition: rendered if a default resolver can, else a placeholder (ToString must not throw).</summary>
    internal static string TryDescribe<T>(Func<IBsonTypeInfoResolver, T> render)
        where T : BsonValue
    {
        if (DefaultResolver is { } resolver)
        {
            try
            {
                return render(resolver).ToString() ?? string.Empty;
            }
            catch (Exception e) when (e is InvalidOperationException or MongoNotSupportedException)
            {
                return "(typed definition: " + e.Message + ")";
            }
        }

        return "(typed definition; render it with a resolver)";
    }

    private sealed class ItemResolver(BsonTypeInfo item, IBsonTypeInfoResolver fallback) : IBsonTypeInfoResolver
    {
        // The field's own item model wins over the resolver's model of the item type: it carries the member's
        // representation (a [BsonRepresentation] on a collection member applies to its items).
        public BsonTypeInfo? GetTypeInfo(Type type) => type == item.Type ? item : fallback.GetTypeInfo(type);
    }
}
