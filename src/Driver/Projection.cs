using Mongo.Bson;

namespace Mongo.Driver;

/// <summary>A projection (<c>{a: 1, _id: 0}</c>). Build with <see cref="Projection"/> or pass a <see cref="BsonDocument"/>. Immutable.</summary>
public sealed class ProjectionDefinition
{
    private readonly BsonDocument _document;

    internal ProjectionDefinition(BsonDocument document) => _document = document;

    /// <summary>The projection document as sent to the server. Do not modify it.</summary>
    public BsonDocument Render() => _document;

    /// <summary>Includes a field.</summary>
    public ProjectionDefinition Include(string field) => With(field, 1);

    /// <summary>Excludes a field.</summary>
    public ProjectionDefinition Exclude(string field) => With(field, 0);

    /// <summary>Returns part of an array: <c>{field: {$slice: [skip, limit]}}</c> or <c>{$slice: limit}</c> without a skip.</summary>
    public ProjectionDefinition Slice(string field, int limit, int? skip = null) => With(field, Projection.SliceValue(limit, skip));

    /// <summary>Returns the first array element matching a filter: <c>{field: {$elemMatch: filter}}</c>.</summary>
    public ProjectionDefinition ElemMatch(string field, FilterDefinition filter) => With(field, new BsonDocument("$elemMatch", filter.Render()));

    /// <summary>Adds the text score: <c>{field: {$meta: "textScore"}}</c>.</summary>
    public ProjectionDefinition MetaTextScore(string field) => With(field, new BsonDocument("$meta", "textScore"));

    /// <summary>Wraps a projection document (null stays null, meaning "all fields").</summary>
    [return: System.Diagnostics.CodeAnalysis.NotNullIfNotNull(nameof(document))]
    public static implicit operator ProjectionDefinition?(BsonDocument? document) => document is null ? null : new(document);

    /// <summary>The projection as relaxed Extended JSON.</summary>
    public override string ToString() => _document.ToString();

    private ProjectionDefinition With(string field, BsonValue value)
    {
        var copy = new BsonDocument(_document);
        copy.Set(Filter.CheckField(field), value);
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
    public static ProjectionDefinition ElemMatch(string field, FilterDefinition filter) =>
        new(new BsonDocument(Filter.CheckField(field), new BsonDocument("$elemMatch", filter.Render())));

    /// <summary><c>{field: {$meta: "textScore"}}</c>.</summary>
    public static ProjectionDefinition MetaTextScore(string field) => new(new BsonDocument(Filter.CheckField(field), new BsonDocument("$meta", "textScore")));

    internal static BsonDocument SliceValue(int limit, int? skip) =>
        new("$slice", skip is { } s ? new BsonArray { s, limit } : limit);
}
