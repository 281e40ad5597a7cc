namespace Mongo.InMemory.Engine.Geo;

/// <summary>
/// Geometry predicates and distances, on the sphere (edges are great-circle arcs, distances in radians) or on the flat
/// plane of 2d indexes and legacy shapes. Spherical tests project the shapes involved gnomonically around their centre,
/// which maps great circles to straight lines, so planar crossing and containment tests are exact there; this holds
/// for shapes within one hemisphere (anything larger is outside the projection and not matched).
/// </summary>
internal static class GeoMath
{
    /// <summary>The Earth radius mongod converts radians with (WGS84 sphere, 6378.1 km), in meters.</summary>
    public const double EarthRadiusMeters = 6378100;

    private readonly record struct Vec(double X, double Y, double Z)
    {
        public static Vec Of(Position p)
        {
            var lon = p.X * Math.PI / 180;
            var lat = p.Y * Math.PI / 180;
            return new Vec(Math.Cos(lat) * Math.Cos(lon), Math.Cos(lat) * Math.Sin(lon), Math.Sin(lat));
        }

        public double Dot(Vec o) => (X * o.X) + (Y * o.Y) + (Z * o.Z);

        public Vec Cross(Vec o) => new((Y * o.Z) - (Z * o.Y), (Z * o.X) - (X * o.Z), (X * o.Y) - (Y * o.X));

        public double Length => Math.Sqrt(Dot(this));

        public Vec Normalized()
        {
            var l = Length;
            return l == 0 ? this : new Vec(X / l, Y / l, Z / l);
        }
    }

    /// <summary>The plane tests run in: identity (flat) or a gnomonic projection around a centre.</summary>
    private sealed class Plane
    {
        private readonly bool _spherical;
        private readonly Vec _c, _u, _v;

        private Plane(bool spherical, Vec c)
        {
            _spherical = spherical;
            _c = c;
            var axis = Math.Abs(c.Z) < 0.9 ? new Vec(0, 0, 1) : new Vec(1, 0, 0);
            _u = c.Cross(axis).Normalized();
            _v = c.Cross(_u);
        }

        public static Plane For(bool spherical, IEnumerable<Position> around)
        {
            if (!spherical) return new Plane(false, default);
            var sum = new Vec(0, 0, 0);
            foreach (var p in around)
            {
                var v = Vec.Of(p);
                sum = new Vec(sum.X + v.X, sum.Y + v.Y, sum.Z + v.Z);
            }
            return new Plane(true, sum.Length < 1e-12 ? new Vec(1, 0, 0) : sum.Normalized());
        }

        public (double X, double Y)? Project(Position p)
        {
            if (!_spherical) return (p.X, p.Y);
            var v = Vec.Of(p);
            var d = v.Dot(_c);
            if (d <= 1e-12) return null; // the far hemisphere: outside every shape of the near one
            return (v.Dot(_u) / d, v.Dot(_v) / d);
        }
    }

    /// <summary>The distance between two positions: radians on the sphere, coordinate units on the plane.</summary>
    public static double Distance(Position a, Position b, bool spherical)
    {
        if (!spherical) return Math.Sqrt(((a.X - b.X) * (a.X - b.X)) + ((a.Y - b.Y) * (a.Y - b.Y)));
        var lat1 = a.Y * Math.PI / 180;
        var lat2 = b.Y * Math.PI / 180;
        var dLat = lat2 - lat1;
        var dLon = (b.X - a.X) * Math.PI / 180;
        var h = (Math.Sin(dLat / 2) * Math.Sin(dLat / 2)) + (Math.Cos(lat1) * Math.Cos(lat2) * Math.Sin(dLon / 2) * Math.Sin(dLon / 2));
        return 2 * Math.Asin(Math.Min(1, Math.Sqrt(h)));
    }

    /// <summary>The smallest distance from a position to a geometry (0 inside a polygon).</summary>
    public static double Distance(Position p, Geometry g, bool spherical)
    {
        var best = double.PositiveInfinity;
        foreach (var part in g.Parts)
        {
            var d = part switch
            {
                PointGeometry pt => Distance(p, pt.At, spherical),
                LineGeometry line => EdgesDistance(p, line.Points, spherical),
                PolygonGeometry poly => Contains(poly, p, spherical) ? 0 : poly.Rings.Min(r => EdgesDistance(p, r, spherical)),
                _ => double.PositiveInfinity,
            };
            best = Math.Min(best, d);
        }
        return best;
    }

    private static double EdgesDistance(Position p, Position[] points, bool spherical)
    {
        var best = double.PositiveInfinity;
        for (var i = 0; i + 1 < points.Length; i++) best = Math.Min(best, EdgeDistance(p, points[i], points[i + 1], spherical));
        return best;
    }

    private static double EdgeDistance(Position p, Position a, Position b, bool spherical)
    {
        if (!spherical)
        {
            double dx = b.X - a.X, dy = b.Y - a.Y;
            var len = (dx * dx) + (dy * dy);
            var t = len == 0 ? 0 : Math.Clamp((((p.X - a.X) * dx) + ((p.Y - a.Y) * dy)) / len, 0, 1);
            return Distance(p, new Position(a.X + (t * dx), a.Y + (t * dy)), false);
        }
        Vec va = Vec.Of(a), vb = Vec.Of(b), vp = Vec.Of(p);
        var n = va.Cross(vb);
        if (n.Length < 1e-15) return Distance(p, a, true);
        n = n.Normalized();
        var offPlane = vp.Dot(n);
        var onCircle = new Vec(vp.X - (offPlane * n.X), vp.Y - (offPlane * n.Y), vp.Z - (offPlane * n.Z));
        if (va.Cross(onCircle).Dot(n) >= 0 && onCircle.Cross(vb).Dot(n) >= 0) return Math.Asin(Math.Min(1, Math.Abs(offPlane)));
        return Math.Min(Distance(p, a, true), Distance(p, b, true));
    }

    /// <summary>Whether a polygon (outer ring minus holes, boundary included) holds a position.</summary>
    public static bool Contains(PolygonGeometry poly, Position p, bool spherical)
    {
        var plane = Plane.For(spherical, poly.Rings[0].Skip(1));
        return Contains(poly, p, plane);
    }

    private static bool Contains(PolygonGeometry poly, Position p, Plane plane)
    {
        if (plane.Project(p) is not { } q) return false;
        if (!InRing(poly.Rings[0], q, plane, boundary: true)) return false;
        for (var h = 1; h < poly.Rings.Length; h++)
            if (InRing(poly.Rings[h], q, plane, boundary: false)) return false;
        return true;
    }

    private static bool InRing(Position[] ring, (double X, double Y) q, Plane plane, bool boundary)
    {
        var projected = new List<(double X, double Y)>(ring.Length);
        foreach (var r in ring)
        {
            if (plane.Project(r) is not { } pr) return false;
            projected.Add(pr);
        }
        var inside = false;
        for (int i = 0, j = projected.Count - 1; i < projected.Count; j = i++)
        {
            var (xi, yi) = projected[i];
            var (xj, yj) = projected[j];
            if (OnSegment(q, projected[j], projected[i])) return boundary;
            if (yi > q.Y != yj > q.Y && q.X < ((xj - xi) * (q.Y - yi) / (yj - yi)) + xi) inside = !inside;
        }
        return inside;
    }

    private static double Orient((double X, double Y) a, (double X, double Y) b, (double X, double Y) c) =>
        ((b.X - a.X) * (c.Y - a.Y)) - ((b.Y - a.Y) * (c.X - a.X));

    private static bool OnSegment((double X, double Y) q, (double X, double Y) a, (double X, double Y) b)
    {
        var scale = Math.Max(1e-300, Math.Max(Math.Abs(b.X - a.X), Math.Abs(b.Y - a.Y)));
        if (Math.Abs(Orient(a, b, q)) > 1e-12 * scale * scale) return false;
        return q.X >= Math.Min(a.X, b.X) - 1e-12 && q.X <= Math.Max(a.X, b.X) + 1e-12 && q.Y >= Math.Min(a.Y, b.Y) - 1e-12 && q.Y <= Math.Max(a.Y, b.Y) + 1e-12;
    }

    private static bool SegmentsMeet((double X, double Y) a, (double X, double Y) b, (double X, double Y) c, (double X, double Y) d)
    {
        var o1 = Orient(a, b, c);
        var o2 = Orient(a, b, d);
        var o3 = Orient(c, d, a);
        var o4 = Orient(c, d, b);
        if ((o1 > 0 && o2 < 0 || o1 < 0 && o2 > 0) && (o3 > 0 && o4 < 0 || o3 < 0 && o4 > 0)) return true;
        return OnSegment(c, a, b) || OnSegment(d, a, b) || OnSegment(a, c, d) || OnSegment(b, c, d);
    }

    /// <summary>The edges of a geometry part: a line's segments, a polygon's ring segments (none for a point).</summary>
    private static IEnumerable<(Position A, Position B)> Edges(Geometry part) => part switch
    {
        LineGeometry l => Segments(l.Points),
        PolygonGeometry poly => poly.Rings.SelectMany(Segments),
        _ => [],
    };

    private static IEnumerable<(Position, Position)> Segments(Position[] points)
    {
        for (var i = 0; i + 1 < points.Length; i++) yield return (points[i], points[i + 1]);
    }

    private static bool EdgesCross(Geometry a, Geometry b, Plane plane)
    {
        foreach (var (a1, a2) in Edges(a))
        {
            if (plane.Project(a1) is not { } pa1 || plane.Project(a2) is not { } pa2) continue;
            foreach (var (b1, b2) in Edges(b))
            {
                if (plane.Project(b1) is not { } pb1 || plane.Project(b2) is not { } pb2) continue;
                if (SegmentsMeet(pa1, pa2, pb1, pb2)) return true;
            }
        }
        return false;
    }

    /// <summary>$geoIntersects: whether two geometries share a point (boundaries included).</summary>
    public static bool Intersects(Geometry a, Geometry b, bool spherical)
    {
        foreach (var pa in a.Parts)
        {
            foreach (var pb in b.Parts)
            {
                if (PartsIntersect(pa, pb, spherical)) return true;
            }
        }
        return false;
    }

    private static bool PartsIntersect(Geometry a, Geometry b, bool spherical)
    {
        if (a is PointGeometry p && b is PointGeometry q) return Distance(p.At, q.At, spherical) < 1e-12;
        if (b is PointGeometry) (a, b) = (b, a);
        var plane = Plane.For(spherical, a.Vertices.Concat(b.Vertices));
        if (a is PointGeometry point)
        {
            if (b is PolygonGeometry poly) return Contains(poly, point.At, plane);
            return plane.Project(point.At) is { } pp && Edges(b).Any(e => plane.Project(e.A) is { } e1 && plane.Project(e.B) is { } e2 && OnSegment(pp, e1, e2));
        }
        if (EdgesCross(a, b, plane)) return true;
        if (b is PolygonGeometry pb && a.Vertices.Any(v => Contains(pb, v, plane))) return true;
        return a is PolygonGeometry pa && b.Vertices.Any(v => Contains(pa, v, plane));
    }

    /// <summary>$geoWithin a polygon (or multipolygon): every part of the geometry inside one of its polygons.</summary>
    public static bool Within(Geometry g, Geometry region, bool spherical)
    {
        var polygons = region.Parts.OfType<PolygonGeometry>().ToList();
        foreach (var part in g.Parts)
        {
            var inOne = false;
            foreach (var poly in polygons)
            {
                var plane = Plane.For(spherical, poly.Rings[0].Skip(1));
                if (!part.Vertices.All(v => Contains(poly, v, plane))) continue;
                // A line or polygon whose vertices are inside may still leave through a hole or a concave notch.
                if (part is not PointGeometry && EdgesCrossStrictly(part, poly, plane)) continue;
                inOne = true;
                break;
            }
            if (!inOne) return false;
        }
        return true;
    }

    private static bool EdgesCrossStrictly(Geometry a, PolygonGeometry b, Plane plane)
    {
        foreach (var (a1, a2) in Edges(a))
        {
            if (plane.Project(a1) is not { } pa1 || plane.Project(a2) is not { } pa2) return true;
            foreach (var (b1, b2) in Edges(b))
            {
                if (plane.Project(b1) is not { } pb1 || plane.Project(b2) is not { } pb2) continue;
                var o1 = Orient(pa1, pa2, pb1);
                var o2 = Orient(pa1, pa2, pb2);
                var o3 = Orient(pb1, pb2, pa1);
                var o4 = Orient(pb1, pb2, pa2);
                if ((o1 > 0 && o2 < 0 || o1 < 0 && o2 > 0) && (o3 > 0 && o4 < 0 || o3 < 0 && o4 > 0)) return true;
            }
        }
        return false;
    }
}
