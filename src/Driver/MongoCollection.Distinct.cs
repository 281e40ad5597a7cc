using System.Linq.Expressions;
using Mongo.Bson;
using Mongo.Bson.Serialization;
using Mongo.Driver.Linq;

namespace Mongo.Driver;

public sealed partial class MongoCollection<TDocument>
{
    /// <summary>The distinct values of a member (<c>p => p.Home.City</c>), decoded with the member's model.</summary>
    /// <exception cref="MongoNotSupportedException">The selector is not a member path.</exception>
    public List<TField> Distinct<TField>(Expression<Func<TDocument, TField>> field, FilterDefinition? filter = null, DistinctOptions? options = null, CancellationToken cancellationToken = default) =>
        DistinctTypedCore(async: false, field, filter, options, cancellationToken).GetAwaiter().GetResult();

    /// <summary>The distinct values of a member (<c>p => p.Home.City</c>), decoded with the member's model.</summary>
    /// <exception cref="MongoNotSupportedException">The selector is not a member path.</exception>
    public Task<List<TField>> DistinctAsync<TField>(Expression<Func<TDocument, TField>> field, FilterDefinition? filter = null, DistinctOptions? options = null, CancellationToken cancellationToken = default) =>
        DistinctTypedCore(async: true, field, filter, options, cancellationToken).AsTask();

    /// <summary>The distinct values of a member among the documents matching a predicate.</summary>
    /// <exception cref="MongoNotSupportedException">The selector or the predicate has no MQL translation.</exception>
    public List<TField> Distinct<TField>(Expression<Func<TDocument, TField>> field, Expression<Func<TDocument, bool>> filter, DistinctOptions? options = null, CancellationToken cancellationToken = default) =>
        Distinct(field, Where(filter), options, cancellationToken);

    /// <summary>The distinct values of a member among the documents matching a predicate.</summary>
    /// <exception cref="MongoNotSupportedException">The selector or the predicate has no MQL translation.</exception>
    public Task<List<TField>> DistinctAsync<TField>(Expression<Func<TDocument, TField>> field, Expression<Func<TDocument, bool>> filter, DistinctOptions? options = null, CancellationToken cancellationToken = default) =>
        DistinctAsync(field, Where(filter), options, cancellationToken);

    private async ValueTask<List<TField>> DistinctTypedCore<TField>(bool async, Expression<Func<TDocument, TField>> field, FilterDefinition? filter, DistinctOptions? options, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(field);
        var resolver = TypeResolver;
        var rendered = FieldPaths.Resolve(field, TypedRendering.Root(resolver, typeof(TDocument)));
        var values = await DistinctCore(async, rendered.Path, filter, options, ct).ConfigureAwait(false);

        // The member's own model carries its representation (an enum stored as a string decodes back to the enum).
        var model = rendered.TypeInfo?.Type == typeof(TField) ? rendered.TypeInfo
            : rendered.ItemTypeInfo?.Type == typeof(TField) ? rendered.ItemTypeInfo
            : TypedRendering.Root(resolver, typeof(TField));
        return values.ConvertAll(value => Decode<TField>(model, value));
    }

    private static TField Decode<TField>(BsonTypeInfo model, BsonValue value)
    {
        // Serializers read a value where the reader stands: wrap it in a one-element document and step onto it.
        byte[] bytes = new BsonDocument("v", value).ToBytes();
        var reader = new BsonReader(bytes);
        reader.Read();
        reader.Read();
        return (TField)model.DeserializeBoxed(ref reader)!;
    }
}
