using System.Globalization;
using System.Text;
using Mongo.Bson;
using Mongo.InMemory.Engine.Collation;

namespace Mongo.InMemory.Engine;

/// <summary>
/// MongoDB's total order over BSON values (the server's canonical type brackets, then values within a bracket).
/// A C# <c>null</c> stands for a missing value and sorts with BSON null. A collator (null: simple, binary) orders
/// strings and symbols, including those inside documents and arrays; every other type keeps the BSON order.
/// </summary>
internal static class BsonOrder
{
    /// <summary>The server's canonicalizeBSONType: values of different brackets never compare equal.</summary>
    /// <remarks>Missing values sort as null; the ranks themselves are the DOM's <see cref="BsonValue.CanonicalRank"/>.</remarks>
    public static int Bracket(BsonValue? v) => v is null ? 5 : BsonValue.CanonicalRank(v.BsonType);

    public static bool IsMissingOrNull(BsonValue? v) => v is null || v.BsonType == BsonType.Null;

    public static bool Equal(BsonValue? a, BsonValue? b, Collator? collator = null) => Compare(a, b, collator) == 0;

    /// <summary>The simple (binary) order; a method group for sorting.</summary>
    public static int Compare(BsonValue? a, BsonValue? b) => Compare(a, b, null);

    public static int Compare(BsonValue? a, BsonValue? b, Collator? collator)
    {
        var ba = Bracket(a);
        var bb = Bracket(b);
        if (ba != bb) return ba < bb ? -1 : 1;
        if (a is null || b is null) return 0; // null vs missing: same bracket, equal
        switch (ba)
        {
            case 10: return CompareNumbers(a, b);
            case 15: return collator is null ? CompareStrings(StringOf(a), StringOf(b)) : collator.Compare(StringOf(a), StringOf(b));
            case 20: return CompareDocuments((BsonDocument)a, (BsonDocument)b, collator);
            case 25: return CompareArrays((BsonArray)a, (BsonArray)b, collator);
            case 30:
                {
                    var x = (BsonBinaryData)a; var y = (BsonBinaryData)b;
                    if (x.Bytes.Length != y.Bytes.Length) return x.Bytes.Length < y.Bytes.Length ? -1 : 1;
                    if (x.SubType != y.SubType) return x.SubType < y.SubType ? -1 : 1;
                    return Sign(x.Bytes.AsSpan().SequenceCompareTo(y.Bytes));
                }
            case 35: return Sign(((BsonObjectId)a).Value.CompareTo(((BsonObjectId)b).Value));
            case 40: return ((BsonBoolean)a).Value.CompareTo(((BsonBoolean)b).Value);
            case 45: return ((BsonDateTime)a).MillisecondsSinceEpoch.CompareTo(((BsonDateTime)b).MillisecondsSinceEpoch);
            case 47: return ((BsonTimestamp)a).Value.CompareTo(((BsonTimestamp)b).Value);
            case 50:
                {
                    var x = (BsonRegularExpression)a; var y = (BsonRegularExpression)b;
                    var c = CompareStrings(x.Pattern, y.Pattern);
                    return c != 0 ? c : CompareStrings(x.Options, y.Options);
                }
            case 55:
                {
                    var x = (BsonDBPointer)a; var y = (BsonDBPointer)b;
                    if (x.Namespace.Length != y.Namespace.Length) return x.Namespace.Length < y.Namespace.Length ? -1 : 1;
                    var c = CompareStrings(x.Namespace, y.Namespace);
                    return c != 0 ? c : Sign(x.Id.CompareTo(y.Id));
                }
            case 60: return CompareStrings(((BsonJavaScript)a).Code, ((BsonJavaScript)b).Code);
            case 65:
                {
                    var x = (BsonJavaScriptWithScope)a; var y = (BsonJavaScriptWithScope)b;
                    var c = CompareStrings(x.Code, y.Code);
                    return c != 0 ? c : CompareDocuments(x.Scope, y.Scope);
                }
            default: return 0;
        }
    }

    private static int Sign(int c) => c < 0 ? -1 : c > 0 ? 1 : 0;

    public static string StringOf(BsonValue v) => v switch
    {
        BsonString s => s.Value,
        BsonSymbol sym => sym.Name,
        _ => throw new InvalidCastException(),
    };

    /// <summary>Ordinal comparison by code point (the same order as comparing UTF-8 bytes).</summary>
    public static int CompareStrings(string a, string b)
    {
        var n = Math.Min(a.Length, b.Length);
        for (var i = 0; i < n; i++)
        {
            var x = a[i]; var y = b[i];
            if (x == y) continue;
            // Surrogates encode code points above U+FFFF, which sort after every BMP character in UTF-8.
            var xs = char.IsSurrogate(x); var ys = char.IsSurrogate(y);
            if (xs != ys) return xs ? 1 : -1;
            return x < y ? -1 : 1;
        }
        return a.Length == b.Length ? 0 : a.Length < b.Length ? -1 : 1;
    }

    public static int CompareDocuments(BsonDocument a, BsonDocument b, Collator? collator = null)
    {
        var n = Math.Min(a.ElementCount, b.ElementCount);
        for (var i = 0; i < n; i++)
        {
            var x = a.GetElement(i); var y = b.GetElement(i);
            var bx = Bracket(x.Value); var by = Bracket(y.Value);
            if (bx != by) return bx < by ? -1 : 1;
            var c = CompareStrings(x.Name, y.Name);
            if (c != 0) return c;
            c = Compare(x.Value, y.Value, collator);
            if (c != 0) return c;
        }
        return a.ElementCount == b.ElementCount ? 0 : a.ElementCount < b.ElementCount ? -1 : 1;
    }

    public static int CompareArrays(BsonArray a, BsonArray b, Collator? collator = null)
    {
        var n = Math.Min(a.Count, b.Count);
        for (var i = 0; i < n; i++)
        {
            var c = Compare(a[i], b[i], collator);
            if (c != 0) return c;
        }
        return a.Count == b.Count ? 0 : a.Count < b.Count ? -1 : 1;
    }

    /// <summary>
    /// Numeric comparison across int32/int64/double/decimal128 (Mongo.Bson's exact order: a decimal against a
    /// double compares with the double's binary value, as mongod does); NaN sorts below every other number.
    /// </summary>
    public static int CompareNumbers(BsonValue a, BsonValue b) => BsonValue.CompareNumbers(a, b);

    /// <summary>
    /// A string key such that two values have equal keys exactly when <see cref="Compare(BsonValue?, BsonValue?, Collator?)"/> says they are equal
    /// (used for hashing: unique indexes, $group, $addToSet, distinct).
    /// </summary>
    public static string Key(BsonValue? v, Collator? collator = null)
    {
        var sb = new StringBuilder();
        AppendKey(sb, v, collator);
        return sb.ToString();
    }

    public static void AppendKey(StringBuilder sb, BsonValue? v, Collator? collator = null)
    {
        if (v is null) { sb.Append('N'); return; }
        switch (v.BsonType)
        {
            case BsonType.Null: sb.Append('N'); return;
            case BsonType.Undefined: sb.Append('U'); return;
            case BsonType.MinKey: sb.Append('<'); return;
            case BsonType.MaxKey: sb.Append('>'); return;
            case BsonType.Int32:
            case BsonType.Int64:
                sb.Append('n').Append(v.ToInt64().ToString(CultureInfo.InvariantCulture)).Append(';'); return;
            case BsonType.Double:
                {
                    var d = ((BsonDouble)v).Value;
                    if (double.IsNaN(d)) sb.Append("nNaN;");
                    else if (Math.Truncate(d) == d && d >= -9.2233720368547758E18 && d < 9.2233720368547758E18)
                        sb.Append('n').Append(((long)d).ToString(CultureInfo.InvariantCulture)).Append(';');
                    else sb.Append('n').Append(Decimal128.FromDoubleExact(d).ToCanonicalKey()).Append(';');
                    return;
                }
            case BsonType.Decimal128:
                {
                    // Same keys as the doubles and integers it compares equal to (and only those).
                    var m = ((BsonDecimal128)v).Value;
                    if (m.TryGetExactInt64(out var whole)) sb.Append('n').Append(whole.ToString(CultureInfo.InvariantCulture)).Append(';');
                    else sb.Append('n').Append(m.ToCanonicalKey()).Append(';');
                    return;
                }
            case BsonType.String:
            case BsonType.Symbol:
                if (collator is null) AppendString(sb, 's', StringOf(v));
                else collator.AppendKey(sb.Append('c'), StringOf(v));
                return;
            case BsonType.Document:
                sb.Append('{');
                foreach (var e in (BsonDocument)v)
                {
                    AppendString(sb, 'f', e.Name);
                    AppendKey(sb, e.Value, collator);
                }
                sb.Append('}');
                return;
            case BsonType.Array:
                sb.Append('[');
                foreach (var e in (BsonArray)v) AppendKey(sb, e, collator);
                sb.Append(']');
                return;
            case BsonType.Binary:
                {
                    var b = (BsonBinaryData)v;
                    sb.Append('b').Append((int)b.SubType).Append(':').Append(Convert.ToBase64String(b.Bytes)).Append(';');
                    return;
                }
            case BsonType.ObjectId: sb.Append('o').Append(((BsonObjectId)v).Value.ToString()); return;
            case BsonType.Boolean: sb.Append(((BsonBoolean)v).Value ? 'T' : 'F'); return;
            case BsonType.DateTime: sb.Append('d').Append(((BsonDateTime)v).MillisecondsSinceEpoch.ToString(CultureInfo.InvariantCulture)).Append(';'); return;
            case BsonType.Timestamp: sb.Append('t').Append(((BsonTimestamp)v).Value.ToString(CultureInfo.InvariantCulture)).Append(';'); return;
            case BsonType.RegularExpression:
                {
                    var r = (BsonRegularExpression)v;
                    AppendString(sb, 'r', r.Pattern);
                    AppendString(sb, 'r', r.Options);
                    return;
                }
            case BsonType.JavaScript: AppendString(sb, 'j', ((BsonJavaScript)v).Code); return;
            case BsonType.JavaScriptWithScope:
                {
                    var j = (BsonJavaScriptWithScope)v;
                    AppendString(sb, 'J', j.Code);
                    AppendKey(sb, j.Scope);
                    return;
                }
            case BsonType.DBPointer:
                {
                    var p = (BsonDBPointer)v;
                    AppendString(sb, 'p', p.Namespace);
                    sb.Append(p.Id.ToString());
                    return;
                }
            default: sb.Append('?'); return;
        }
    }

    private static void AppendString(StringBuilder sb, char tag, string s) =>
        sb.Append(tag).Append(s.Length.ToString(CultureInfo.InvariantCulture)).Append(':').Append(s);

    /// <summary>The server's $type name for a value ("missing" for an absent one).</summary>
    public static string TypeName(BsonValue? v) => v is null ? "missing" : TypeName(v.BsonType);

    public static string TypeName(BsonType t) => t switch
    {
        BsonType.Double => "double",
        BsonType.String => "string",
        BsonType.Document => "object",
        BsonType.Array => "array",
        BsonType.Binary => "binData",
        BsonType.Undefined => "undefined",
        BsonType.ObjectId => "objectId",
        BsonType.Boolean => "bool",
        BsonType.DateTime => "date",
        BsonType.Null => "null",
        BsonType.RegularExpression => "regex",
        BsonType.DBPointer => "dbPointer",
        BsonType.JavaScript => "javascript",
        BsonType.Symbol => "symbol",
        BsonType.JavaScriptWithScope => "javascriptWithScope",
        BsonType.Int32 => "int",
        BsonType.Timestamp => "timestamp",
        BsonType.Int64 => "long",
        BsonType.Decimal128 => "decimal",
        BsonType.MinKey => "minKey",
        BsonType.MaxKey => "maxKey",
        _ => "unknown",
    };
}
