using System.Runtime.CompilerServices;
using Mongo.Bson;

namespace Mongo.InMemory.Engine;

/// <summary>
/// What mongod calls document metadata: values a query attaches to a document without storing them in it ($text's
/// score, $geoNear's distance and point), which <c>{$meta: ...}</c> reads in projections, sorts and expressions. It is
/// kept beside the document instance (weakly, so it dies with it); a text or near query sets it afresh on every
/// document it returns, and a pipeline stage that turns one document into another carries it over.
/// </summary>
internal static class DocumentMetadata
{
    private sealed class Values
    {
        public double? TextScore;
        public double? GeoNearDistance;
        public BsonValue? GeoNearPoint;
    }

    private static readonly ConditionalWeakTable<BsonDocument, Values> s_table = new();

    /// <summary>The $meta names mongod 8.0 knows.</summary>
    private static readonly HashSet<string> s_known =
    [
        "textScore", "randVal", "searchScore", "searchHighlights", "geoNearDistance", "geoNearPoint", "recordId", "indexKey",
        "sortKey", "searchScoreDetails", "vectorSearchScore", "score", "scoreDetails", "searchSequenceToken",
    ];

    public static void SetTextScore(BsonDocument doc, double score) => s_table.GetOrCreateValue(doc).TextScore = score;

    public static double? TextScore(BsonDocument doc) => s_table.TryGetValue(doc, out var v) ? v.TextScore : null;

    public static void SetGeoNear(BsonDocument doc, double distance, BsonValue point)
    {
        var v = s_table.GetOrCreateValue(doc);
        v.GeoNearDistance = distance;
        v.GeoNearPoint = point;
    }

    /// <summary>Gives <paramref name="to"/> the metadata of <paramref name="from"/> (a stage's output from its input).</summary>
    public static BsonDocument Carry(BsonDocument from, BsonDocument to)
    {
        if (!ReferenceEquals(from, to) && s_table.TryGetValue(from, out var v))
            s_table.AddOrUpdate(to, new Values { TextScore = v.TextScore, GeoNearDistance = v.GeoNearDistance, GeoNearPoint = v.GeoNearPoint });
        return to;
    }

    /// <summary>Checks a <c>{$meta: name}</c> argument (mongod's 17308 for an unknown name).</summary>
    public static string ValidateName(BsonValue name)
    {
        if (name is not BsonString s || !s_known.Contains(s.Value))
            throw Errors.Location(17308, "Unsupported argument to $meta: " + (name is BsonString n ? n.Value : Shell.Format(name)));
        return s.Value;
    }

    /// <summary>The value of <c>{$meta: name}</c> for a document (null: missing).</summary>
    public static BsonValue? Get(string name, BsonDocument doc)
    {
        s_table.TryGetValue(doc, out var v);
        switch (name)
        {
            case "textScore":
                if (v?.TextScore is not { } score) throw MissingTextScore();
                return new BsonDouble(score);
            case "geoNearDistance":
                return v?.GeoNearDistance is { } d ? new BsonDouble(d) : null;
            case "geoNearPoint":
                return v?.GeoNearPoint?.DeepClone();
            case "randVal":
                return new BsonDouble(Random.Shared.NextDouble());
            case "searchScore" or "searchHighlights" or "searchScoreDetails" or "vectorSearchScore" or "searchSequenceToken":
                throw Errors.NotImplemented("$meta: \"" + name + "\" needs Atlas Search, which Mongo.InMemory does not provide");
            default:
                throw Errors.NotImplemented("$meta: \"" + name + "\" is not supported by Mongo.InMemory");
        }
    }

    /// <summary>mongod's error when a query asks for a text score it does not compute.</summary>
    public static Exception MissingTextScore() => Errors.Location(40218, "query requires text score metadata, but it is not available");
}
