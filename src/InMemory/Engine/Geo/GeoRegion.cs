namespace Mongo.InMemory.Engine.Geo;

/// <summary>A box of coordinates: longitude/latitude degrees (spherical) or plane units (flat), edges included.</summary>
internal readonly record struct GeoBox(double X0, double Y0, double X1, double Y1);

/// <summary>
/// Where a geo query can find its matches, as boxes of coordinates that hold every location it could match (null boxes:
/// anywhere). Spherical regions are in longitude/latitude and bound great-circle edges (which bulge towards the poles)
/// and caps; flat regions are in the plane of legacy shapes. The boxes only narrow the index read: every candidate is
/// still tested exactly, so a box may be larger than needed but never smaller.
/// </summary>
internal sealed class GeoRegion
{
    // Degrees added around every spherical box (about a centimetre): far beyond the rounding of the distance and
    // containment tests, so a location they accept on a box's edge is never left out of it.
    private const double Pad = 1e-7;

    private GeoRegion(bool spherical, List<GeoBox>? boxes)
    {
        Spherical = spherical;
        Boxes = boxes;
    }

    /// <summary>Whether the boxes are longitude/latitude (true) or flat coordinates.</summary>
    public bool Spherical { get; }

    /// <summary>The boxes; null when the region cannot be bounded (the whole index is read).</summary>
    public List<GeoBox>? Boxes { get; }

    /// <summary>Anywhere (in spherical or flat terms).</summary>
    public static GeoRegion Anywhere(bool spherical) => new(spherical, null);

    /// <summary>The locations within <paramref name="radius"/> radians of a position on the sphere.</summary>
    public static GeoRegion Cap(Position center, double radius)
    {
        if (!(Math.Abs(center.X) <= 180 && Math.Abs(center.Y) <= 90) || !(radius < Math.PI / 2)) return Anywhere(true);
        var r = (radius * (1 + 1e-9)) + 1e-12;
        var lat = center.Y * Math.PI / 180;
        double latLo = lat - r, latHi = lat + r;
        if (latHi >= Math.PI / 2 || latLo <= -Math.PI / 2)
            return new GeoRegion(true, [new GeoBox(-180, Math.Max(-90, Degrees(latLo) - Pad), 180, Math.Min(90, Degrees(latHi) + Pad))]);
        // The widest longitude a cap not holding a pole reaches (at the latitude where its edge is tangent to a meridian).
        var ratio = Math.Sin(r) / Math.Cos(lat);
        var dLon = ratio >= 1 ? 180 : Degrees(Math.Asin(ratio)) + Pad;
        double lo = center.X - dLon, hi = center.X + dLon, y0 = Degrees(latLo) - Pad, y1 = Degrees(latHi) + Pad;
        if (dLon >= 180) return new GeoRegion(true, [new GeoBox(-180, y0, 180, y1)]);
        // Across the antimeridian the box continues on the other side.
        if (lo < -180) return new GeoRegion(true, [new GeoBox(-180, y0, hi, y1), new GeoBox(lo + 360, y0, 180, y1)]);
        if (hi > 180) return new GeoRegion(true, [new GeoBox(lo, y0, 180, y1), new GeoBox(-180, y0, hi - 360, y1)]);
        return new GeoRegion(true, [new GeoBox(lo, y0, hi, y1)]);
    }

    /// <summary>The locations within <paramref name="radius"/> units of a position on the plane.</summary>
    public static GeoRegion Disc(Position center, double radius)
    {
        if (!double.IsFinite(center.X) || !double.IsFinite(center.Y) || !double.IsFinite(radius)) return Anywhere(false);
        var r = radius + (1e-9 * (Math.Abs(center.X) + Math.Abs(center.Y) + radius)) + 1e-12;
        return new GeoRegion(false, [new GeoBox(center.X - r, center.Y - r, center.X + r, center.Y + r)]);
    }

    /// <summary>The locations a geometry covers: its parts' boxes (spherical edges bulging as great circles do).</summary>
    public static GeoRegion Of(Geometry shape, bool spherical)
    {
        var boxes = new List<GeoBox>();
        foreach (var part in shape.Parts)
        {
            if ((spherical ? SphereBox(part) : FlatBox(part)) is not { } box) return Anywhere(spherical);
            boxes.Add(box);
        }

        return new GeoRegion(spherical, boxes);
    }

    /// <summary>
    /// The longitude/latitude box of a point, line or polygon (its outer ring bounds it), or null when it is not
    /// bounded simply: coordinates out of range, edges near a pole or more than a quarter of the globe wide (such a
    /// shape may cross the antimeridian or hold a pole).
    /// </summary>
    public static GeoBox? SphereBox(Geometry part)
    {
        Position[] points = part switch
        {
            PointGeometry p => [p.At],
            LineGeometry l => l.Points,
            PolygonGeometry g => g.Rings[0],
            _ => [],
        };
        if (points.Length == 0) return null;
        double x0 = double.MaxValue, x1 = double.MinValue, y0 = double.MaxValue, y1 = double.MinValue;
        foreach (var p in points)
        {
            if (!(Math.Abs(p.X) <= 180 && Math.Abs(p.Y) <= 89)) return null;
            x0 = Math.Min(x0, p.X);
            x1 = Math.Max(x1, p.X);
            y0 = Math.Min(y0, p.Y);
            y1 = Math.Max(y1, p.Y);
        }

        if (x1 - x0 > 90) return null;
        for (var i = 0; i + 1 < points.Length; i++)
        {
            // On a great circle tan(lat) = k cos(lon - lon0): over an edge spanning dLon, the largest value is at most
            // the larger end's divided by cos(dLon / 2) (the nearer end to the peak is within dLon / 2 of it).
            var a = points[i];
            var b = points[i + 1];
            var half = Math.Abs(b.X - a.X) * Math.PI / 360;
            var top = Math.Max(Math.Tan(a.Y * Math.PI / 180), Math.Tan(b.Y * Math.PI / 180));
            if (top > 0) y1 = Math.Max(y1, Degrees(Math.Atan(top / Math.Cos(half))));
            var bottom = Math.Min(Math.Tan(a.Y * Math.PI / 180), Math.Tan(b.Y * Math.PI / 180));
            if (bottom < 0) y0 = Math.Min(y0, Degrees(Math.Atan(bottom / Math.Cos(half))));
        }

        return new GeoBox(x0 - Pad, Math.Max(-90, y0 - Pad), x1 + Pad, Math.Min(90, y1 + Pad));
    }

    private static GeoBox? FlatBox(Geometry part)
    {
        var points = part.Vertices.ToList();
        if (points.Count == 0 || points.Exists(p => !double.IsFinite(p.X) || !double.IsFinite(p.Y))) return null;
        double x0 = points.Min(p => p.X), x1 = points.Max(p => p.X), y0 = points.Min(p => p.Y), y1 = points.Max(p => p.Y);
        var pad = (1e-9 * (Math.Max(Math.Abs(x0), Math.Abs(x1)) + Math.Max(Math.Abs(y0), Math.Abs(y1)))) + 1e-12;
        return new GeoBox(x0 - pad, y0 - pad, x1 + pad, y1 + pad);
    }

    private static double Degrees(double radians) => radians * 180 / Math.PI;
}
