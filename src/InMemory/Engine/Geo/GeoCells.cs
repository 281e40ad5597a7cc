namespace Mongo.InMemory.Engine.Geo;

/// <summary>
/// The cells of a geo index: a quadtree over the index's coordinate square (longitude/latitude for 2dsphere, [min, max)
/// on both axes for 2d), each cell numbered as S2 numbers its cells: the Z-order (Morton) position of the cell at its
/// level, then a marker bit, shifted so that every descendant's id lies strictly between the cell's range ends. A cell's
/// descendants are therefore one contiguous range of ids, and its ancestors are the ids its coordinates give at each
/// coarser level: a query reads the descendants of the cells covering its region and the ancestors of those cells.
/// Points sit in leaf cells (level 30, about 4 cm of longitude); a line or polygon sits in the up to four cells of the
/// level its bounding box fits in; whatever the index cannot bound (out-of-range coordinates, shapes wider than a
/// quarter of the globe) sits in the root cell, which every query reads.
/// </summary>
internal static class GeoCells
{
    /// <summary>The finest level: cells of 2^-30 of the square's side.</summary>
    public const int MaxLevel = 30;

    /// <summary>The level-0 cell: the whole square (and whatever the index cannot place).</summary>
    public const long Root = 1L << (2 * MaxLevel);

    private const double LeafScale = 1 << MaxLevel;

    /// <summary>The id of cell (<paramref name="ix"/>, <paramref name="iy"/>) at <paramref name="level"/>.</summary>
    public static long Id(int level, long ix, long iy) => ((Interleave(ix, iy) << 1) | 1) << (2 * (MaxLevel - level));

    /// <summary>The ids of the cell and all its descendants: [low, high].</summary>
    public static (long Low, long High) Range(long id)
    {
        var lsb = id & -id;
        return (id - lsb + 1, id + lsb - 1);
    }

    /// <summary>The leaf cell of a position of the unit square (callers check it lies in [0, 1]).</summary>
    public static long Leaf(double x, double y) => Id(MaxLevel, Cell(x, MaxLevel), Cell(y, MaxLevel));

    /// <summary>The column (or row) of a unit coordinate at a level, the square's far edge in its last cell.</summary>
    public static long Cell(double u, int level)
    {
        var count = 1L << level;
        // u * 2^level is exact (a power of two), so a coordinate falls in the same cell at every level.
        return Math.Clamp((long)Math.Floor(u * count), 0, count - 1);
    }

    /// <summary>
    /// The cells covering a box of the unit square at the finest level where each axis needs at most
    /// <paramref name="perAxis"/> cells (2: a stored shape's four cells; 3: a query's nine).
    /// </summary>
    public static List<(int Level, long X, long Y)> Cover(double x0, double y0, double x1, double y1, int perAxis)
    {
        x0 = Math.Clamp(x0, 0, 1);
        x1 = Math.Clamp(x1, 0, 1);
        y0 = Math.Clamp(y0, 0, 1);
        y1 = Math.Clamp(y1, 0, 1);
        var extent = Math.Max(Math.Max(x1 - x0, y1 - y0), 1.0 / LeafScale);
        // Cells no smaller than the box span it with two per axis (half its size: three); the loop settles rounding.
        var level = Math.Clamp((int)Math.Floor(-Math.Log2(extent)) + (perAxis > 2 ? 1 : 0), 0, MaxLevel);
        while (level > 0 && (Cell(x1, level) - Cell(x0, level) + 1 > perAxis || Cell(y1, level) - Cell(y0, level) + 1 > perAxis)) level--;
        var cells = new List<(int, long, long)>();
        for (var x = Cell(x0, level); x <= Cell(x1, level); x++)
            for (var y = Cell(y0, level); y <= Cell(y1, level); y++) cells.Add((level, x, y));
        return cells;
    }

    /// <summary>The ids of the strict ancestors of a cell (coarser levels, root included).</summary>
    public static IEnumerable<long> Ancestors(int level, long x, long y)
    {
        for (var l = level - 1; l >= 0; l--) yield return Id(l, x >> (level - l), y >> (level - l));
    }

    // Spreads the 30 low bits of v to the even bit positions (Morton code).
    private static long Spread(long v)
    {
        v &= 0x3FFFFFFF;
        v = (v | (v << 16)) & 0x0000FFFF0000FFFFL;
        v = (v | (v << 8)) & 0x00FF00FF00FF00FFL;
        v = (v | (v << 4)) & 0x0F0F0F0F0F0F0F0FL;
        v = (v | (v << 2)) & 0x3333333333333333L;
        v = (v | (v << 1)) & 0x5555555555555555L;
        return v;
    }

    private static long Interleave(long x, long y) => Spread(x) | (Spread(y) << 1);
}
