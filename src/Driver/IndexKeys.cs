using System.Text;
using System.Linq.Expressions;
using Mongo.Bson;
using Mongo.Bson.Serialization;

namespace Mongo.Driver;

/// <summary>The keys of an index (<c>{x: 1, y: -1}</c>). Build with <see cref="IndexKeys"/> or pass a <see cref="BsonDocument"/>. Immutable.</summary>
public class IndexKeysDefinition
{
    private readonly BsonDocument? _document;
    private readonly Func<IBsonTypeInfoResolver, BsonDocument>? _render;

    internal IndexKeysDefinition(BsonDocument document) => _document = document;

    internal IndexKeysDefinition(Func<IBsonTypeInfoResolver, BsonDocument> render) => _render = render;

    /// <summary>Whether rendering needs a serialization model (keys were named with typed members).</summary>
    public bool IsTyped => _render is not null;

    /// <summary>The keys document rendered with the given resolver's serialization models.</summary>
    public BsonDocument Render(IBsonTypeInfoResolver resolver)
    {
        ArgumentNullException.ThrowIfNull(resolver);
        return _document ?? _render!(resolver);
    }

    internal Func<IBsonTypeInfoResolver, BsonDocument> Renderer => _render ?? (_ => _document!);

    /// <summary>The key document as sent to the server. Do not modify it. Typed keys render with the default resolver.</summary>
    /// <exception cref="InvalidOperationException">The keys are typed and no default resolver knows their document type.</exception>
    public BsonDocument Render() => _document ?? _render!(TypedRendering.DefaultResolver);

    /// <summary>Adds an ascending key.</summary>
    public IndexKeysDefinition Ascending(string field) => With(field, 1);

    /// <summary>Adds a descending key.</summary>
    public IndexKeysDefinition Descending(string field) => With(field, -1);

    /// <summary>Adds a text key.</summary>
    public IndexKeysDefinition Text(string field) => With(field, "text");

    /// <summary>Adds a hashed key.</summary>
    public IndexKeysDefinition Hashed(string field) => With(field, "hashed");

    /// <summary>Adds a 2dsphere key.</summary>
    public IndexKeysDefinition Geo2DSphere(string field) => With(field, "2dsphere");

    /// <summary>
    /// The default index name the server and every driver use: each key and its value joined by <c>_</c>
    /// (<c>{x: 1, y: -1}</c> is <c>x_1_y_-1</c>).
    /// </summary>
    public string GetDefaultName() => GetDefaultName(Render());

    internal static string GetDefaultName(BsonDocument keys)
    {
        var name = new StringBuilder();
        foreach (var element in keys)
        {
            if (name.Length > 0)
            {
                name.Append('_');
            }

            name.Append(element.Name).Append('_');
            name.Append(element.Value switch
            {
                BsonString s => s.Value,
                BsonInt32 i => i.Value.ToString(System.Globalization.CultureInfo.InvariantCulture),
                BsonInt64 l => l.Value.ToString(System.Globalization.CultureInfo.InvariantCulture),
                BsonDouble d => d.Value.ToString(System.Globalization.CultureInfo.InvariantCulture),
                var other => other.ToString(),
            });
        }

        return name.ToString();
    }

    /// <summary>Wraps a key document.</summary>
    public static implicit operator IndexKeysDefinition(BsonDocument document) => new(document ?? throw new ArgumentNullException(nameof(document)));

    /// <summary>An ascending index on one field: <c>"x"</c> is <c>{x: 1}</c>.</summary>
    public static implicit operator IndexKeysDefinition(string field) => IndexKeys.Ascending(field);

    /// <summary>The keys as relaxed Extended JSON.</summary>
    public override string ToString() => _document?.ToString() ?? TypedRendering.TryDescribe(_render!);

    private IndexKeysDefinition With(string field, BsonValue value)
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

/// <summary>Index keys over documents of type <typeparamref name="TDocument"/> (<see cref="Builders{TDocument}.IndexKeys"/>).</summary>
/// <typeparam name="TDocument">The document type.</typeparam>
public sealed class IndexKeysDefinition<TDocument> : IndexKeysDefinition
{
    internal IndexKeysDefinition(Func<IBsonTypeInfoResolver, BsonDocument> render)
        : base(render)
    {
    }

    /// <summary>Adds an ascending key.</summary>
    public IndexKeysDefinition<TDocument> Ascending<TField>(Expression<Func<TDocument, TField>> field) => With(field, 1);

    /// <summary>Adds a descending key.</summary>
    public IndexKeysDefinition<TDocument> Descending<TField>(Expression<Func<TDocument, TField>> field) => With(field, -1);

    /// <summary>Adds a hashed key.</summary>
    public IndexKeysDefinition<TDocument> Hashed<TField>(Expression<Func<TDocument, TField>> field) => With(field, "hashed");

    /// <summary>Adds a text key.</summary>
    public IndexKeysDefinition<TDocument> Text<TField>(Expression<Func<TDocument, TField>> field) => With(field, "text");

    /// <summary>Adds a 2dsphere key.</summary>
    public IndexKeysDefinition<TDocument> Geo2DSphere<TField>(Expression<Func<TDocument, TField>> field) => With(field, "2dsphere");

    /// <summary>
    /// Adds a wildcard key: <c>{"field.$**": 1}</c>, or <c>{"$**": 1}</c> for every field when <paramref name="field"/> is null.
    /// </summary>
    public IndexKeysDefinition<TDocument> Wildcard<TField>(Expression<Func<TDocument, TField>>? field = null)
    {
        var previous = Renderer;
        if (field is null)
        {
            return new(r => new BsonDocument(previous(r)).Set("$**", 1));
        }

        return new(r =>
        {
            var path = Linq.FieldPaths.Resolve(field, TypedRendering.Root(r, typeof(TDocument))).Path;
            return new BsonDocument(previous(r)).Set(path + ".$**", 1);
        });
    }

    private IndexKeysDefinition<TDocument> With(LambdaExpression field, BsonValue value) =>
        new(TypedRendering.WithKey(Renderer, typeof(TDocument), field, (_, _) => value));
}

/// <summary>Typed index key builders (<see cref="Builders{TDocument}.IndexKeys"/>): <c>Ascending(p => p.Home.City).Descending(p => p.Age)</c>.</summary>
/// <typeparam name="TDocument">The document type.</typeparam>
public sealed class IndexKeysDefinitionBuilder<TDocument>
{
    private static readonly IndexKeysDefinition<TDocument> Start = new(_ => []);

    internal IndexKeysDefinitionBuilder()
    {
    }

    /// <summary><c>{field: 1}</c>.</summary>
    public IndexKeysDefinition<TDocument> Ascending<TField>(Expression<Func<TDocument, TField>> field) => Start.Ascending(field);

    /// <summary><c>{field: -1}</c>.</summary>
    public IndexKeysDefinition<TDocument> Descending<TField>(Expression<Func<TDocument, TField>> field) => Start.Descending(field);

    /// <summary><c>{field: "hashed"}</c>.</summary>
    public IndexKeysDefinition<TDocument> Hashed<TField>(Expression<Func<TDocument, TField>> field) => Start.Hashed(field);

    /// <summary><c>{field: "text"}</c>.</summary>
    public IndexKeysDefinition<TDocument> Text<TField>(Expression<Func<TDocument, TField>> field) => Start.Text(field);

    /// <summary><c>{field: "2dsphere"}</c>.</summary>
    public IndexKeysDefinition<TDocument> Geo2DSphere<TField>(Expression<Func<TDocument, TField>> field) => Start.Geo2DSphere(field);

    /// <summary><c>{"field.$**": 1}</c>, or <c>{"$**": 1}</c> without a field.</summary>
    public IndexKeysDefinition<TDocument> Wildcard<TField>(Expression<Func<TDocument, TField>>? field = null) => Start.Wildcard(field);

    /// <summary><c>{"$**": 1}</c>: every field.</summary>
    public IndexKeysDefinition<TDocument> Wildcard() => Start.Wildcard<object>();
}

/// <summary>Index key builders: <c>IndexKeys.Ascending("x").Descending("y")</c> is <c>{x: 1, y: -1}</c>.</summary>
public static class IndexKeys
{
    /// <summary><c>{field: 1}</c>.</summary>
    public static IndexKeysDefinition Ascending(string field) => new(new BsonDocument(Filter.CheckField(field), 1));

    /// <summary><c>{field: -1}</c>.</summary>
    public static IndexKeysDefinition Descending(string field) => new(new BsonDocument(Filter.CheckField(field), -1));

    /// <summary><c>{field: "text"}</c>.</summary>
    public static IndexKeysDefinition Text(string field) => new(new BsonDocument(Filter.CheckField(field), "text"));

    /// <summary><c>{field: "hashed"}</c>.</summary>
    public static IndexKeysDefinition Hashed(string field) => new(new BsonDocument(Filter.CheckField(field), "hashed"));

    /// <summary><c>{field: "2dsphere"}</c>.</summary>
    public static IndexKeysDefinition Geo2DSphere(string field) => new(new BsonDocument(Filter.CheckField(field), "2dsphere"));
}
