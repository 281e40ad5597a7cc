using System.Text;
using Mongo.Bson;

namespace Mongo.Driver;

/// <summary>The keys of an index (<c>{x: 1, y: -1}</c>). Build with <see cref="IndexKeys"/> or pass a <see cref="BsonDocument"/>. Immutable.</summary>
public sealed class IndexKeysDefinition
{
    private readonly BsonDocument _document;

    internal IndexKeysDefinition(BsonDocument document) => _document = document;

    /// <summary>The key document as sent to the server. Do not modify it.</summary>
    public BsonDocument Render() => _document;

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
    public string GetDefaultName()
    {
        var name = new StringBuilder();
        foreach (var element in _document)
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
    public override string ToString() => _document.ToString();

    private IndexKeysDefinition With(string field, BsonValue value)
    {
        var copy = new BsonDocument(_document);
        copy.Set(Filter.CheckField(field), value);
        return new(copy);
    }
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
