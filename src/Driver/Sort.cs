using Mongo.Bson;

namespace Mongo.Driver;

/// <summary>A sort order (<c>{x: 1, y: -1}</c>). Build with <see cref="Sort"/> or pass a <see cref="BsonDocument"/>. Immutable.</summary>
public sealed class SortDefinition
{
    private readonly BsonDocument _document;

    internal SortDefinition(BsonDocument document) => _document = document;

    /// <summary>The sort document as sent to the server. Do not modify it.</summary>
    public BsonDocument Render() => _document;

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
    public override string ToString() => _document.ToString();

    private SortDefinition With(string field, BsonValue direction)
    {
        var copy = new BsonDocument(_document);
        copy.Set(Filter.CheckField(field), direction);
        return new(copy);
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
