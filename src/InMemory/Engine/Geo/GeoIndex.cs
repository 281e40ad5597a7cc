using Mongo.Bson;

namespace Mongo.InMemory.Engine.Geo;

/// <summary>
/// A 2dsphere or 2d index: which field holds the locations and, for 2d, the coordinate range. Inserts are checked as
/// mongod checks them (16755 "Can't extract geo keys" for 2dsphere, 13026/13027 for 2d); queries that need the index
/// ($near, $nearSphere, $geoNear) find it here and compute distances by scanning (the index keeps no cell tree).
/// </summary>
internal sealed partial class GeoIndex
{
    private GeoIndex(string field, bool spherical, double min, double max)
    {
        Field = field;
        Spherical = spherical;
        Min = min;
        Max = max;
    }

    /// <summary>The location field.</summary>
    public string Field { get; }

    /// <summary>2dsphere (true) or 2d (false).</summary>
    public bool Spherical { get; }

    public double Min { get; }

    public double Max { get; }

    /// <summary>The geo part of an index specification (null when the key has no 2d/2dsphere field).</summary>
    public static GeoIndex? Of(BsonDocument spec)
    {
        foreach (var (field, value) in spec["key"].AsDocument)
        {
            if (value is BsonString { Value: "2dsphere" }) return new GeoIndex(field, true, -180, 180);
            if (value is BsonString { Value: "2d" })
                return new GeoIndex(field, false, spec.GetValueOrDefault("min")?.ToDouble() ?? -180, spec.GetValueOrDefault("max")?.ToDouble() ?? 180);
        }
        return null;
    }

    /// <summary>Validates a 2d/2dsphere createIndexes entry; a 2dsphere index gets 2dsphereIndexVersion 3, as on mongod.</summary>
    public static BsonDocument Normalize(BsonDocument spec)
    {
        var key = spec["key"].AsDocument;
        var plugins = key.Elements.Where(e => e.Value is BsonString).Select(e => e.Value.AsString).Distinct().ToList();
        if (plugins.Count > 1) throw Errors.CannotCreateIndex("Can't use more than one index plugin for a single index.");
        var result = (BsonDocument)spec.DeepClone();
        if (plugins[0] == "2d")
        {
            if (key.Elements.Count(e => e.Value is BsonString) > 1) throw Errors.Location(16800, "can't have 2 geo fields");
            if (key.GetElement(0).Value is not BsonString) throw Errors.Location(16801, "2d has to be first in index");
            if (spec.TryGetValue("bits", out var bits) && (!bits.IsNumeric || bits.ToDouble() < 1 || bits.ToDouble() > 32))
                throw Errors.InvalidOptions("bits for hash must be > 0 and <= 32, but " + Shell.Format(bits) + " bits were specified");
            var min = spec.GetValueOrDefault("min") ?? -180;
            var max = spec.GetValueOrDefault("max") ?? 180;
            if (!min.IsNumeric || !max.IsNumeric) throw Errors.TypeMismatch("min and max for a 2d index must be numbers");
            if (min.ToDouble() >= max.ToDouble()) throw Errors.InvalidOptions("max must be greater than min");
            return result;
        }
        if (spec.TryGetValue("2dsphereIndexVersion", out var version))
        {
            if (!version.IsNumeric || version.ToInt32() is not (1 or 2 or 3))
                throw Errors.CannotCreateIndex("unsupported geo index version { 2dsphereIndexVersion : " + Shell.Format(version) + " }, only support versions: [1,2,3]");
            if (version.ToInt32() != 3) throw Errors.NotImplemented("2dsphereIndexVersion " + version.ToInt32() + " is not supported by Mongo.InMemory (it implements version 3)");
        }
        else result.Add("2dsphereIndexVersion", 3);
        return result;
    }

    /// <summary>Checks the locations a document holds in this index (a missing or null field is simply not indexed).</summary>
    public void Validate(BsonDocument doc)
    {
        var values = new List<BsonValue?>();
        FieldPath.Collect(doc, Field.Split('.'), 0, values, expandLeafArrays: false);
        foreach (var value in values)
        {
            if (value is null or BsonNull) continue;
            if (Spherical) ValidateSphere(doc, value);
            else ValidateFlat(doc, value);
        }
    }

    private void ValidateSphere(BsonDocument doc, BsonValue value)
    {
        try
        {
            if (value is BsonArray array && GeoParser.LegacyPoint(array) is null)
            {
                foreach (var element in array) GeoParser.Parse(element);
            }
            else GeoParser.Parse(value);
        }
        catch (GeoParseException e)
        {
            throw Errors.Location(16755, "Can't extract geo keys: " + Shell.Format(doc) + "  " + e.Message);
        }
    }

    private void ValidateFlat(BsonDocument doc, BsonValue value)
    {
        var points = new List<Position>();
        if (GeoParser.LegacyPoint(value) is { } single) points.Add(single);
        else if (value is BsonArray array && array.Count > 0 && array.All(e => GeoParser.LegacyPoint(e) is not null))
            points.AddRange(array.Select(e => GeoParser.LegacyPoint(e)!.Value));
        else throw Errors.Location(13026, "geo values must be 'legacy coordinate pairs' for 2d indexes");
        foreach (var p in points)
        {
            if (p.X < Min || p.X >= Max || p.Y < Min || p.Y >= Max)
                throw Errors.Location(13027, "point not in interval of [ " + Min.ToString(System.Globalization.CultureInfo.InvariantCulture) + ", " + Max.ToString(System.Globalization.CultureInfo.InvariantCulture) + " ) :: caused by :: " + Shell.Format(doc));
        }
    }

    /// <summary>The geometries of a document's location field, legacy pairs and arrays of locations included.</summary>
    public static List<(Geometry Shape, BsonValue Value)> Locations(BsonDocument doc, string field)
    {
        var values = new List<BsonValue?>();
        FieldPath.Collect(doc, field.Split('.'), 0, values, expandLeafArrays: false);
        var result = new List<(Geometry, BsonValue)>();
        foreach (var value in values)
        {
            if (value is null) continue;
            if (TryParse(value) is { } g) result.Add((g, value));
            else if (value is BsonArray array)
            {
                foreach (var element in array)
                    if (TryParse(element) is { } eg) result.Add((eg, element));
            }
        }
        return result;
    }

    /// <summary>A value as a geometry, or null when it is not one (documents simply do not match then).</summary>
    public static Geometry? TryParse(BsonValue value)
    {
        try
        {
            return GeoParser.Parse(value, checkBounds: false);
        }
        catch (GeoParseException)
        {
            return null;
        }
    }
}
