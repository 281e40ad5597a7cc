using Mongo.Bson;
using Mongo.Bson.Serialization;

namespace Mongo.Driver;

/// <summary>Where typed definitions find serialization models when they are rendered outside a collection.</summary>
internal static class TypedRendering
{
    /// <summary>
    /// The resolver the parameterless <c>Render()</c> of typed definitions uses: the process default (the reflection
    /// resolver, unless the app is trimmed/AOT or the feature switch turns it off). Collections do not use it directly:
    /// their own chain (<c>TypeResolver</c>) already ends with it.
    /// </summary>
    internal static IBsonTypeInfoResolver DefaultResolver => BsonTypeInfoResolver.Default;

    /// <summary>The model of the document type, or a clear error naming the type and what to change.</summary>
    internal static BsonTypeInfo Root(IBsonTypeInfoResolver resolver, Type documentType) =>
        resolver.GetTypeInfo(documentType) ?? throw new InvalidOperationException(
            "A typed definition over " + documentType + " cannot be rendered without its serialization model. " +
            BsonTypeInfoResolver.NoTypeInfo(documentType).Message + " To render outside a collection, call Render(IBsonTypeInfoResolver) with your context.");

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

    /// <summary>ToString of a deferred definition: rendered with the default resolver if it can, else a placeholder (ToString must not throw).</summary>
    internal static string TryDescribe<T>(Func<IBsonTypeInfoResolver, T> render)
        where T : BsonValue
    {
        try
        {
            return render(DefaultResolver).ToString() ?? string.Empty;
        }
        catch (Exception e) when (e is InvalidOperationException or MongoNotSupportedException or BsonSerializationException)
        {
            return "(typed definition: " + e.Message + ")";
        }
    }

    private sealed class ItemResolver(BsonTypeInfo item, IBsonTypeInfoResolver fallback) : IBsonTypeInfoResolver
    {
        // The field's own item model wins over the resolver's model of the item type: it carries the member's
        // representation (a [BsonRepresentation] on a collection member applies to its items).
        public BsonTypeInfo? GetTypeInfo(Type type) => type == item.Type ? item : fallback.GetTypeInfo(type);
    }
}
