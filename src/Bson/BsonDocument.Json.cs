namespace Mongo.Bson;

/// <summary>Extended JSON input.</summary>
public partial class BsonDocument
{
    /// <summary>Parses an Extended JSON object (canonical, relaxed or legacy forms); see <see cref="ExtendedJson.Parse(string)"/>.</summary>
    /// <exception cref="BsonFormatException">Invalid JSON or Extended JSON, with byte offset and element path.</exception>
    public static BsonDocument Parse(string json) => ExtendedJson.Parse(json);
}
