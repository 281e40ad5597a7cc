using Mongo.Bson.Internal;

namespace Mongo.Bson;

public abstract partial class BsonValue
{
    /// <summary>
    /// Compares in MongoDB's cross-type sort order: MinKey, Undefined, Null, numbers (compared numerically across
    /// Int32, Int64, Double and Decimal128; NaN lowest), Symbol and String, Document, Array, Binary, ObjectId, Boolean,
    /// DateTime, Timestamp, RegularExpression, DBPointer, JavaScript, JavaScriptWithScope, MaxKey.
    /// </summary>
    /// <exception cref="BsonException">Documents and arrays are nested deeper than <see cref="BsonLimits.MaxDepth"/>.</exception>
    public int CompareTo(BsonValue? other) => CompareAt(this, other, 1);

    /// <summary><see cref="CompareTo"/> for <paramref name="x"/> at nesting level <paramref name="depth"/> of a tree walk.</summary>
    private static int CompareAt(BsonValue x, BsonValue? other, int depth)
    {
        if (other is null)
        {
            return 1;
        }

        if (ReferenceEquals(x, other))
        {
            return 0;
        }

        int rank = CanonicalRank(x.BsonType).CompareTo(CanonicalRank(other.BsonType));
        return rank != 0 ? rank : CompareSameRank(x, other, depth);
    }

    /// <summary>
    /// The server's canonical type rank: values of different ranks order by rank; within a rank by value.
    /// Numbers share one rank, as do String and Symbol.
    /// </summary>
    public static int CanonicalRank(BsonType type) => type switch
    {
        BsonType.MinKey => -1,
        BsonType.Undefined => 0,
        BsonType.Null => 5,
        BsonType.Int32 or BsonType.Int64 or BsonType.Double or BsonType.Decimal128 => 10,
        BsonType.String or BsonType.Symbol => 15,
        BsonType.Document => 20,
        BsonType.Array => 25,
        BsonType.Binary => 30,
        BsonType.ObjectId => 35,
        BsonType.Boolean => 40,
        BsonType.DateTime => 45,
        BsonType.Timestamp => 47,
        BsonType.RegularExpression => 50,
        BsonType.DBPointer => 55,
        BsonType.JavaScript => 60,
        BsonType.JavaScriptWithScope => 65,
        BsonType.MaxKey => 127,
        _ => 0,
    };

    /// <summary>Ordinal comparison by Unicode code point, which is the order of the strings' UTF-8 bytes (the server's order).</summary>
    public static int CompareStrings(string left, string right)
    {
        int length = Math.Min(left.Length, right.Length);
        for (int i = 0; i < length; i++)
        {
            char a = left[i];
            char b = right[i];
            if (a != b)
            {
                // UTF-16 orders surrogates (U+D800-DFFF) below U+E000-FFFF; code point (UTF-8) order puts them above.
                bool sa = char.IsSurrogate(a);
                bool sb = char.IsSurrogate(b);
                if (sa != sb && (a >= 0xE000 || b >= 0xE000))
                {
                    return sa ? 1 : -1;
                }

                return a < b ? -1 : 1;
            }
        }

        return left.Length.CompareTo(right.Length);
    }

    private static int CompareSameRank(BsonValue x, BsonValue y, int depth)
    {
        switch (x.BsonType)
        {
            case BsonType.Int32 or BsonType.Int64 or BsonType.Double or BsonType.Decimal128:
                return CompareNumbers(x, y);
            case BsonType.String or BsonType.Symbol:
                return CompareStrings(StringOf(x), StringOf(y));
            case BsonType.Document:
                DepthGuard.Enter(depth, "CompareTo");
                return CompareElements(((BsonDocument)x).Elements, ((BsonDocument)y).Elements, depth);
            case BsonType.Array:
                DepthGuard.Enter(depth, "CompareTo");
                return CompareArrays((BsonArray)x, (BsonArray)y, depth);
            case BsonType.Binary:
                var bx = (BsonBinaryData)x;
                var by = (BsonBinaryData)y;
                int c = bx.Bytes.Length.CompareTo(by.Bytes.Length);
                if (c == 0)
                {
                    c = ((byte)bx.SubType).CompareTo((byte)by.SubType);
                }

                return c != 0 ? c : bx.Bytes.AsSpan().SequenceCompareTo(by.Bytes);
            case BsonType.ObjectId:
                return ((BsonObjectId)x).Value.CompareTo(((BsonObjectId)y).Value);
            case BsonType.Boolean:
                return ((BsonBoolean)x).Value.CompareTo(((BsonBoolean)y).Value);
            case BsonType.DateTime:
                return ((BsonDateTime)x).MillisecondsSinceEpoch.CompareTo(((BsonDateTime)y).MillisecondsSinceEpoch);
            case BsonType.Timestamp:
                return ((BsonTimestamp)x).Value.CompareTo(((BsonTimestamp)y).Value);
            case BsonType.RegularExpression:
                var rx = (BsonRegularExpression)x;
                var ry = (BsonRegularExpression)y;
                c = CompareStrings(rx.Pattern, ry.Pattern);
                return c != 0 ? c : CompareStrings(rx.Options, ry.Options);
            case BsonType.DBPointer:
                var px = (BsonDBPointer)x;
                var py = (BsonDBPointer)y;
                c = CompareStrings(px.Namespace, py.Namespace);
                return c != 0 ? c : px.Id.CompareTo(py.Id);
            case BsonType.JavaScript:
                return CompareStrings(((BsonJavaScript)x).Code, ((BsonJavaScript)y).Code);
            case BsonType.JavaScriptWithScope:
                var jx = (BsonJavaScriptWithScope)x;
                var jy = (BsonJavaScriptWithScope)y;
                c = CompareStrings(jx.Code, jy.Code);
                return c != 0 ? c : CompareAt(jx.Scope, jy.Scope, depth);
            default:
                // MinKey, MaxKey, Null, Undefined: all values of the type are equal.
                return 0;
        }
    }

    private static string StringOf(BsonValue value) =>
        value is BsonString s ? s.Value : ((BsonSymbol)value).Name;

    private static int CompareElements(IReadOnlyList<BsonElement> x, IReadOnlyList<BsonElement> y, int depth)
    {
        int count = Math.Min(x.Count, y.Count);
        for (int i = 0; i < count; i++)
        {
            // The server compares each element's type rank, then its name, then its value.
            int c = CanonicalRank(x[i].Value.BsonType).CompareTo(CanonicalRank(y[i].Value.BsonType));
            if (c == 0)
            {
                c = CompareStrings(x[i].Name, y[i].Name);
            }

            if (c == 0)
            {
                c = CompareSameRank(x[i].Value, y[i].Value, depth + 1);
            }

            if (c != 0)
            {
                return c;
            }
        }

        return x.Count.CompareTo(y.Count);
    }

    private static int CompareArrays(BsonArray x, BsonArray y, int depth)
    {
        int count = Math.Min(x.Count, y.Count);
        for (int i = 0; i < count; i++)
        {
            int c = CompareAt(x[i], y[i], depth + 1);
            if (c != 0)
            {
                return c;
            }
        }

        return x.Count.CompareTo(y.Count);
    }

    /// <summary>Compares two numeric values exactly across Int32, Int64, Double and Decimal128. NaN sorts below every number.</summary>
    internal static int CompareNumbers(BsonValue x, BsonValue y)
    {
        BsonType tx = x.BsonType;
        BsonType ty = y.BsonType;
        if (tx is BsonType.Int32 or BsonType.Int64 && ty is BsonType.Int32 or BsonType.Int64)
        {
            return x.ToInt64().CompareTo(y.ToInt64());
        }

        if (tx == BsonType.Decimal128 || ty == BsonType.Decimal128)
        {
            // Decimal128 against Decimal128/Int32/Int64 compares exactly (integers convert exactly); against a
            // double it compares with the double's binary value rounded to 34 digits, as the server does, so
            // Decimal128("0.1") and the double 0.1 differ.
            Decimal128 dx = tx == BsonType.Double ? Decimal128.FromDoubleExact(((BsonDouble)x).Value) : x.ToDecimal128();
            Decimal128 dy = ty == BsonType.Double ? Decimal128.FromDoubleExact(((BsonDouble)y).Value) : y.ToDecimal128();
            return dx.CompareTo(dy);
        }

        if (tx == BsonType.Double && ty == BsonType.Double)
        {
            return CompareDoubles(((BsonDouble)x).Value, ((BsonDouble)y).Value);
        }

        // One double, one integer: compare exactly (a long does not always fit a double).
        return tx == BsonType.Double
            ? CompareDoubleToLong(((BsonDouble)x).Value, y.ToInt64())
            : -CompareDoubleToLong(((BsonDouble)y).Value, x.ToInt64());
    }

    private static int CompareDoubles(double a, double b)
    {
        if (double.IsNaN(a))
        {
            return double.IsNaN(b) ? 0 : -1;
        }

        if (double.IsNaN(b))
        {
            return 1;
        }

        return a < b ? -1 : a > b ? 1 : 0;
    }

    private static int CompareDoubleToLong(double d, long l)
    {
        if (double.IsNaN(d))
        {
            return -1;
        }

        // 2^63 is exactly representable; anything at or beyond it is outside long's range.
        if (d >= 9223372036854775808.0)
        {
            return 1;
        }

        if (d < -9223372036854775808.0)
        {
            return -1;
        }

        double floor = Math.Floor(d);
        long whole = (long)floor;
        if (whole != l)
        {
            return whole < l ? -1 : 1;
        }

        return d > floor ? 1 : 0;
    }

    /// <summary>
    /// Decimal128 to the nearest double. Used for cross-type numeric comparison and conversions; exact decimal
    /// arithmetic lives in <see cref="Decimal128"/>.
    /// </summary>
    private static double DecimalToDouble(Decimal128 value)
    {
        ulong high = value.HighBits;
        bool negative = (high >> 63) != 0;
        if ((high & 0x7C00_0000_0000_0000) == 0x7C00_0000_0000_0000)
        {
            return double.NaN;
        }

        if ((high & 0x7C00_0000_0000_0000) == 0x7800_0000_0000_0000)
        {
            return negative ? double.NegativeInfinity : double.PositiveInfinity;
        }

        int exponent;
        UInt128 coefficient;
        if ((high & 0x6000_0000_0000_0000) == 0x6000_0000_0000_0000)
        {
            // Combination field 11: the coefficient would exceed 34 digits, which the spec treats as zero.
            exponent = (int)((high >> 47) & 0x3FFF) - 6176;
            coefficient = 0;
        }
        else
        {
            exponent = (int)((high >> 49) & 0x3FFF) - 6176;
            coefficient = new UInt128(high & 0x0001_FFFF_FFFF_FFFF, value.LowBits);
        }

        double result = (double)coefficient * Math.Pow(10, exponent);
        if (double.IsInfinity(result) || result == 0 && coefficient != 0)
        {
            // Split the scaling to avoid overflow/underflow of the power of ten alone.
            result = (double)coefficient * Math.Pow(10, exponent / 2) * Math.Pow(10, exponent - (exponent / 2));
        }

        return negative ? -result : result;
    }
}
