using System.Linq.Expressions;
using System.Text.RegularExpressions;
using Mongo.Bson;
using Mongo.Bson.Serialization;
using Mongo.Driver.Linq;

namespace Mongo.Driver;

/// <summary>
/// Typed filter builders (<see cref="Builders{TDocument}.Filter"/>). Fields are member paths; values are encoded with the
/// field's model, and a value compared with the items of a collection field with the item model.
/// </summary>
/// <typeparam name="TDocument">The document type.</typeparam>
public sealed class FilterDefinitionBuilder<TDocument>
{
    internal FilterDefinitionBuilder()
    {
    }

    /// <summary>The filter that matches every document (<c>{}</c>).</summary>
    public FilterDefinition<TDocument> Empty => new(new BsonDocument());

    /// <summary>Translates a predicate to MQL (<c>p => p.Age > 30 &amp;&amp; p.Name.StartsWith("A")</c>).</summary>
    /// <remarks>Translation happens when the filter is rendered; what cannot be translated throws <see cref="MongoNotSupportedException"/> naming the sub-expression.</remarks>
    public FilterDefinition<TDocument> Where(Expression<Func<TDocument, bool>> predicate)
    {
        ArgumentNullException.ThrowIfNull(predicate);
        return Typed(root => ExpressionFilter.Translate(predicate, root));
    }

    /// <summary><c>{field: value}</c>.</summary>
    public FilterDefinition<TDocument> Eq<TField>(Expression<Func<TDocument, TField>> field, TField value) =>
        Field(field, f => FieldPaths.Encode(f.TypeInfo, value));

    /// <summary><c>{field: {$ne: value}}</c>.</summary>
    public FilterDefinition<TDocument> Ne<TField>(Expression<Func<TDocument, TField>> field, TField value) => Op(field, "$ne", value);

    /// <summary><c>{field: {$gt: value}}</c>.</summary>
    public FilterDefinition<TDocument> Gt<TField>(Expression<Func<TDocument, TField>> field, TField value) => Op(field, "$gt", value);

    /// <summary><c>{field: {$gte: value}}</c>.</summary>
    public FilterDefinition<TDocument> Gte<TField>(Expression<Func<TDocument, TField>> field, TField value) => Op(field, "$gte", value);

    /// <summary><c>{field: {$lt: value}}</c>.</summary>
    public FilterDefinition<TDocument> Lt<TField>(Expression<Func<TDocument, TField>> field, TField value) => Op(field, "$lt", value);

    /// <summary><c>{field: {$lte: value}}</c>.</summary>
    public FilterDefinition<TDocument> Lte<TField>(Expression<Func<TDocument, TField>> field, TField value) => Op(field, "$lte", value);

    /// <summary><c>{field: {$in: [values]}}</c>.</summary>
    public FilterDefinition<TDocument> In<TField>(Expression<Func<TDocument, TField>> field, IEnumerable<TField> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var list = values.ToList();
        return Field(field, f => new BsonDocument("$in", FieldPaths.EncodeAll(f.TypeInfo, list)));
    }

    /// <summary><c>{field: {$nin: [values]}}</c>.</summary>
    public FilterDefinition<TDocument> Nin<TField>(Expression<Func<TDocument, TField>> field, IEnumerable<TField> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var list = values.ToList();
        return Field(field, f => new BsonDocument("$nin", FieldPaths.EncodeAll(f.TypeInfo, list)));
    }

    /// <summary><c>{field: {$exists: exists}}</c>.</summary>
    public FilterDefinition<TDocument> Exists<TField>(Expression<Func<TDocument, TField>> field, bool exists = true) =>
        Field(field, _ => new BsonDocument("$exists", exists));

    /// <summary><c>{field: {$type: type}}</c>.</summary>
    public FilterDefinition<TDocument> Type<TField>(Expression<Func<TDocument, TField>> field, BsonType type) =>
        Field(field, _ => new BsonDocument("$type", (int)type));

    /// <summary><c>{field: {$type: alias}}</c> (<c>"number"</c>, <c>"string"</c>, ...).</summary>
    public FilterDefinition<TDocument> Type<TField>(Expression<Func<TDocument, TField>> field, string alias)
    {
        ArgumentException.ThrowIfNullOrEmpty(alias);
        return Field(field, _ => new BsonDocument("$type", alias));
    }

    /// <summary><c>{field: /pattern/options}</c> (the pattern is PCRE, as the server reads it).</summary>
    public FilterDefinition<TDocument> Regex<TField>(Expression<Func<TDocument, TField>> field, string pattern, string options = "")
    {
        ArgumentNullException.ThrowIfNull(pattern);
        ArgumentNullException.ThrowIfNull(options);
        return Field(field, _ => new BsonRegularExpression(pattern, options));
    }

    /// <summary><c>{field: /pattern/options}</c> from a .NET regex (its pattern and i/m/x/s options).</summary>
    public FilterDefinition<TDocument> Regex<TField>(Expression<Func<TDocument, TField>> field, Regex regex)
    {
        ArgumentNullException.ThrowIfNull(regex);
        return Field(field, _ => ExpressionFilter.ToBsonRegex(regex));
    }

    /// <summary><c>{field: item}</c>: a collection field holds the item (the item is encoded with the item model).</summary>
    public FilterDefinition<TDocument> AnyEq<TItem>(Expression<Func<TDocument, IEnumerable<TItem>>> field, TItem item) =>
        Field(field, f => FieldPaths.Encode(f.ItemTypeInfo, item));

    /// <summary><c>{field: {$in: [items]}}</c>: a collection field holds one of the items.</summary>
    public FilterDefinition<TDocument> AnyIn<TItem>(Expression<Func<TDocument, IEnumerable<TItem>>> field, IEnumerable<TItem> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        var list = items.ToList();
        return Field(field, f => new BsonDocument("$in", FieldPaths.EncodeAll(f.ItemTypeInfo, list)));
    }

    /// <summary><c>{field: {$all: [items]}}</c>: a collection field holds every item.</summary>
    public FilterDefinition<TDocument> All<TItem>(Expression<Func<TDocument, IEnumerable<TItem>>> field, IEnumerable<TItem> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        var list = items.ToList();
        return Field(field, f => new BsonDocument("$all", FieldPaths.EncodeAll(f.ItemTypeInfo, list)));
    }

    /// <summary><c>{field: {$size: size}}</c>.</summary>
    public FilterDefinition<TDocument> Size<TItem>(Expression<Func<TDocument, IEnumerable<TItem>>> field, int size)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(size);
        return Field(field, _ => new BsonDocument("$size", size));
    }

    /// <summary><c>{field: {$elemMatch: filter}}</c>; the sub-filter is rendered with the field's item model.</summary>
    public FilterDefinition<TDocument> ElemMatch<TItem>(Expression<Func<TDocument, IEnumerable<TItem>>> field, FilterDefinition<TItem> filter)
    {
        ArgumentNullException.ThrowIfNull(field);
        ArgumentNullException.ThrowIfNull(filter);
        return new(resolver =>
        {
            var rendered = FieldPaths.Resolve(field, TypedRendering.Root(resolver, typeof(TDocument)));
            var sub = filter.Render(TypedRendering.ForItems(rendered.ItemTypeInfo, resolver));
            return new BsonDocument(rendered.Path, new BsonDocument("$elemMatch", sub));
        });
    }

    /// <summary><c>{field: {$elemMatch: ...}}</c> from an item predicate (<c>i => i.Qty > 2 &amp;&amp; i.Sku == "a"</c>).</summary>
    public FilterDefinition<TDocument> ElemMatch<TItem>(Expression<Func<TDocument, IEnumerable<TItem>>> field, Expression<Func<TItem, bool>> predicate) =>
        ElemMatch(field, Builders<TItem>.Filter.Where(predicate));

    /// <summary>Every filter must match (see <see cref="Driver.Filter.And(FilterDefinition[])"/>).</summary>
    public FilterDefinition<TDocument> And(params FilterDefinition<TDocument>[] filters) => FilterDefinition<TDocument>.From(Driver.Filter.And(filters));

    /// <summary>Every filter must match.</summary>
    public FilterDefinition<TDocument> And(IEnumerable<FilterDefinition<TDocument>> filters) => FilterDefinition<TDocument>.From(Driver.Filter.And(filters));

    /// <summary>One of the filters must match (<c>$or</c>).</summary>
    public FilterDefinition<TDocument> Or(params FilterDefinition<TDocument>[] filters) => FilterDefinition<TDocument>.From(Driver.Filter.Or(filters));

    /// <summary>One of the filters must match (<c>$or</c>).</summary>
    public FilterDefinition<TDocument> Or(IEnumerable<FilterDefinition<TDocument>> filters) => FilterDefinition<TDocument>.From(Driver.Filter.Or(filters));

    /// <summary>No filter may match (<c>$nor</c>).</summary>
    public FilterDefinition<TDocument> Nor(params FilterDefinition<TDocument>[] filters) => FilterDefinition<TDocument>.From(Driver.Filter.Nor(filters));

    /// <summary>The negation of a filter.</summary>
    public FilterDefinition<TDocument> Not(FilterDefinition<TDocument> filter) => FilterDefinition<TDocument>.From(Driver.Filter.Not(filter));

    /// <summary><c>{field: value}</c> with a field name as the server stores it (untyped).</summary>
    public FilterDefinition<TDocument> Eq(string field, BsonValue value) => FilterDefinition<TDocument>.From(Driver.Filter.Eq(field, value));

    /// <summary><c>{field: {$ne: value}}</c> with a field name as the server stores it (untyped).</summary>
    public FilterDefinition<TDocument> Ne(string field, BsonValue value) => FilterDefinition<TDocument>.From(Driver.Filter.Ne(field, value));

    /// <summary><c>{field: {$gt: value}}</c> with a field name as the server stores it (untyped).</summary>
    public FilterDefinition<TDocument> Gt(string field, BsonValue value) => FilterDefinition<TDocument>.From(Driver.Filter.Gt(field, value));

    /// <summary><c>{field: {$gte: value}}</c> with a field name as the server stores it (untyped).</summary>
    public FilterDefinition<TDocument> Gte(string field, BsonValue value) => FilterDefinition<TDocument>.From(Driver.Filter.Gte(field, value));

    /// <summary><c>{field: {$lt: value}}</c> with a field name as the server stores it (untyped).</summary>
    public FilterDefinition<TDocument> Lt(string field, BsonValue value) => FilterDefinition<TDocument>.From(Driver.Filter.Lt(field, value));

    /// <summary><c>{field: {$lte: value}}</c> with a field name as the server stores it (untyped).</summary>
    public FilterDefinition<TDocument> Lte(string field, BsonValue value) => FilterDefinition<TDocument>.From(Driver.Filter.Lte(field, value));

    private static FilterDefinition<TDocument> Typed(Func<BsonTypeInfo, BsonDocument> render) =>
        new(resolver => render(TypedRendering.Root(resolver, typeof(TDocument))));

    private static FilterDefinition<TDocument> Field(LambdaExpression field, Func<RenderedField, BsonValue> value)
    {
        ArgumentNullException.ThrowIfNull(field);
        return Typed(root =>
        {
            var rendered = FieldPaths.Resolve(field, root);
            return new BsonDocument(rendered.Path, value(rendered));
        });
    }

    private static FilterDefinition<TDocument> Op<TField>(Expression<Func<TDocument, TField>> field, string op, TField value) =>
        Field(field, f => new BsonDocument(op, FieldPaths.Encode(f.TypeInfo, value)));
}
