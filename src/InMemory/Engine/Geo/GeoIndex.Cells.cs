using Mongo.Bson;

namespace Mongo.InMemory.Engine.Geo;

/// <summary>Where a geo index files locations (the cells of <see cref="GeoCells"/>) and which cells a query region reads.</summary>
internal sealed partial class GeoIndex
{
    /// <summary>
    /// The cells a document's locations sit in, each once: every location <see cref="Locations"/> finds (so every
    /// document a geo operator or $near could match is filed), in the order they are found.
    /// </summary>
    public List<long> CellsOf(BsonDocument doc)
    {
        var cells = new List<long>();
        foreach (var (shape, _) in Locations(doc, Field))
        {
            foreach (var part in shape.Parts)
            {
                if (part is PointGeometry point)
                {
                    Add(Unit(point.At) is { } u ? GeoCells.Leaf(u.X, u.Y) : GeoCells.Root);
                    continue;
                }

                var region = GeoRegion.Of(part, Spherical);
                if (region.Boxes is not [var box] || Unit(box) is not { } unit)
                {
                    Add(GeoCells.Root);
                    continue;
                }

                foreach (var (level, x, y) in GeoCells.Cover(unit.X0, unit.Y0, unit.X1, unit.Y1, perAxis: 2)) Add(GeoCells.Id(level, x, y));
            }
        }

        return cells;

        void Add(long cell)
        {
            if (!cells.Contains(cell)) cells.Add(cell);
        }
    }

    /// <summary>
    /// The cells a query reads for a region: the cells covering each box (their descendants are read as ranges) with the
    /// ancestors of those cells (shapes filed coarser); null when the whole index must be read (a region without boxes,
    /// or a spherical one over a 2d index, whose coordinates need not be longitudes and latitudes).
    /// </summary>
    public (List<long> Ranges, List<long> Ancestors)? CellsToRead(GeoRegion region)
    {
        if (region.Boxes is null || region.Spherical && !Spherical) return null;
        var ranges = new List<long>();
        var ancestors = new List<long>();
        var seen = new HashSet<long>();
        foreach (var box in region.Boxes)
        {
            // A box wholly outside the index's square holds no filed location but the root's (always read).
            var unit = UnitClamped(box);
            if (unit is null) continue;
            var (x0, y0, x1, y1) = unit.Value;
            foreach (var (level, x, y) in GeoCells.Cover(x0, y0, x1, y1, perAxis: 3))
            {
                var id = GeoCells.Id(level, x, y);
                if (seen.Add(id)) ranges.Add(id);
                foreach (var ancestor in GeoCells.Ancestors(level, x, y))
                    if (seen.Add(ancestor)) ancestors.Add(ancestor);
            }
        }

        if (seen.Add(GeoCells.Root)) ancestors.Add(GeoCells.Root);
        ranges.Sort();
        ancestors.Sort();
        return (ranges, ancestors);
    }

    /// <summary>A position in the unit square of this index, or null when it lies outside the indexed range.</summary>
    private (double X, double Y)? Unit(Position p)
    {
        if (Spherical)
            return Math.Abs(p.X) <= 180 && Math.Abs(p.Y) <= 90 ? ((p.X + 180) / 360, (p.Y + 90) / 180) : null;
        double x = (p.X - Min) / (Max - Min), y = (p.Y - Min) / (Max - Min);
        return x >= 0 && x <= 1 && y >= 0 && y <= 1 ? (x, y) : null;
    }

    /// <summary>A stored shape's box in the unit square, or null when any corner lies outside it (the shape goes to the root).</summary>
    private GeoBox? Unit(GeoBox box) =>
        Unit(new Position(box.X0, box.Y0)) is { } lo && Unit(new Position(box.X1, box.Y1)) is { } hi ? new GeoBox(lo.X, lo.Y, hi.X, hi.Y) : null;

    /// <summary>A query box in the unit square, clipped to it (null when it misses the square or is not a number).</summary>
    private (double X0, double Y0, double X1, double Y1)? UnitClamped(GeoBox box)
    {
        double lo = Spherical ? -180 : Min, hi = Spherical ? 180 : Max, loY = Spherical ? -90 : Min, hiY = Spherical ? 90 : Max;
        double x0 = (box.X0 - lo) / (hi - lo), x1 = (box.X1 - lo) / (hi - lo), y0 = (box.Y0 - loY) / (hiY - loY), y1 = (box.Y1 - loY) / (hiY - loY);
        if (!(x0 <= 1 && x1 >= 0 && y0 <= 1 && y1 >= 0)) return null;
        return (Math.Max(0, x0), Math.Max(0, y0), Math.Min(1, x1), Math.Min(1, y1));
    }
}
