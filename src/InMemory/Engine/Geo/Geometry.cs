using Mongo.Bson;

namespace Mongo.InMemory.Engine.Geo;

/// <summary>A longitude/latitude (or, for 2d, x/y) position.</summary>
internal readonly record struct Position(double X, double Y);

/// <summary>
/// A parsed geometry: GeoJSON Point, LineString, Polygon (outer ring then holes), their Multi forms and
/// GeometryCollection, or a legacy coordinate pair (a point read in flat or spherical terms by the operator).
/// </summary>
internal abstract class Geometry
{
    /// <summary>Whether it was written as a legacy pair ([x, y] or {x, y}) rather than GeoJSON.</summary>
    public bool Legacy { get; init; }

    /// <summary>The points, lines and polygons it is made of (itself for a single one).</summary>
    public abstract IEnumerable<Geometry> Parts { get; }

    /// <summary>Every vertex.</summary>
    public abstract IEnumerable<Position> Vertices { get; }
}

internal sealed class PointGeometry(Position at) : Geometry
{
    public Position At => at;

    public override IEnumerable<Geometry> Parts => [this];

    public override IEnumerable<Position> Vertices => [at];
}

internal sealed class LineGeometry(Position[] points) : Geometry
{
    public Position[] Points => points;

    public override IEnumerable<Geometry> Parts => [this];

    public override IEnumerable<Position> Vertices => points;
}

internal sealed class PolygonGeometry(Position[][] rings) : Geometry
{
    /// <summary>The outer ring then the holes, each closed (first point repeated last).</summary>
    public Position[][] Rings => rings;

    public override IEnumerable<Geometry> Parts => [this];

    public override IEnumerable<Position> Vertices => rings[0];
}

internal sealed class MultiGeometry(List<Geometry> members) : Geometry
{
    public override IEnumerable<Geometry> Parts => members.SelectMany(m => m.Parts);

    public override IEnumerable<Position> Vertices => members.SelectMany(m => m.Vertices);
}

/// <summary>Why a value is not a valid geometry (callers wrap it in their own error).</summary>
internal sealed class GeoParseException(string message) : Exception(message);

/// <summary>Reads GeoJSON objects and legacy coordinate pairs with mongod's validity rules.</summary>
internal static class GeoParser
{
    /// <summary>A legacy pair: an array or document whose first two values are numbers (null when it is not one).</summary>
    public static Position? LegacyPoint(BsonValue value)
    {
        IEnumerable<BsonValue> values = value switch
        {
            BsonArray a => a,
            BsonDocument d when !d.Contains("type") => d.Values,
            _ => [],
        };
        var two = values.Take(3).ToList();
        if (two.Count < 2 || !two[0].IsNumeric || !two[1].IsNumeric) return null;
        return new Position(two[0].ToDouble(), two[1].ToDouble());
    }

    /// <summary>A GeoJSON object or a legacy pair; throws <see cref="GeoParseException"/> when invalid.</summary>
    public static Geometry Parse(BsonValue value, bool checkBounds = true)
    {
        if (value is BsonDocument d && d.TryGetValue("type", out var type))
            return ParseGeoJson(d, type, checkBounds);
        if (LegacyPoint(value) is { } p) return new PointGeometry(p) { Legacy = true };
        throw new GeoParseException("Point must be an array or object, instead got type " + BsonOrder.TypeName(value));
    }

    private static Geometry ParseGeoJson(BsonDocument d, BsonValue type, bool checkBounds)
    {
        var kind = type is BsonString s ? s.Value : throw new GeoParseException("unknown GeoJSON type: " + Shell.Format(d));
        if (kind == "GeometryCollection")
        {
            if (d.GetValueOrDefault("geometries") is not BsonArray geometries)
                throw new GeoParseException("GeometryCollection geometries must be an array");
            if (geometries.Count == 0) throw new GeoParseException("GeometryCollection geometries must have at least 1 element");
            return new MultiGeometry(geometries.Select(g => g is BsonDocument gd && gd.GetValueOrDefault("type") is BsonString { Value: not "GeometryCollection" } gt
                ? ParseGeoJson(gd, gt, checkBounds)
                : throw new GeoParseException("Element " + Shell.Format(g) + " of \"geometries\" is not an object")).ToList());
        }
        if (d.GetValueOrDefault("coordinates") is not BsonArray c)
            throw new GeoParseException(kind is "Point" or "LineString" or "Polygon" or "MultiPoint" or "MultiLineString" or "MultiPolygon"
                ? "GeoJSON coordinates must be an array" : "unknown GeoJSON type: " + Shell.Format(d));
        switch (kind)
        {
            case "Point":
                return new PointGeometry(Coordinate(c, checkBounds));
            case "LineString":
                return Line(c, checkBounds);
            case "Polygon":
                return Polygon(c, checkBounds);
            case "MultiPoint":
                if (c.Count == 0) throw new GeoParseException("MultiPoint coordinates must have at least 1 element");
                return new MultiGeometry(c.Select(p => (Geometry)new PointGeometry(Coordinate(p, checkBounds))).ToList());
            case "MultiLineString":
                if (c.Count == 0) throw new GeoParseException("MultiLineString coordinates must have at least 1 element");
                return new MultiGeometry(c.Select(l => (Geometry)Line(l, checkBounds)).ToList());
            case "MultiPolygon":
                if (c.Count == 0) throw new GeoParseException("MultiPolygon coordinates must have at least 1 element");
                return new MultiGeometry(c.Select(p => (Geometry)Polygon(p, checkBounds)).ToList());
            default:
                throw new GeoParseException("unknown GeoJSON type: " + Shell.Format(d));
        }
    }

    private static Position Coordinate(BsonValue value, bool checkBounds)
    {
        if (value is not BsonArray a) throw new GeoParseException("GeoJSON coordinates must be an array of coordinates");
        if (a.Count < 2) throw new GeoParseException("GeoJSON coordinates must be an array of at least 2 numbers");
        foreach (var v in a)
            if (!v.IsNumeric) throw new GeoParseException("GeoJSON coordinates must be numbers");
        var p = new Position(a[0].ToDouble(), a[1].ToDouble());
        if (checkBounds && (Math.Abs(p.X) > 180 || Math.Abs(p.Y) > 90 || double.IsNaN(p.X) || double.IsNaN(p.Y)))
            throw new GeoParseException("longitude/latitude is out of bounds, lng: " + Shell.Format(a[0]) + " lat: " + Shell.Format(a[1]));
        return p;
    }

    private static LineGeometry Line(BsonValue value, bool checkBounds)
    {
        if (value is not BsonArray a) throw new GeoParseException("GeoJSON coordinates must be an array");
        if (a.Count < 2) throw new GeoParseException("GeoJSON LineString must have at least 2 vertices: " + Shell.Format(value));
        var points = a.Select(p => Coordinate(p, checkBounds)).ToArray();
        if (points.Distinct().Count() < 2) throw new GeoParseException("Invalid LineString must have at least 2 distinct vertices");
        return new LineGeometry(points);
    }

    private static PolygonGeometry Polygon(BsonValue value, bool checkBounds)
    {
        if (value is not BsonArray a || a.Count == 0) throw new GeoParseException("Polygon coordinates must be an array of at least one ring");
        var rings = new Position[a.Count][];
        for (var i = 0; i < a.Count; i++)
        {
            if (a[i] is not BsonArray ring) throw new GeoParseException("Polygon coordinates must be an array of arrays");
            var points = ring.Select(p => Coordinate(p, checkBounds)).ToArray();
            if (points.Length < 4) throw new GeoParseException("Loop must have at least 3 different vertices: " + Shell.Format(ring));
            if (points[0] != points[^1]) throw new GeoParseException("Loop is not closed, first vertex does not equal last vertex: " + Shell.Format(ring));
            if (points.Distinct().Count() < 3) throw new GeoParseException("Loop must have at least 3 different vertices: " + Shell.Format(ring));
            rings[i] = points;
        }
        return new PolygonGeometry(rings);
    }
}
