using System.Linq.Expressions;
using Mongo.Bson;
using Mongo.Bson.Serialization;
using Mongo.Driver.Linq;

namespace Mongo.Driver;

/// <summary>A projection (<c>{a: 1, _id: 0}</c>). Build with <see cref="Projection"/> or pass a <see cref="BsonDocument"/>. Immutable.</summary>
public class ProjectionDefinition
{
    private readonly BsonDocument? _document;
    private readonly Func<IBsonTypeInfoResolver, BsonDocument>? _render;

    internal ProjectionDefinition(BsonDocument document) => _document = document;

    internal ProjectionDefinition(Func<IBsonTypeInfoResolver, BsonDocument> render) => _render = render;

    /// <summary>Whether rendering needs a serialization model (fields were named with typed members).</summary>
    public bool IsTyped => _render is not null;

    /// <summary>The projection document as sent to the server. Do not modify it. A typed projection renders with the default resolver.</summary>
    /// <exception cref="InvalidOperationException">The projection is typed and no default resolver knows its document type.</exception>
    public BsonDocument Render() => _document ?? _render!(TypedRendering.DefaultResolver);

    /// <summary>The projection document rendered with the given resolver's serialization models.</summary>
    public BsonDocument Render(IBsonTypeInfoResolver resolver)
    {
        ArgumentNullException.ThrowIfNull(resolver);
        return _document ?? _render!(resolver);
    }

    internal Func<IBsonTypeInfoResolver, BsonDocument> Renderer => _render ?? (_ => _document!);

    /// <summary>Includes a field.</summary>
    public ProjectionDefinition Include(string field) => With(field, 1);

    /// <summary>Excludes a field.</summary>
    public ProjectionDefinition Exclude(string field) => With(field, 0);

    /// <summary>Returns part of an array: <c>{field: {$slice: [skip, limit]}}</c> or <c>{$slice: limit}</c> without a skip.</summary>
    public ProjectionDefinition Slice(string field, int limit, int? skip = null) => With(field, Projection.SliceValue(limit, skip));

    /// <summary>Returns the first array element matching a filter: <c>{field: {$elemMatch: filter}}</c>.</summary>
    public ProjectionDefinition ElemMatch(string field, FilterDefinition filter)
    {
        ArgumentNullException.ThrowIfNull(filter);
        Filter.CheckField(field);
        var previous = Renderer;
        return filter.IsTyped || IsTyped
            ? new(r => new BsonDocument(previous(r)).Set(field, new BsonDocument("$elemMatch", filter.Render(r))))
            : With(field, new BsonDocument("$elemMatch", filter.Render()));
    }

    /// <summary>Adds the text score: <c>{field: {$meta: "textScore"}}</c>.</summary>
    public ProjectionDefinition MetaTextScore(string field) => With(field, new BsonDocument("$meta", "textScore"));

    /// <summary>Wraps a projection document (null stays null, meaning "all fields").</summary>
    [return: System.Diagnostics.CodeAnalysis.NotNullIfNotNull(nameof(document))]
    public static implicit operator ProjectionDefinition?(BsonDocument? document) => document is null ? null : new(document);

    /// <summary>The projection as relaxed Extended JSON.</summary>
    public override string ToString() => _document?.ToString() ?? TypedRendering.TryDescribe(_render!);

    private ProjectionDefinition With(string field, BsonValue value)
    {
        Filter.CheckField(field);
        if (_render is { } render)
        {
            return new(r => new BsonDocument(render(r)).Set(field, value));
        }

        var copy = new BsonDocument(_document!);
        copy.Set(field, value);
        return new(copy);
    }
}

/// <summary>Projection builders: <c>Projection.Include("a").Exclude("_id")</c> is <c>{a: 1, _id: 0}</c>.</summary>
public static class Projection
{
    /// <summary><c>{field: 1}</c>.</summary>
    public static ProjectionDefinition Include(string field) => new(new BsonDocument(Filter.CheckField(field), 1));

    /// <summary><c>{field: 0}</c>.</summary>
    public static ProjectionDefinition Exclude(string field) => new(new BsonDocument(Filter.CheckField(field), 0));

    /// <summary><c>{field: {$slice: limit}}</c> or <c>{field: {$slice: [skip, limit]}}</c>.</summary>
    public static ProjectionDefinition Slice(string field, int limit, int? skip = null) => new(new BsonDocument(Filter.CheckField(field), SliceValue(limit, skip)));

    /// <summary><c>{field: {$elemMatch: filter}}</c>.</summary>
    public static ProjectionDefinition ElemMatch(string field, FilterDefinition filter) => new ProjectionDefinition(new BsonDocument()).ElemMatch(field, filter);

    /// <summary><c>{field: {$meta: "textScore"}}</c>.</summary>
    public static ProjectionDefinition MetaTextScore(string field) => new(new BsonDocument(Filter.CheckField(field), new BsonDocument("$meta", "textScore")));

    internal static BsonDocument SliceValue(int limit, int? skip) =>
        new("$slice", skip is { } s ? new BsonArray { s, limit } : limit);
}

/// <summary>A projection over documents of type <typeparamref name="TDocument"/> (<see cref="Builders{TDocument}.Projection"/>).</summary>
/// <typeparam name="TDocument">The document type.</typeparam>
public sealed class ProjectionDefinition<TDocument> : ProjectionDefinition
{
    internal ProjectionDefinition(Func<IBsonTypeInfoResolver, BsonDocument> render)
        : base(render)
    {
    }

    /// <summary>Includes a field.</summary>
    public ProjectionDefinition<TDocument> Include<TField>(Expression<Func<TDocument, TField>> field) => With(field, (_, _) => 1);

    /// <summary>Excludes a field.</summary>
    public ProjectionDefinition<TDocument> Exclude<TField>(Expression<Func<TDocument, TField>> field) => With(field, (_, _) => 0);

    /// <summary>Part of an array: <c>{field: {$slice: limit}}</c>, or <c>[skip, limit]</c> with a skip (negative counts from the end).</summary>
    public ProjectionDefinition<TDocument> Slice<TField>(Expression<Func<TDocument, TField>> field, int limit, int? skip = null) =>
        With(field, (_, _) => Projection.SliceValue(limit, skip));

    /// <summary>The first array element matching a filter; the filter is rendered with the field's item model.</summary>
    public ProjectionDefinition<TDocument> ElemMatch<TItem>(Expression<Func<TDocument, IEnumerable<TItem>>> field, FilterDefinition<TItem> filter)
    {
        ArgumentNullException.ThrowIfNull(filter);
        return With(field, (f, r) => new BsonDocument("$elemMatch", filter.Render(TypedRendering.ForItems(f.ItemTypeInfo, r))));
    }

    /// <summary>The first array element matching an item predicate.</summary>
    public ProjectionDefinition<TDocument> ElemMatch<TItem>(Expression<Func<TDocument, IEnumerable<TItem>>> field, Expression<Func<TItem, bool>> predicate) =>
        ElemMatch(field, Builders<TItem>.Filter.Where(predicate));

    private ProjectionDefinition<TDocument> With(LambdaExpression field, Func<RenderedField, IBsonTypeInfoResolver, BsonValue> value) =>
        new(TypedRendering.WithKey(Renderer, typeof(TDocument), field, value));
}

/// <summary>Typed projection builders (<see cref="Builders{TDocument}.Projection"/>): <c>Include(p => p.Name).Exclude(p => p.Id)</c>.</summary>
/// <typeparam name="TDocument">The document type.</typeparam>
public sealed class ProjectionDefinitionBuilder<TDocument>
{
    private static readonly ProjectionDefinition<TDocument> Start = new(_ => []);

    internal ProjectionDefinitionBuilder()
    {
    }

    /// <summary><c>{field: 1}</c>.</summary>
    public ProjectionDefinition<TDocument> Include<TField>(Expression<Func<TDocument, TField>> field) => Start.Include(field);

    /// <summary><c>{field: 0}</c>.</summary>
    public ProjectionDefinition<TDocument> Exclude<TField>(Expression<Func<TDocument, TField>> field) => Start.Exclude(field);

    /// <summary><c>{field: {$slice: ...}}</c>.</summary>
    public ProjectionDefinition<TDocument> Slice<TField>(Expression<Func<TDocument, TField>> field, int limit, int? skip = null) => Start.Slice(field, limit, skip);

    /// <summary><c>{field: {$elemMatch: filter}}</c>.</summary>
    public ProjectionDefinition<TDocument> ElemMatch<TItem>(Expression<Func<TDocument, IEnumerable<TItem>>> field, FilterDefinition<TItem> filter) => Start.ElemMatch(field, filter);

    /// <summary><c>{field: {$elemMatch: ...}}</c> from an item predicate.</summary>
    public ProjectionDefinition<TDocument> ElemMatch<TItem>(Expression<Func<TDocument, IEnumerable<TItem>>> field, Expression<Func<TItem, bool>> predicate) => Start.ElemMatch(field, predicate);
}
