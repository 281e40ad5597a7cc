using Mongo.Bson;
using Mongo.InMemory.Engine.Geo;

namespace Mongo.InMemory.Engine.Query;

/// <summary>The region a $geoWithin names and how a location is tested against it.</summary>
internal sealed class GeoWithinPredicate : Predicate
{
    private readonly Geometry? _region;         // $geometry (spherical) or $polygon/$box (flat)
    private readonly Position _center;
    private readonly double _radius = -1;       // $center (flat) / $centerSphere (radians)
    private readonly bool _spherical;
    private readonly bool _pointsOnly;

    private GeoWithinPredicate(Geometry? region, Position center, double radius, bool spherical, bool pointsOnly)
    {
        _region = region;
        _center = center;
        _radius = radius;
        _spherical = spherical;
        _pointsOnly = pointsOnly;
    }

    public override bool ExpandArrays => true;

    /// <summary>Whether this is a $centerSphere (a spherical cap that a 2d index's cells can still bound).</summary>
    public bool CenterSphere => _region is null && _spherical;

    /// <summary>Where the locations this region holds lie (what a geo index reads for it).</summary>
    public GeoRegion Region => _radius >= 0
        ? _spherical ? GeoRegion.Cap(_center, _radius) : GeoRegion.Disc(_center, _radius)
        : GeoRegion.Of(_region!, _spherical);

    public static GeoWithinPredicate Parse(string op, BsonValue operand)
    {
        if (operand is not BsonDocument d || d.ElementCount == 0) throw Errors.BadValue(op + " not followed by a document");
        var (shape, value) = d.GetElement(0);
        switch (shape)
        {
            case "$geometry":
                {
                    var g = ParseGeoJson(value);
                    if (!g.Parts.All(p => p is PolygonGeometry) || g.Legacy)
                        throw Errors.BadValue("$geoWithin not supported with provided geometry: " + Shell.Format(d));
                    if (value is BsonDocument vd && vd.Contains("crs"))
                        throw Errors.NotImplemented("$geometry with a custom crs (big polygons) is not supported by Mongo.InMemory");
                    return new GeoWithinPredicate(g, default, -1, spherical: true, pointsOnly: false);
                }
            case "$box":
                {
                    if (value is not BsonArray { Count: 2 } box || GeoParser.LegacyPoint(box[0]) is not { } a || GeoParser.LegacyPoint(box[1]) is not { } b)
                        throw Errors.BadValue("malformed query: $box needs two coordinate pairs: " + Shell.Format(d));
                    double x1 = Math.Min(a.X, b.X), x2 = Math.Max(a.X, b.X), y1 = Math.Min(a.Y, b.Y), y2 = Math.Max(a.Y, b.Y);
                    var ring = new[] { new Position(x1, y1), new Position(x2, y1), new Position(x2, y2), new Position(x1, y2), new Position(x1, y1) };
                    return new GeoWithinPredicate(new PolygonGeometry([ring]), default, -1, spherical: false, pointsOnly: true);
                }
            case "$polygon":
                {
                    if (value is not BsonArray poly || poly.Count < 3 || poly.Any(p => GeoParser.LegacyPoint(p) is null))
                        throw Errors.BadValue("Polygon must have at least 3 points");
                    var ring = poly.Select(p => GeoParser.LegacyPoint(p)!.Value).ToList();
                    if (ring[0] != ring[^1]) ring.Add(ring[0]);
                    return new GeoWithinPredicate(new PolygonGeometry([ring.ToArray()]), default, -1, spherical: false, pointsOnly: true);
                }
            case "$center":
            case "$centerSphere":
                {
                    if (value is not BsonArray { Count: 2 } c || GeoParser.LegacyPoint(c[0]) is not { } center || !c[1].IsNumeric || c[1].ToDouble() < 0)
                        throw Errors.BadValue("malformed query: " + shape + " needs a center point and a non-negative radius: " + Shell.Format(d));
                    var sphere = shape == "$centerSphere";
                    if (sphere && (Math.Abs(center.X) > 180 || Math.Abs(center.Y) > 90))
                        throw Errors.BadValue("longitude/latitude is out of bounds, lng: " + center.X + " lat: " + center.Y);
                    return new GeoWithinPredicate(null, center, c[1].ToDouble(), sphere, pointsOnly: !sphere);
                }
            default:
                throw Errors.BadValue("unknown geo specifier: " + shape + ": " + Shell.Format(value));
        }
    }

    internal static Geometry ParseGeoJson(BsonValue value)
    {
        if (value is not BsonDocument) throw Errors.BadValue("$geometry must be an object: " + Shell.Format(value));
        try
        {
            return GeoParser.Parse(value);
        }
        catch (GeoParseException e)
        {
            throw Errors.BadValue(e.Message);
        }
    }

    public override bool Test(BsonValue? value)
    {
        if (value is null || GeoIndex.TryParse(value) is not { } g) return false;
        if (_pointsOnly && g is not PointGeometry) return false;
        if (_radius >= 0) return g.Vertices.All(v => GeoMath.Distance(v, _center, _spherical) <= _radius);
        return GeoMath.Within(g, _region!, _spherical);
    }
}

/// <summary>$geoIntersects: a location that shares a point with the given GeoJSON geometry (on the sphere).</summary>
internal sealed class GeoIntersectsPredicate(Geometry shape) : Predicate
{
    public static GeoIntersectsPredicate Parse(BsonValue operand)
    {
        if (operand is not BsonDocument d || !d.TryGetValue("$geometry", out var g))
            throw Errors.BadValue("$geoIntersects not followed by a $geometry: " + Shell.Format(operand));
        return new GeoIntersectsPredicate(GeoWithinPredicate.ParseGeoJson(g));
    }

    /// <summary>Where the locations this shape meets lie (what a 2dsphere index reads for it).</summary>
    public GeoRegion Region => GeoRegion.Of(shape, spherical: true);

    public override bool Test(BsonValue? value) =>
        value is not null && GeoIndex.TryParse(value) is { } g && GeoMath.Intersects(g, shape, spherical: true);
}

/// <summary>
/// $near / $nearSphere: locations within [$minDistance, $maxDistance] of a point, returned nearest first. Distances
/// are meters for a GeoJSON point, radians for $nearSphere (or $near over a 2dsphere index) with a legacy pair, and
/// coordinate units for $near with a 2d index; which applies is known once the planner binds it to its index.
/// </summary>
internal sealed class NearFilter : Filter
{
    private NearFilter(string path, Position point, bool geoJson, bool sphere, double? min, double? max)
    {
        Path = path;
        Point = point;
        GeoJson = geoJson;
        Sphere = sphere;
        MinDistance = min;
        MaxDistance = max;
    }

    public string Path { get; }

    public Position Point { get; }

    /// <summary>Whether the point was given as GeoJSON (distances in meters, a 2dsphere index needed).</summary>
    public bool GeoJson { get; }

    /// <summary>$nearSphere (spherical whatever the index).</summary>
    public bool Sphere { get; }

    public double? MinDistance { get; }

    public double? MaxDistance { get; }

    /// <summary>Whether distances are measured on the sphere (set when bound to an index).</summary>
    public bool Spherical { get; private set; }

    public GeoIndex? Index { get; private set; }

    public static NearFilter Parse(string path, BsonDocument ops)
    {
        var op = ops.Contains("$near") ? "$near" : ops.Contains("$nearSphere") ? "$nearSphere" : "$geoNear";
        if (op == "$geoNear") throw Errors.BadValue("$geoNear is an aggregation stage; use $near or $nearSphere in a query");
        double? min = null, max = null;
        Position? point = null;
        var geoJson = false;
        foreach (var (name, value) in ops)
        {
            switch (name)
            {
                case "$near" or "$nearSphere":
                    if (value is BsonDocument nd && nd.TryGetValue("$geometry", out var g))
                    {
                        if (GeoWithinPredicate.ParseGeoJson(g) is not PointGeometry { Legacy: false } p)
                            throw Errors.BadValue("invalid point in geo near query $geometry argument: " + Shell.Format(g));
                        point = p.At;
                        geoJson = true;
                        foreach (var (k, v) in nd)
                        {
                            if (k == "$maxDistance") max = Distance(v, "$maxDistance");
                            else if (k == "$minDistance") min = Distance(v, "$minDistance");
                            else if (k != "$geometry") throw Errors.BadValue("invalid argument in geo near query: " + k);
                        }
                    }
                    else point = GeoParser.LegacyPoint(value) ?? throw Errors.BadValue("geo near accepts just one argument when querying for a GeoJSON point. Extra field found: " + Shell.Format(value));
                    break;
                case "$maxDistance":
                    max = Distance(value, name);
                    break;
                case "$minDistance":
                    min = Distance(value, name);
                    break;
                default:
                    throw Errors.BadValue("invalid argument in geo near query: " + name);
            }
        }
        return new NearFilter(path, point!.Value, geoJson, op == "$nearSphere", min, max);
    }

    private static double Distance(BsonValue v, string name)
    {
        if (!v.IsNumeric) throw Errors.BadValue(name + " must be a number");
        var d = v.ToDouble();
        if (d < 0) throw Errors.BadValue(name + " must be non-negative");
        return d;
    }

    /// <summary>Binds to the index the planner found: 2d gives flat distances to a legacy $near, anything else spherical ones.</summary>
    public void Bind(GeoIndex index)
    {
        Index = index;
        Spherical = GeoJson || Sphere || index.Spherical;
    }

    /// <summary>The distance (in the query's unit) from the point to the nearest location of a document, with that location.</summary>
    public (double Distance, BsonValue Location)? Nearest(BsonDocument doc)
    {
        (double, BsonValue)? best = null;
        foreach (var (shape, value) in GeoIndex.Locations(doc, Path))
        {
            // A 2d index reads legacy pairs only; GeoJSON needs a 2dsphere index.
            if (Index is { Spherical: false } && !shape.Legacy) continue;
            var d = GeoMath.Distance(Point, shape, Spherical);
            if (GeoJson) d *= GeoMath.EarthRadiusMeters;
            if (best is null || d < best.Value.Item1) best = (d, value);
        }
        return best;
    }

    public override bool Matches(BsonValue root, MatchState? state = null)
    {
        if (Index is null) throw new Commands.CommandException(291, "NoQueryExecutionPlans", "planner returned error :: caused by :: unable to find index for $geoNear query");
        if (root is not BsonDocument doc || Nearest(doc) is not { } near) return false;
        return (MinDistance is null || near.Distance >= MinDistance) && (MaxDistance is null || near.Distance <= MaxDistance);
    }

    /// <summary>The one $near of a filter (null when none), top level or in the top-level $and as mongod requires.</summary>
    public static NearFilter? FindIn(Filter root)
    {
        var all = new List<(NearFilter Near, bool TopLevel)>();
        Walk(root, 0);
        if (all.Count > 1) throw Errors.BadValue("Too many geoNear expressions");
        if (all.Count == 1 && !all[0].TopLevel) throw Errors.BadValue("geoNear must be top-level expr");
        return all.Count == 1 ? all[0].Near : null;

        void Walk(Filter f, int depth)
        {
            switch (f)
            {
                case NearFilter n:
                    all.Add((n, depth <= 1));
                    break;
                case AndFilter a:
                    foreach (var c in a.Children) Walk(c, depth == 0 ? 1 : depth + 1);
                    break;
                case OrFilter o:
                    foreach (var c in o.Children) Walk(c, depth + 2);
                    break;
                case NorFilter n:
                    foreach (var c in n.Children) Walk(c, depth + 2);
                    break;
                case NotFilter:
                    break;
            }
        }
    }
}
