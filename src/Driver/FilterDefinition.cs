using Mongo.Bson;

namespace Mongo.Driver;

/// <summary>
/// A query filter. Build one with <see cref="Filter"/> or pass a <see cref="BsonDocument"/> (converted implicitly).
/// Combine filters with <c>&amp;</c>, <c>|</c> and <c>!</c>. Immutable once built.
/// </summary>
public sealed class FilterDefinition
{
    private readonly BsonDocument _document;

    internal FilterDefinition(BsonDocument document) => _document = document;

    /// <summary>The filter that matches every document (<c>{}</c>).</summary>
    public static FilterDefinition Empty { get; } = new([]);

    /// <summary>The filter document as it is sent to the server. Do not modify it.</summary>
    public BsonDocument Render() => _document;

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

    /// <summary>The filter as relaxed Extended JSON.</summary>
    public override string ToString() => _document.ToString();
}
