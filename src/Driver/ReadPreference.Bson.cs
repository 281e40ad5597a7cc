using Mongo.Bson;

namespace Mongo.Driver;

public sealed partial class ReadPreference
{
    /// <summary>The document sent as <c>$readPreference</c>: mode, then tags, maxStalenessSeconds and hedge when set.</summary>
    public BsonDocument ToBsonDocument()
    {
        var document = new BsonDocument("mode", GetModeName(Mode));
        if (TagSets.Count > 0)
        {
            var tags = new BsonArray();
            foreach (var set in TagSets)
            {
                var tagDocument = new BsonDocument();
                foreach (var tag in set)
                {
                    tagDocument.Add(tag.Name, tag.Value);
                }

                tags.Add(tagDocument);
            }

            document.Add("tags", tags);
        }

        if (MaxStaleness is { } staleness)
        {
            long seconds = (long)staleness.TotalSeconds;
            document.Add("maxStalenessSeconds", seconds <= int.MaxValue ? new BsonInt32((int)seconds) : new BsonInt64(seconds));
        }

        if (Hedge is { } hedge)
        {
            document.Add("hedge", hedge.Enabled is { } enabled ? new BsonDocument("enabled", enabled) : []);
        }

        return document;
    }

    /// <summary>
    /// Reads <c>{ mode, tags | tagSets, maxStalenessSeconds, hedge }</c> (the wire form and the unified test format's form).
    /// </summary>
    /// <exception cref="MongoConfigurationException">An unknown field, a wrong type, or an invalid combination.</exception>
    public static ReadPreference FromBsonDocument(BsonDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        ReadPreferenceMode? mode = null;
        List<TagSet>? tagSets = null;
        TimeSpan? maxStaleness = null;
        ReadPreferenceHedge? hedge = null;
        foreach (var element in document)
        {
            var value = element.Value;
            switch (element.Name)
            {
                case "mode" when value.IsString && TryParseMode(value.AsString, out var m):
                    mode = m;
                    break;
                case "tags" or "tagSets" when value.IsArray:
                    tagSets = [];
                    foreach (var set in value.AsArray)
                    {
                        if (!set.IsDocument)
                        {
                            throw new MongoConfigurationException($"Invalid read preference tag set: {set}.");
                        }

                        tagSets.Add(new TagSet(set.AsDocument.Elements.Select(e =>
                            new ReadPreferenceTag(e.Name, e.Value.IsString ? e.Value.AsString : throw new MongoConfigurationException($"Invalid tag value: {e.Value}.")))));
                    }

                    break;
                case "maxStalenessSeconds" when value.IsNumeric:
                    maxStaleness = TimeSpan.FromSeconds(value.ToInt64());
                    break;
                case "hedge" when value.IsDocument:
                    hedge = new ReadPreferenceHedge(value.AsDocument.TryGetValue("enabled", out var enabled) ? enabled.ToBoolean() : null);
                    break;
                default:
                    throw new MongoConfigurationException($"Invalid read preference field '{element.Name}': {value}.");
            }
        }

        return new ReadPreference(mode ?? throw new MongoConfigurationException("Invalid read preference: 'mode' is required."), tagSets, maxStaleness, hedge);
    }
}
