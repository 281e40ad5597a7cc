using System.Collections.Concurrent;
using Mongo.Bson;

namespace Mongo.InMemory.Engine.Collation;

/// <summary>Parsing and validating a collation document the way mongod's CollatorFactoryICU does.</summary>
internal sealed partial class Collator
{
    /// <summary>The ICU version mongod 8.0 is built with; it reports it as the collation "version".</summary>
    private const string IcuVersion = "57.1";

    // Locales the server's collation feature documents (collation-locales-defaults); each may take "@collation=variant".
    private static readonly HashSet<string> Locales = new(StringComparer.Ordinal)
    {
        "af", "sq", "am", "ar", "hy", "as", "az", "bn", "be", "bs", "bs_Cyrl", "bg", "my", "ca", "chr", "zh", "zh_Hant", "hr",
        "cs", "da", "nl", "dz", "en", "en_US", "en_US_POSIX", "eo", "et", "ee", "fo", "fil", "fi", "fi_FI", "fr", "fr_CA", "gl",
        "ka", "de", "de_AT", "el", "gu", "ha", "haw", "he", "hi", "hu", "is", "ig", "smn", "id", "ga", "it", "ja", "kl", "kn",
        "kk", "km", "kok", "ko", "ky", "lkt", "lo", "lv", "ln", "lt", "dsb", "lb", "mk", "ms", "ml", "mt", "mr", "mn", "ne", "se",
        "nb", "nn", "or", "om", "ps", "fa", "fa_AF", "pl", "pt", "pa", "ro", "ru", "sr", "sr_Latn", "si", "sk", "sl", "es",
        "sw", "sv", "ta", "te", "th", "bo", "to", "tr", "uk", "hsb", "ur", "ug", "vi", "wae", "cy", "yi", "yo", "zu",
    };

    // Building a collator resolves a CompareInfo and checks the spec; commands repeat the same few specs.
    private static readonly ConcurrentDictionary<string, Collator> Cache = new(StringComparer.Ordinal);

    /// <summary>
    /// Parses a collation document: null for the simple (binary) collation, otherwise a collator whose
    /// <see cref="Spec"/> is the fully-defaulted document mongod reports back. Errors carry mongod's codes and messages.
    /// </summary>
    public static Collator? Parse(BsonValue value)
    {
        if (value is not BsonDocument d)
            throw Errors.TypeMismatch("BSON field 'collation' is the wrong type '" + BsonOrder.TypeName(value) + "', expected type 'object'");
        string? locale = null;
        bool? caseLevel = null, numericOrdering = null, normalization = null, backwards = null;
        string? caseFirst = null, alternate = null, maxVariable = null, version = null;
        int? strength = null;
        foreach (var (name, v) in d)
        {
            switch (name)
            {
                case "locale": locale = AsString(name, v); break;
                case "caseLevel": caseLevel = AsBool(name, v); break;
                case "caseFirst": caseFirst = Enum(name, AsString(name, v), "upper", "lower", "off"); break;
                case "strength": strength = Strength(v); break;
                case "numericOrdering": numericOrdering = AsBool(name, v); break;
                case "alternate": alternate = Enum(name, AsString(name, v), "non-ignorable", "shifted"); break;
                case "maxVariable": maxVariable = Enum(name, AsString(name, v), "punct", "space"); break;
                case "normalization": normalization = AsBool(name, v); break;
                case "backwards": backwards = v.BsonType == BsonType.Null ? null : AsBool(name, v); break;
                case "version": version = AsString(name, v); break;
                default: throw Errors.Location(40415, "BSON field 'collation." + name + "' is an unknown field.");
            }
        }
        if (locale is null) throw Errors.Location(40414, "BSON field 'collation.locale' is missing but a required field");
        if (locale.Contains('\0', StringComparison.Ordinal))
            throw Errors.BadValue("Field 'locale' cannot contain null byte. Collation spec: " + Shell.Format(d));
        if (locale == "simple") return null;
        if (locale.Length == 0) throw Errors.BadValue("Field 'locale' cannot be the empty string in: " + Shell.Format(d));
        if (!IsKnownLocale(locale)) throw Errors.BadValue("Field 'locale' is invalid in: " + Shell.Format(d));

        // Locale defaults: only fr_CA differs from ICU's root settings among the supported locales (backwards secondary).
        var spec = new BsonDocument
        {
            { "locale", locale },
            { "caseLevel", caseLevel ?? false },
            { "caseFirst", caseFirst ?? "off" },
            { "strength", strength ?? 3 },
            { "numericOrdering", numericOrdering ?? false },
            { "alternate", alternate ?? "non-ignorable" },
            { "maxVariable", maxVariable ?? "punct" },
            { "normalization", normalization ?? false },
            { "backwards", backwards ?? locale.StartsWith("fr_CA", StringComparison.Ordinal) },
            { "version", IcuVersion },
        };
        if (version is not null && version != IcuVersion)
            throw new Commands.CommandException(248, "IncompatibleCollationVersion",
                "Requested collation version " + version + " but the only available collator version was " + IcuVersion + ". Requested collation spec: " + Shell.Format(d));
        if (backwards == true && spec["strength"].AsInt32 == 1)
            throw Errors.BadValue("'backwards' is invalid with 'strength' of 1 in: " + Shell.Format(d));
        if (spec["caseFirst"].AsString != "off" && !spec["caseLevel"].ToBoolean() && spec["strength"].AsInt32 <= 2)
            throw Errors.BadValue("'caseFirst' is invalid unless 'caseLevel' is on or 'strength' is greater than 2 in: " + Shell.Format(d));
        var key = BsonOrder.Key(spec);
        if (Cache.TryGetValue(key, out var cached)) return cached;
        var collator = new Collator(spec);
        if (Cache.Count < 1000) Cache.TryAdd(key, collator); // bounded: clients choose the specs
        return collator;
    }

    /// <summary>
    /// The collation an operation runs with: its own <c>collation</c> field when present ({locale: "simple"} included,
    /// which overrides a collection default), else the collection's default, else simple (null).
    /// </summary>
    public static Collator? Resolve(BsonDocument operation, CollectionData? collection) =>
        operation.TryGetValue("collation", out var c) ? Parse(c) : collection?.DefaultCollator;

    /// <summary>Whether two collations (null = simple) order strings identically.</summary>
    public static bool Same(Collator? a, Collator? b) => ReferenceEquals(a, b) || a is not null && b is not null && a._key == b._key;

    private static bool IsKnownLocale(string locale)
    {
        var at = locale.IndexOf('@', StringComparison.Ordinal);
        if (at < 0) return Locales.Contains(locale);
        const string Keyword = "collation=";
        var variant = locale.AsSpan(at + 1);
        return Locales.Contains(locale[..at]) && variant.StartsWith(Keyword, StringComparison.Ordinal) && variant.Length > Keyword.Length;
    }

    private static string AsString(string name, BsonValue v) =>
        v is BsonString s ? s.Value : throw WrongType(name, v, "string");

    private static bool AsBool(string name, BsonValue v) =>
        v is BsonBoolean b ? b.Value : throw WrongType(name, v, "bool");

    private static string Enum(string name, string value, params string[] allowed) =>
        Array.IndexOf(allowed, value) >= 0 ? value
            : throw Errors.BadValue("Enumeration value '" + value + "' for field 'collation." + name + "' is not a valid value.");

    private static int Strength(BsonValue v)
    {
        // As mongod: any number is accepted for backwards compatibility, then it must name one of the five levels.
        if (!v.IsNumeric) throw Errors.TypeMismatch("BSON field 'collation.strength' is the wrong type '" + BsonOrder.TypeName(v) + "', expected types '[long, int, decimal, double]'");
        var d = v.ToDouble();
        var n = double.IsNaN(d) ? 0 : (long)Math.Clamp(Math.Truncate(d), int.MinValue, int.MaxValue);
        if (n is < 1 or > 5)
            throw Errors.BadValue("Enumeration value '" + n + "' for field 'collation.strength' is not a valid value.");
        return (int)n;
    }

    private static Commands.CommandException WrongType(string name, BsonValue v, string expected) =>
        Errors.TypeMismatch("BSON field 'collation." + name + "' is the wrong type '" + BsonOrder.TypeName(v) + "', expected type '" + expected + "'");
}
