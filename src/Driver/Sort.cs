using System.Linq.Expressions;
using Mongo.Bson;
using Mongo.Bson.Serialization;

namespace Mongo.Driver;

/// <summary>A sort order (<c>{x: 1, y: -1}</c>). Build with <see cref="Sort"/> or pass a <see cref="BsonDocument"/>. Immutable.</summary>
public class SortDefinition
{
    private readonly BsonDocument? _document;
    private readonly Func<IBsonTypeInfoResolver, BsonDocument>? _render;

    internal SortDefinition(BsonDocument document) => _document = document;

    internal SortDefinition(Func<IBsonTypeInfoResolver, BsonDocument> render) => _render = render;

    /// <summary>Whether rendering needs a serialization model (keys were named with typed members).</summary>
    public bool IsTyped => _render is not null;

    /// <summary>The sort document as sent to the server. Do not modify it. A typed sort renders with the default resolver.</summary>
    /// <exception cref="InvalidOperationException">The sort is typed and no default resolver knows its document type.</exception>
    public BsonDocument Render() => _document ?? _render!(TypedRendering.DefaultResolver);

    /// <summary>The sort document rendered with the given resolver's serialization models.</summary>
    public BsonDocument Render(IBsonTypeInfoResolver resolver)
    {
        ArgumentNullException.ThrowIfNull(resolver);
        return _document ?? _render!(resolver);
    }

    internal Func<IBsonTypeInfoResolver, BsonDocument> Renderer => _render ?? (_ => _document!);

    /// <summary>Adds an ascending key.</summary>
    public SortDefinition Ascending(string field) => With(field, 1);

    /// <summary>Adds a descending key.</summary>
    public SortDefinition Descending(string field) => With(field, -1);

    /// <summary>Adds a text-score key: <c>{field: {$meta: "textScore"}}</c>.</summary>
    public SortDefinition MetaTextScore(string field) => With(field, new BsonDocument("$meta", "textScore"));

    /// <summary>Wraps a sort document (null stays null, meaning "no sort").</summary>
    [return: System.Diagnostics.CodeAnalysis.NotNullIfNotNull(nameof(document))]
    public static implicit operator SortDefinition?(BsonDocument? document) => document is null ? null : new(document);

    /// <summary>The sort as relaxed Extended JSON.</summary>
    public override string ToString() => _document?.ToString() ?? TypedRendering.TryDescribe(_render!);

    private SortDefinition With(string field, BsonValue direction)
    {
        Filter.CheckField(field);
        if (_render is { } render)
        {
            return new(r => new BsonDocument(render(r)).Set(field, direction));
        }

        var copy = new BsonDocument(_document!);
        copy.Set(field, direction);
        return new(copy);
    }
}

/// <summary>A sort over documents of type <typeparamref name="TDocument"/> (<see cref="Builders{TDocument}.Sort"/>); keys are member paths rendered with the collection's model.</summary>
/// <typeparam name="TDocument">The document type.</typeparam>
public sealed class SortDefinition<TDocument> : SortDefinition
{
    internal SortDefinition(Func<IBsonTypeInfoResolver, BsonDocument> render)
        : base(render)
    {
    }

    /// <summary>Adds an ascending key.</summary>
    public SortDefinition<TDocument> Ascending<TField>(Expression<Func<TDocument, TField>> field) => With(field, 1);

    /// <summary>Adds a descending key.</summary>
    public SortDefinition<TDocument> Descending<TField>(Expression<Func<TDocument, TField>> field) => With(field, -1);

    /// <summary>Adds an ascending key named as the server stores it (untyped).</summary>
    public new SortDefinition<TDocument> Ascending(string field) => With(field, 1);

    /// <summary>Adds a descending key named as the server stores it (untyped).</summary>
    public new SortDefinition<TDocument> Descending(string field) => With(field, -1);

    internal SortDefinition<TDocument> With(LambdaExpression field, BsonValue direction) =>
        new(TypedRendering.WithKey(Renderer, typeof(TDocument), field, (_, _) => direction));

    private SortDefinition<TDocument> With(string field, BsonValue direction)
    {
        Filter.CheckField(field);
        var previous = Renderer;
        return new(r => new BsonDocument(previous(r)).Set(field, direction));
    }
}

/// <summary>Typed sort builders (<see cref="Builders{TDocument}.Sort"/>): <c>Ascending(p => p.Name).Descending(p => p.Age)</c>.</summary>
/// <typeparam name="TDocument">The document type.</typeparam>
public sealed class SortDefinitionBuilder<TDocument>
{
    private static readonly SortDefinition<TDocument> Start = new(_ => []);

    internal SortDefinitionBuilder()
    {
    }

    /// <summary><c>{field: 1}</c>.</summary>
    public SortDefinition<TDocument> Ascending<TField>(Expression<Func<TDocument, TField>> field) => Start.Ascending(field);

    /// <summary><c>{field: -1}</c>.</summary>
    public SortDefinition<TDocument> Descending<TField>(Expression<Func<TDocument, TField>> field) => Start.Descending(field);

    /// <summary><c>{field: 1}</c> with a field name as the server stores it.</summary>
    public SortDefinition<TDocument> Ascending(string field) => Start.Ascending(field);

    /// <summary><c>{field: -1}</c> with a field name as the server stores it.</summary>
    public SortDefinition<TDocument> Descending(string field) => Start.Descending(field);

    /// <summary>The keys of several sorts, in order.</summary>
    public SortDefinition<TDocument> Combine(params SortDefinition[] sorts)
    {
        ArgumentNullException.ThrowIfNull(sorts);
        return new(r =>
        {
            var document = new BsonDocument();
            foreach (var sort in sorts)
            {
                foreach (var element in sort.Render(r))
                {
                    document.Set(element.Name, element.Value);
                }
            }

            return document;
        });
    }
}

/// <summary>Sort builders: <c>Sort.Ascending("x").Descending("y")</c> is <c>{x: 1, y: -1}</c>.</summary>
public static class Sort
{
    /// <summary><c>{field: 1}</c>.</summary>
    public static SortDefinition Ascending(string field) => new(new BsonDocument(Filter.CheckField(field), 1));

    /// <summary><c>{field: -1}</c>.</summary>
    public static SortDefinition Descending(string field) => new(new BsonDocument(Filter.CheckField(field), -1));

    /// <summary><c>{field: {$meta: "textScore"}}</c>.</summary>
    public static SortDefinition MetaTextScore(string field) => new(new BsonDocument(Filter.CheckField(field), new BsonDocument("$meta", "textScore")));
}
