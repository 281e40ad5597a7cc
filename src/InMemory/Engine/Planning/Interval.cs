using System.Globalization;
using Mongo.Bson;
using Mongo.InMemory.Engine.Collation;

namespace Mongo.InMemory.Engine.Planning;

/// <summary>
/// An interval of one index field's values, in ascending BSON order (whatever the field's direction): what the
/// server's explain prints as an index bound, e.g. <c>[5, inf.0]</c> or <c>("a", {})</c>.
/// </summary>
internal sealed record Interval(BsonValue Low, bool LowInclusive, BsonValue High, bool HighInclusive)
{
    /// <summary>Every value: <c>[MinKey, MaxKey]</c>.</summary>
    public static readonly Interval All = new(BsonMinKey.Value, true, BsonMaxKey.Value, true);

    public static Interval Point(BsonValue v) => new(v, true, v, true);

    public bool IsPoint(Collator? collator) => LowInclusive && HighInclusive && BsonOrder.Compare(Low, High, collator) == 0;

    public bool Contains(BsonValue? v, Collator? collator)
    {
        var lo = BsonOrder.Compare(v, Low, collator);
        if (lo < 0 || lo == 0 && !LowInclusive) return false;
        var hi = BsonOrder.Compare(v, High, collator);
        return hi < 0 || hi == 0 && HighInclusive;
    }

    /// <summary>The common part of two intervals, or null when they do not overlap.</summary>
    public Interval? Intersect(Interval other, Collator? collator)
    {
        var lo = BsonOrder.Compare(Low, other.Low, collator);
        var (low, lowInc) = lo > 0 ? (Low, LowInclusive) : lo < 0 ? (other.Low, other.LowInclusive) : (Low, LowInclusive && other.LowInclusive);
        var hi = BsonOrder.Compare(High, other.High, collator);
        var (high, highInc) = hi < 0 ? (High, HighInclusive) : hi > 0 ? (other.High, other.HighInclusive) : (High, HighInclusive && other.HighInclusive);
        var c = BsonOrder.Compare(low, high, collator);
        if (c > 0 || c == 0 && !(lowInc && highInc)) return null;
        return new Interval(low, lowInc, high, highInc);
    }

    /// <summary>The bound as the server's explain prints it.</summary>
    public string Format() => (LowInclusive ? "[" : "(") + FormatValue(Low) + ", " + FormatValue(High) + (HighInclusive ? "]" : ")");

    private static string FormatValue(BsonValue v) => v switch
    {
        BsonMinKey => "MinKey",
        BsonMaxKey => "MaxKey",
        BsonDouble d when double.IsPositiveInfinity(d.Value) => "inf.0",
        BsonDouble d when double.IsNegativeInfinity(d.Value) => "-inf.0",
        BsonDouble d when Math.Truncate(d.Value) == d.Value && Math.Abs(d.Value) < 1e15 => d.Value.ToString("0.0", CultureInfo.InvariantCulture),
        BsonDouble d => d.Value.ToString("R", CultureInfo.InvariantCulture),
        BsonInt32 or BsonInt64 => v.ToInt64().ToString(CultureInfo.InvariantCulture),
        BsonString s => "\"" + s.Value + "\"",
        BsonBoolean b => b.Value ? "true" : "false",
        BsonDateTime dt => "new Date(" + dt.MillisecondsSinceEpoch.ToString(CultureInfo.InvariantCulture) + ")",
        BsonObjectId oid => "ObjectId('" + oid.Value + "')",
        BsonRegularExpression re => "/" + re.Pattern + "/" + re.Options,
        _ => Shell.Format(v),
    };

    /// <summary>
    /// The values of <paramref name="v"/>'s type bracket that a range from it may reach (a range predicate only matches
    /// values of its operand's bracket): the bracket's first and last values, or null for brackets the planner does not
    /// bound (documents, arrays, binary data, regular expressions...), whose ranges are left to a scan.
    /// </summary>
    public static (BsonValue First, bool FirstInclusive, BsonValue Last, bool LastInclusive)? Bracket(BsonValue v)
    {
        switch (v.BsonType)
        {
            case BsonType.Int32 or BsonType.Int64 or BsonType.Double or BsonType.Decimal128:
                return (new BsonDouble(double.NegativeInfinity), true, new BsonDouble(double.PositiveInfinity), true);
            case BsonType.String or BsonType.Symbol:
                return (new BsonString(""), true, new BsonDocument(), false);
            case BsonType.DateTime:
                return (new BsonDateTime(long.MinValue), true, new BsonDateTime(long.MaxValue), true);
            case BsonType.ObjectId:
                return (new BsonObjectId(ObjectId.Parse("000000000000000000000000")), true, new BsonObjectId(ObjectId.Parse("ffffffffffffffffffffffff")), true);
            case BsonType.Boolean:
                return (BsonBoolean.False, true, BsonBoolean.True, true);
            default:
                return null;
        }
    }
}
