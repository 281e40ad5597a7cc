using System.Globalization;
using System.Text;
using Mongo.Bson;

namespace Mongo.InMemory.Engine.Collation;

/// <summary>
/// A non-simple collation: orders and equates strings by a locale's rules on .NET's <see cref="CompareInfo"/> (ICU on
/// Linux and macOS). The simple (binary) collation is a null <see cref="Collator"/> everywhere in the engine.
/// </summary>
/// <remarks>
/// ICU's attributes map onto <see cref="CompareOptions"/> only in part, so some settings are approximations:
/// strength 4 and 5 compare as 3; alternate "shifted" ignores symbols and punctuation (maxVariable "space" the same);
/// backwards and normalization have no effect (.NET normalizes canonically equivalent strings anyway).
/// </remarks>
internal sealed partial class Collator
{
    private readonly CompareInfo _compareInfo;
    private readonly CompareOptions _options;
    private readonly bool _upperFirst;
    private readonly bool _numeric;
    private readonly string _key;

    private Collator(BsonDocument spec)
    {
        Spec = spec;
        _key = BsonOrder.Key(spec);
        _compareInfo = CompareInfoFor(spec["locale"].AsString);
        var strength = spec["strength"].AsInt32;
        var caseLevel = spec["caseLevel"].ToBoolean();
        // Width and kana differences are tertiary in ICU, so levels 1 and 2 ignore them as well.
        _options = strength switch
        {
            // IgnoreNonSpace without IgnoreCase is ICU's primary strength with caseLevel on.
            1 => caseLevel ? CompareOptions.IgnoreNonSpace : CompareOptions.IgnoreCase | CompareOptions.IgnoreNonSpace | CompareOptions.IgnoreKanaType | CompareOptions.IgnoreWidth,
            2 => caseLevel ? CompareOptions.None : CompareOptions.IgnoreCase | CompareOptions.IgnoreKanaType | CompareOptions.IgnoreWidth,
            _ => CompareOptions.None,
        };
        if (spec["alternate"].AsString == "shifted") _options |= CompareOptions.IgnoreSymbols;
        _upperFirst = spec["caseFirst"].AsString == "upper" && (_options & CompareOptions.IgnoreCase) == 0;
        _numeric = spec["numericOrdering"].ToBoolean();
#if NET10_0_OR_GREATER
        if (_numeric) _options |= CompareOptions.NumericOrdering;
#endif
    }

    /// <summary>The collation document with every option filled in, as listCollections and listIndexes report it.</summary>
    public BsonDocument Spec { get; }

    /// <summary>Compares two strings under this collation (-1, 0 or 1).</summary>
    public int Compare(string a, string b)
    {
        var c = CompareText(a, b);
        // ICU's caseFirst "upper" puts "A" before "a": where strings differ only by case, the order flips.
        if (c != 0 && _upperFirst && CompareText(a, b, CompareOptions.IgnoreCase) == 0) c = -c;
        return c;
    }

    /// <summary>Appends a key for <paramref name="s"/>: two strings get equal keys exactly when <see cref="Compare"/> says they are equal.</summary>
    public void AppendKey(StringBuilder sb, string s)
    {
#if !NET10_0_OR_GREATER
        if (_numeric)
        {
            AppendNumericKey(sb, s);
            return;
        }
#endif
        AppendSortKey(sb, s);
    }

    private void AppendSortKey(StringBuilder sb, string s)
    {
        var key = _compareInfo.GetSortKey(s, _options).KeyData;
        sb.Append(key.Length.ToString(CultureInfo.InvariantCulture)).Append(':').Append(Convert.ToHexString(key));
    }

    private int CompareText(string a, string b, CompareOptions extra = CompareOptions.None)
    {
#if !NET10_0_OR_GREATER
        if (_numeric) return CompareNumeric(a, b, extra);
#endif
        return Math.Sign(_compareInfo.Compare(a, b, _options | extra));
    }

    /// <summary>MongoDB's "en_US" is .NET's "en-US"; a "@collation=..." variant has no .NET equivalent and is dropped.</summary>
    private static CompareInfo CompareInfoFor(string locale)
    {
        var at = locale.IndexOf('@', StringComparison.Ordinal);
        var name = (at < 0 ? locale : locale[..at]).Replace('_', '-');
        try
        {
            return CultureInfo.GetCultureInfo(name).CompareInfo;
        }
        catch (CultureNotFoundException)
        {
            // e.g. en_US_POSIX: fall back to the language alone.
            var dash = name.IndexOf('-', StringComparison.Ordinal);
            return CultureInfo.GetCultureInfo(dash < 0 ? "" : name[..dash]).CompareInfo;
        }
    }
}
