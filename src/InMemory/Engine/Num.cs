using Mongo.Bson;

namespace Mongo.InMemory.Engine;

/// <summary>Arithmetic with the server's numeric type promotion (int32 → int64 → double, decimal wins).</summary>
internal static class Num
{
    private static int Rank(BsonValue v) => v.BsonType switch
    {
        BsonType.Int32 => 0,
        BsonType.Int64 => 1,
        BsonType.Double => 2,
        _ => 3,
    };

    public static BsonValue Int(long value) => value is >= int.MinValue and <= int.MaxValue ? new BsonInt32((int)value) : new BsonInt64(value);

    public static BsonValue Decimal(double value)
    {
        if (double.IsNaN(value) || double.IsInfinity(value)) return new BsonDouble(value);
        try
        {
            return FromDecimal((decimal)value);
        }
        catch (OverflowException)
        {
            return new BsonDouble(value);
        }
    }

    /// <summary>Encodes a .NET decimal as a BID Decimal128 (coefficient and scale carry over exactly).</summary>
    public static BsonDecimal128 FromDecimal(decimal value)
    {
        Span<int> bits = stackalloc int[4];
        decimal.GetBits(value, bits);
        var low = (ulong)(uint)bits[0] | (ulong)(uint)bits[1] << 32;
        var highCoefficient = (ulong)(uint)bits[2];
        var scale = (bits[3] >> 16) & 0xFF;
        var negative = bits[3] < 0;
        var exponent = (ulong)(6176 - scale);
        var high = (negative ? 1UL << 63 : 0) | exponent << 49 | highCoefficient;
        return new BsonDecimal128(new Decimal128(high, low));
    }

    public static BsonValue Add(BsonValue a, BsonValue b)
    {
        var r = Math.Max(Rank(a), Rank(b));
        switch (r)
        {
            case 0:
                return Int((long)a.AsInt32 + b.AsInt32);
            case 1:
                {
                    long x = a.ToInt64(), y = b.ToInt64();
                    var s = x + y;
                    if (((x ^ s) & (y ^ s)) < 0) return new BsonDouble((double)x + y);
                    return new BsonInt64(s);
                }
            case 2:
                return new BsonDouble(a.ToDouble() + b.ToDouble());
            default:
                return Decimal(a.ToDouble() + b.ToDouble());
        }
    }

    public static BsonValue Subtract(BsonValue a, BsonValue b)
    {
        var r = Math.Max(Rank(a), Rank(b));
        switch (r)
        {
            case 0:
                return Int((long)a.AsInt32 - b.AsInt32);
            case 1:
                {
                    long x = a.ToInt64(), y = b.ToInt64();
                    var s = x - y;
                    if (((x ^ y) & (x ^ s)) < 0) return new BsonDouble((double)x - y);
                    return new BsonInt64(s);
                }
            case 2:
                return new BsonDouble(a.ToDouble() - b.ToDouble());
            default:
                return Decimal(a.ToDouble() - b.ToDouble());
        }
    }

    public static BsonValue Multiply(BsonValue a, BsonValue b)
    {
        var r = Math.Max(Rank(a), Rank(b));
        switch (r)
        {
            case 0:
                return Int((long)a.AsInt32 * b.AsInt32);
            case 1:
                {
                    long x = a.ToInt64(), y = b.ToInt64();
                    try
                    {
                        return new BsonInt64(checked(x * y));
                    }
                    catch (OverflowException)
                    {
                        return new BsonDouble((double)x * y);
                    }
                }
            case 2:
                return new BsonDouble(a.ToDouble() * b.ToDouble());
            default:
                return Decimal(a.ToDouble() * b.ToDouble());
        }
    }

    /// <summary>Keeps the result type as an int32 when the server would (e.g. $inc on int32 that still fits).</summary>
    public static BsonValue Normalize(BsonValue v) => v;

    public static bool IsNaN(BsonValue v) => v.BsonType is BsonType.Double or BsonType.Decimal128 && double.IsNaN(v.ToDouble());
}
