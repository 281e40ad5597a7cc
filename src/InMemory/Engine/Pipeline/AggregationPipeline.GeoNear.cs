using Mongo.Bson;
using Mongo.InMemory.Engine.Geo;
using Mongo.InMemory.Engine.Query;

namespace Mongo.InMemory.Engine.Pipeline;

/// <summary>The $geoNear stage.</summary>
internal static partial class AggregationPipeline
{
    /// <summary>
    /// $geoNear: the collection's documents with a location in the chosen geo index's field, nearest first, with the
    /// distance (times distanceMultiplier) written to distanceField and, with includeLocs, the location used. The
    /// distance is in meters for a GeoJSON near point, in radians for a legacy pair with spherical (or a 2dsphere
    /// index), and in coordinate units for a legacy pair over a 2d index.
    /// </summary>
    private static List<BsonDocument> GeoNear(BsonValue spec, List<BsonDocument> docs, PipelineContext context, bool first)
    {
        if (!first) throw Errors.Location(40603, "$geoNear was not the first stage in the pipeline.");
        if (spec is not BsonDocument d) throw Errors.FailedToParse("$geoNear must take a nested object but found: $geoNear: " + Shell.Format(spec));
        if (!d.TryGetValue("near", out var nearValue)) throw Errors.FailedToParse("$geoNear requires a 'near' argument");
        string? distanceField = null, includeLocs = null, key = null;
        var spherical = false;
        double? min = null, max = null;
        var multiplier = 1.0;
        BsonDocument? query = null;
        foreach (var (name, value) in d)
        {
            switch (name)
            {
                case "near":
                    break;
                case "distanceField":
                    distanceField = value is BsonString df ? df.Value : throw Errors.TypeMismatch("distanceField must be of type string but was " + BsonOrder.TypeName(value));
                    break;
                case "includeLocs":
                    includeLocs = value is BsonString il ? il.Value : throw Errors.TypeMismatch("includeLocs must be of type string but was " + BsonOrder.TypeName(value));
                    break;
                case "key":
                    key = value is BsonString { Value.Length: > 0 } k ? k.Value : throw Errors.TypeMismatch("$geoNear parameter 'key' must be a non-empty string");
                    break;
                case "spherical":
                    spherical = value.ToBoolean();
                    break;
                case "maxDistance":
                    max = value.IsNumeric && value.ToDouble() >= 0 ? value.ToDouble() : throw Errors.FailedToParse("maxDistance must be a nonnegative number");
                    break;
                case "minDistance":
                    min = value.IsNumeric && value.ToDouble() >= 0 ? value.ToDouble() : throw Errors.FailedToParse("minDistance must be a nonnegative number");
                    break;
                case "distanceMultiplier":
                    multiplier = value.IsNumeric && value.ToDouble() >= 0 ? value.ToDouble() : throw Errors.FailedToParse("distanceMultiplier must be a nonnegative number");
                    break;
                case "query":
                    query = value as BsonDocument ?? throw Errors.TypeMismatch("query must be an object");
                    break;
                case "num" or "limit":
                    throw Errors.FailedToParse("$geoNear no longer supports the '" + name + "' option; use $limit instead");
                default:
                    throw Errors.FailedToParse("Unknown argument to $geoNear: " + name);
            }
        }
        if (distanceField is null) throw Errors.FailedToParse("$geoNear requires a 'distanceField' option as a String");

        Position point;
        bool geoJson;
        if (nearValue is BsonDocument nd && nd.Contains("type"))
        {
            if (GeoWithinPredicate.ParseGeoJson(nd) is not PointGeometry p) throw Errors.BadValue("$geoNear 'near' must be a point: " + Shell.Format(nd));
            (point, geoJson) = (p.At, true);
        }
        else
        {
            point = GeoParser.LegacyPoint(nearValue) ?? throw Errors.BadValue("$geoNear requires 'near' option to be an Array or an object, got " + Shell.Format(nearValue));
            geoJson = false;
        }

        var collection = context.Collection is null ? null : context.Storage.GetCollection(context.Database, context.Collection);
        if (collection is null) return [];
        var geoIndexes = collection.Indexes.Where(i => i.Geo is not null && !i.IsHidden && (key is null || i.Geo.Field == key)).ToList();
        if (geoIndexes.Count == 0)
            throw Errors.IndexNotFound(key is null ? "$geoNear requires a 2d or 2dsphere index, but none were found" : "no geo index found on key '" + key + "' for $geoNear");
        if (key is null)
        {
            var sphere = geoIndexes.Count(i => i.Geo!.Spherical);
            var flat = geoIndexes.Count - sphere;
            if (sphere > 1 || flat > 1 || sphere == 1 && flat == 1)
                throw Errors.IndexNotFound("There is more than one geo index for " + collection.FullName + "; unsure which to use for $geoNear (give a 'key')");
        }
        var index = geoIndexes[0].Geo!;
        if (geoJson && !index.Spherical) throw Errors.BadValue("$geoNear with a GeoJSON 'near' point needs a 2dsphere index");

        var nearOps = new BsonDocument(spherical || geoJson ? "$nearSphere" : "$near", geoJson ? new BsonDocument("$geometry", nearValue) : nearValue);
        // The $maxDistance lets a read of the index's cells stop at the last ring that can hold a match.
        if (max is { } farthest) (geoJson ? nearOps[0].AsDocument : nearOps).Add("$maxDistance", farthest);
        var near = NearFilter.Parse(index.Field, nearOps);
        near.Bind(index);
        var filter = query is null ? Filter.All : FilterParser.Parse(query, context.Variables, context.Collator);
        if (TextFilter.FindIn(filter) is not null || NearFilter.FindIn(filter) is not null)
            throw Errors.BadValue("$geoNear 'query' may not contain $text, $near or $nearSphere");

        var located = new List<(double Distance, int Order, BsonDocument Doc, BsonValue Location)>();
        foreach (var doc in Candidates(docs, collection, geoIndexes[0], near))
        {
            Commands.OperationDeadline.Check();
            if (near.Nearest(doc) is not { } n) continue;
            if (min is { } lo && n.Distance < lo || max is { } hi && n.Distance > hi) continue;
            if (!filter.Matches(doc)) continue;
            located.Add((n.Distance, located.Count, doc, n.Location));
        }
        located.Sort((a, b) => a.Distance != b.Distance ? a.Distance.CompareTo(b.Distance) : a.Order.CompareTo(b.Order));
        var result = new List<BsonDocument>(located.Count);
        foreach (var (distance, _, doc, location) in located)
        {
            var output = (BsonDocument)doc.DeepClone();
            SetPath(output, distanceField, distance * multiplier);
            if (includeLocs is not null) SetPath(output, includeLocs, location.DeepClone());
            DocumentMetadata.SetGeoNear(output, distance * multiplier, location.DeepClone());
            result.Add(output);
        }
        return result;
    }

    /// <summary>
    /// The documents $geoNear measures: when its input is the collection's own documents and the index files them all
    /// (no partial filter), those the index's cells give nearest first (the same order the sort below keeps), else the
    /// whole input.
    /// </summary>
    private static IEnumerable<BsonDocument> Candidates(List<BsonDocument> docs, CollectionData collection, IndexData index, NearFilter near)
    {
        var stored = collection.Documents;
        if (index.GeoCells is null || index.Partial is not null || docs.Count != stored.Count || docs.Count > 0 && !ReferenceEquals(docs[0], stored[0]))
            return docs;
        return new Planning.QueryPlan { Path = Planning.AccessPath.NearScan, Index = index, Near = near }.Run(collection);
    }
}
