using Mongo.Bson;

namespace Mongo.Driver;

public sealed partial class ReadConcern
{
    /// <summary>The document sent as <c>readConcern</c>: <c>{ level: ... }</c>, or empty for the server default.</summary>
    public BsonDocument ToBsonDocument() => Level is null ? [] : new BsonDocument("level", Level);

    /// <summary>Reads <c>{ level: ... }</c>; an empty document is the server default.</summary>
    /// <exception cref="MongoConfigurationException">An unknown field or a non-string level.</exception>
    public static ReadConcern FromBsonDocument(BsonDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        string? level = null;
        foreach (var element in document)
        {
            if (element.Name != "level" || !element.Value.IsString)
            {
                throw new MongoConfigurationException($"Invalid read concern field '{element.Name}': {element.Value}.");
            }

            level = element.Value.AsString;
        }

        return level is null ? Default : new ReadConcern(level);
    }
}
