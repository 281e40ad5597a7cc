using Mongo.Bson;
using Mongo.Bson.Serialization;

namespace Mongo.Driver;

/// <summary>
/// A query filter. Build one with <see cref="Filter"/>, <see cref="Builders{TDocument}.Filter"/> or an expression, or
/// pass a <see cref="BsonDocument"/> (converted implicitly). Combine filters with <c>&amp;</c>, <c>|</c> and <c>!</c>.
/// Immutable once built.
/// </summary>
/// <remarks>
/// A filter built from typed members is rendered late, against the serialization model of the collection it is sent
/// to: the model decides element names and how values are encoded.
/// </remarks>
public class FilterDefinition
{
    private readonly BsonDocument? _document;
    private readonly Func<IBsonTypeInfoResolver, BsonDocument>? _render;

    internal FilterDefinition(BsonDocument document) => _document = document;

    internal FilterDefinition(Func<IBsonTypeInfoResolver, BsonDocument> render) => _render = render;

    /// <summary>The filter that matches every document (<c>{}</c>).</summary>
    public static FilterDefinition Empty { get; } = new(new BsonDocument());

    /// <summary>Whether rendering needs a serialization model (the filter was built from typed members or an expression).</summary>
    public bool IsTyped => _render is not null;

    /// <summary>
    /// The filter document as it is sent to the server. Do not modify it. A typed filter renders against the default
    /// resolver (the reflection-based models, where the application allows them).
    /// </summary>
    /// <exception cref="InvalidOperationException">The filter is typed and no default resolver knows its document type.</exception>
    /// <exception cref="MongoNotSupportedException">An expression in the filter has no MQL translation.</exception>
    public BsonDocument Render() => _document ?? _render!(TypedRendering.DefaultResolver);

    /// <summary>The filter document rendered with the given resolver's serialization models.</summary>
    /// <exception cref="InvalidOperationException">The resolver has no model for the filter's document type.</exception>
    /// <exception cref="MongoNotSupportedException">An expression in the filter has no MQL translation.</exception>
    public BsonDocument Render(IBsonTypeInfoResolver resolver)
    {
        ArgumentNullException.ThrowIfNull(resolver);
        return _document ?? _render!(resolver);
    }

    /// <summary>Wraps a filter document.</summary>
    /// <exception cref="ArgumentNullException">The document is null.</exception>
    public static implicit operator FilterDefinition(BsonDocument document) =>
        new(document ?? throw new ArgumentNullException(nameof(document)));

    /// <summary>
    /// Both filters must match. Filters on distinct plain fields merge into one document
    /// (<c>{x: 10} &amp; {y: {$gt: 3}}</c> is <c>{x: 10, y: {$gt: 3}}</c>); otherwise the result is an <c>$and</c>.
    /// </summary>
    public static FilterDefinition operator &(FilterDefinition left, FilterDefinition right) => Filter.And(left, right);

    /// <summary>Either filter must match (<c>$or</c>; nested <c>$or</c>s are flattened).</summary>
    public static FilterDefinition operator |(FilterDefinition left, FilterDefinition right) => Filter.Or(left, right);

    /// <summary>The negation of a filter: <c>$ne</c>/<c>$not</c> for one field, otherwise <c>$nor</c>.</summary>
    public static FilterDefinition operator !(FilterDefinition filter) => Filter.Not(filter);

    /// <summary>Same as <c>&amp;</c> (for languages without operator overloading).</summary>
    public static FilterDefinition BitwiseAnd(FilterDefinition left, FilterDefinition right) => left & right;

    /// <summary>Same as <c>|</c> (for languages without operator overloading).</summary>
    public static FilterDefinition BitwiseOr(FilterDefinition left, FilterDefinition right) => left | right;

    /// <summary>Same as <c>!</c> (for languages without operator overloading).</summary>
    public static FilterDefinition LogicalNot(FilterDefinition filter) => !filter;

    /// <summary>The filter as relaxed Extended JSON (a typed filter renders with the default resolver, if there is one).</summary>
    public override string ToString() => _document?.ToString() ?? TypedRendering.TryDescribe(_render!);

    /// <summary>
    /// Builds a filter from parts: eagerly when every part is untyped (the common case stays allocation-light), else a
    /// deferred filter that renders the parts with the resolver it is given.
    /// </summary>
    internal static FilterDefinition Compose(IReadOnlyList<FilterDefinition> parts, Func<BsonDocument[], BsonDocument> combine)
    {
        if (parts.All(p => !p.IsTyped))
        {
            return new(combine(parts.Select(p => p._document!).ToArray()));
        }

        return new(resolver => combine(parts.Select(p => p.Render(resolver)).ToArray()));
    }
}

/// <summary>
/// A filter over documents of type <typeparamref name="TDocument"/>, built with <see cref="Builders{TDocument}.Filter"/>
/// or from an expression. It is a <see cref="FilterDefinition"/>, so every filter-taking method accepts it.
/// </summary>
/// <typeparam name="TDocument">The document type whose members the filter names.</typeparam>
public sealed class FilterDefinition<TDocument> : FilterDefinition
{
    internal FilterDefinition(BsonDocument document)
        : base(document)
    {
    }

    internal FilterDefinition(Func<IBsonTypeInfoResolver, BsonDocument> render)
        : base(render)
    {
    }

    internal static FilterDefinition<TDocument> From(FilterDefinition filter) =>
        filter as FilterDefinition<TDocument> ?? (filter.IsTyped ? new(filter.Render) : new(filter.Render()));

    /// <summary>Wraps a filter document.</summary>
    /// <exception cref="ArgumentNullException">The document is null.</exception>
    public static implicit operator FilterDefinition<TDocument>(BsonDocument document) =>
        new(document ?? throw new ArgumentNullException(nameof(document)));

    /// <summary>Both filters must match (see <see cref="Filter.And(FilterDefinition[])"/>).</summary>
    public static FilterDefinition<TDocument> operator &(FilterDefinition<TDocument> left, FilterDefinition<TDocument> right) => From(Filter.And(left, right));

    /// <summary>Either filter must match (see <see cref="Filter.Or(FilterDefinition[])"/>).</summary>
    public static FilterDefinition<TDocument> operator |(FilterDefinition<TDocument> left, FilterDefinition<TDocument> right) => From(Filter.Or(left, right));

    /// <summary>The negation of a filter (see <see cref="Filter.Not"/>).</summary>
    public static FilterDefinition<TDocument> operator !(FilterDefinition<TDocument> filter) => From(Filter.Not(filter));

    /// <summary>Same as <c>&amp;</c> (for languages without operator overloading).</summary>
    public static FilterDefinition<TDocument> BitwiseAnd(FilterDefinition<TDocument> left, FilterDefinition<TDocument> right) => left & right;

    /// <summary>Same as <c>|</c> (for languages without operator overloading).</summary>
    public static FilterDefinition<TDocument> BitwiseOr(FilterDefinition<TDocument> left, FilterDefinition<TDocument> right) => left | right;

    /// <summary>Same as <c>!</c> (for languages without operator overloading).</summary>
    public static FilterDefinition<TDocument> LogicalNot(FilterDefinition<TDocument> filter) => !filter;
}
