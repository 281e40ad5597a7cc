using System.Text.RegularExpressions;
using Mongo.Bson;
using Mongo.InMemory.Engine.Collation;

namespace Mongo.InMemory.Engine.Query;

/// <summary>A test on one value (a C# null is a missing value).</summary>
internal abstract class Predicate
{
    /// <summary>Whether the predicate is also tried against each element of an array value.</summary>
    public virtual bool ExpandArrays => true;

    public abstract bool Test(BsonValue? value);
}

internal sealed class EqPredicate(BsonValue value, Collator? collator = null) : Predicate
{
    public BsonValue Value => value;

    public override bool Test(BsonValue? v)
    {
        if (value.BsonType == BsonType.Null) return v is null || v.BsonType == BsonType.Null;
        if (v is null) return false;
        return BsonOrder.Compare(v, value, collator) == 0;
    }
}

internal enum CompareOp
{
    Gt,
    Gte,
    Lt,
    Lte,
}

internal sealed class ComparePredicate(CompareOp op, BsonValue operand, Collator? collator = null) : Predicate
{
    public CompareOp Op => op;

    public BsonValue Operand => operand;

    public override bool Test(BsonValue? v)
    {
        if (operand.BsonType == BsonType.Null)
            return op is CompareOp.Gte or CompareOp.Lte && BsonOrder.IsMissingOrNull(v);
        if (v is null) return false;
        var cross = operand.BsonType is BsonType.MinKey or BsonType.MaxKey;
        if (!cross && BsonOrder.Bracket(v) != BsonOrder.Bracket(operand)) return false;
        if (operand.BsonType == BsonType.Double && double.IsNaN(operand.AsDouble))
            return op is CompareOp.Gte or CompareOp.Lte && v.BsonType == BsonType.Double && double.IsNaN(v.AsDouble);
        if (v.BsonType == BsonType.Double && double.IsNaN(v.AsDouble)) return false;
        var c = BsonOrder.Compare(v, operand, collator);
        return op switch
        {
            CompareOp.Gt => c > 0,
            CompareOp.Gte => c >= 0,
            CompareOp.Lt => c < 0,
            _ => c <= 0,
        };
    }
}

internal sealed class InPredicate : Predicate
{
    private readonly List<BsonValue> _values = [];
    private readonly List<Regex> _regexes = [];
    private readonly HashSet<string> _keys = [];
    private readonly bool _hasNull;
    private readonly Collator? _collator;

    public InPredicate(BsonArray values, Collator? collator = null)
    {
        _collator = collator;
        foreach (var v in values)
        {
            if (v is BsonRegularExpression re) _regexes.Add(RegexCache.Get(re.Pattern, re.Options));
            else
            {
                if (v is BsonDocument d && d.ElementCount > 0 && d.GetElement(0).Name.StartsWith('$') && !FilterParser.IsDbRefField(d.GetElement(0).Name))
                    throw Errors.BadValue("cannot nest $ under $in");
                _values.Add(v);
                _keys.Add(BsonOrder.Key(v, collator));
                if (v.BsonType == BsonType.Null) _hasNull = true;
            }
        }
    }

    /// <summary>The listed values other than regular expressions.</summary>
    public IReadOnlyList<BsonValue> Values => _values;

    public bool HasRegexes => _regexes.Count > 0;

    public override bool Test(BsonValue? v)
    {
        if (v is null || v.BsonType == BsonType.Null) return _hasNull;
        if (v.BsonType == BsonType.Undefined) return false;
        if (_keys.Contains(BsonOrder.Key(v, _collator))) return true;
        if (_regexes.Count > 0 && v.BsonType is BsonType.String or BsonType.Symbol)
        {
            var s = BsonOrder.StringOf(v);
            foreach (var r in _regexes)
                if (r.IsMatch(s)) return true;
        }
        return false;
    }
}

internal sealed class RegexPredicate(string pattern, string options) : Predicate
{
    private readonly Regex _regex = RegexCache.Get(pattern, options);

    /// <summary>The pattern as written (the planner reads a literal prefix from it).</summary>
    public string Pattern => pattern;

    /// <summary>The options as written.</summary>
    public string Options => options;

    public override bool Test(BsonValue? v) => v switch
    {
        BsonString s => _regex.IsMatch(s.Value),
        BsonSymbol sym => _regex.IsMatch(sym.Name),
        BsonRegularExpression re => re.Pattern == pattern && re.Options == options,
        _ => false,
    };
}

internal sealed class ExistsPredicate : Predicate
{
    public static readonly ExistsPredicate Instance = new();

    public override bool ExpandArrays => false;

    public override bool Test(BsonValue? v) => v is not null;
}

internal sealed class TypePredicate(List<int> codes, bool number) : Predicate
{
    public override bool Test(BsonValue? v)
    {
        if (v is null) return false;
        if (number && v.IsNumeric) return true;
        var code = v.BsonType switch
        {
            BsonType.MinKey => -1,
            BsonType.MaxKey => 127,
            _ => (int)v.BsonType,
        };
        return codes.Contains(code);
    }
}

internal sealed class SizePredicate(long size) : Predicate
{
    public override bool ExpandArrays => false;

    public override bool Test(BsonValue? v) => v is BsonArray a && a.Count == size;
}

internal sealed class ModPredicate(long divisor, long remainder) : Predicate
{
    public override bool Test(BsonValue? v)
    {
        if (v is null || !v.IsNumeric) return false;
        long n;
        if (v.BsonType is BsonType.Int32 or BsonType.Int64) n = v.ToInt64();
        else
        {
            var d = v.ToDouble();
            if (double.IsNaN(d) || double.IsInfinity(d)) return false;
            d = Math.Truncate(d);
            if (d >= 9.2233720368547758E18 || d < -9.2233720368547758E18) return false;
            n = (long)d;
        }
        return divisor == -1 ? remainder == 0 : n % divisor == remainder;
    }
}

internal sealed class ElemMatchPredicate(Filter sub, bool valueForm) : Predicate
{
    public override bool ExpandArrays => false;

    public override bool Test(BsonValue? v) => v is BsonArray a && Find(a, out _);

    public bool Find(BsonArray array, out int index)
    {
        for (var k = 0; k < array.Count; k++)
        {
            var e = array[k];
            if (valueForm ? sub.Matches(e) : e is BsonDocument or BsonArray && sub.Matches(e))
            {
                index = k;
                return true;
            }
        }
        index = -1;
        return false;
    }
}

/// <summary>Compiles and caches regular expressions with MongoDB's option letters.</summary>
internal static class RegexCache
{
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<(string, string), Regex> Cache = new();

    public static Regex Get(string pattern, string options)
    {
        if (Cache.TryGetValue((pattern, options), out var r)) return r;
        var o = RegexOptions.CultureInvariant;
        foreach (var c in options)
        {
            o |= c switch
            {
                'i' => RegexOptions.IgnoreCase,
                'm' => RegexOptions.Multiline,
                's' => RegexOptions.Singleline,
                'x' => RegexOptions.IgnorePatternWhitespace,
                'u' or 'l' => RegexOptions.None,
                _ => throw Errors.Location(51108, "invalid flag in regex options: " + c),
            };
        }
        try
        {
            r = new Regex(pattern, o, TimeSpan.FromSeconds(5));
        }
        catch (ArgumentException e)
        {
            throw Errors.Location(51091, "Regular expression is invalid: " + e.Message);
        }
        if (Cache.Count < 10_000) Cache.TryAdd((pattern, options), r);
        return r;
    }
}
