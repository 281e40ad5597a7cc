namespace Mongo.Bson;

/// <summary>A named value inside a document.</summary>
/// <param name="Name">The element name.</param>
/// <param name="Value">The element value.</param>
public readonly record struct BsonElement(string Name, BsonValue Value);
