using System.Text;
using Mongo.Bson;

namespace Mongo.InMemory.Engine.Expressions;

/// <summary>
/// $convert as mongod 8.0 has it: 'to' as a type or {type, subtype}, and 'format' for the binData &lt;-&gt; string
/// conversions (base64, base64url, hex, utf8, uuid, and auto for $toString). Errors follow expression_convert.cpp:
/// what a conversion cannot do is ConversionFailure (241, caught by onError); a bad 'format', 'to' or 'subtype'
/// argument is not, so onError does not hide it.
/// </summary>
internal static partial class ExpressionEvaluator
{
    private static readonly HashSet<string> ConvertArguments = ["input", "to", "format", "onError", "onNull"];

    private static BsonValue? ConvertOp(BsonDocument spec, ExprScope scope)
    {
        const string op = "$convert";
        foreach (var e in spec)
            if (!ConvertArguments.Contains(e.Name)) throw Errors.FailedToParse(op + " found an unknown argument: " + e.Name);
        // Both are required ('input' reported first, as mongod); 'to' is read before the input is looked at.
        var inputExpr = Required(spec, op, "input");
        var to = Evaluate(Required(spec, op, "to"), scope);
        var input = Evaluate(inputExpr, scope);
        var formatValue = spec.TryGetValue("format", out var f) ? Evaluate(f, scope) : null;

        var (target, subtype) = ParseConvertTarget(to);
        if (IsNullish(input))
            return spec.TryGetValue("onNull", out var onNull) ? Evaluate(onNull, scope) : BsonNull.Value;
        if (target is null) return BsonNull.Value;
        var format = ParseBinDataFormat(formatValue);
        try
        {
            return ConvertTo(input!, target, subtype, format);
        }
        catch (Commands.CommandException e) when (e.Code == Commands.ErrorCodes.ConversionFailure && spec.Contains("onError"))
        {
            return Evaluate(spec["onError"], scope);
        }
    }

    /// <summary>'to' as a type name or number, or {type, subtype}; a null type means the result is null.</summary>
    private static (string? Target, BsonValue Subtype) ParseConvertTarget(BsonValue? to)
    {
        BsonValue subtype = new BsonInt32(0);
        if (to is BsonDocument d)
        {
            to = d.TryGetValue("type", out var t) ? t : null;
            if (d.TryGetValue("subtype", out var st)) subtype = st;
        }
        if (IsNullish(to)) return (null, subtype);
        if (to is BsonString ts)
        {
            if (FilterTypeCode(ts.Value) is null) throw Errors.BadValue("Unknown type name: " + ts.Value);
            return (ts.Value, subtype);
        }
        if (to!.IsNumeric)
        {
            var d2 = to.ToDouble();
            if (Math.Truncate(d2) != d2) throw Errors.FailedToParse("In $convert, numeric 'to' argument is not an integer");
            var code = (int)d2;
            if (!(code is -1 or 127 || code >= 1 && code <= 19))
                throw Errors.FailedToParse("In $convert, numeric value for 'to' does not correspond to a BSON type: " + code);
            return (BsonOrder.TypeName((BsonType)code), subtype);
        }
        throw Errors.Location(4997700, "$convert's 'to' argument must be a string or number, but is " + BsonOrder.TypeName(to));
    }

    private static int? FilterTypeCode(string name) => Query.FilterParser.TypeCodeFromAlias(name);

    private static string? ParseBinDataFormat(BsonValue? format)
    {
        if (IsNullish(format)) return null;
        if (format is not BsonString s)
            throw Errors.Location(4341114, "$convert requires that 'format' be a string, found: " + BsonOrder.TypeName(format) + " with value " + Shell.Format(format));
        if (s.Value is not ("auto" or "base64" or "base64url" or "hex" or "utf8" or "uuid"))
            throw Errors.Location(4341125, "Invalid 'format' argument for $convert: " + s.Value);
        return s.Value;
    }

    /// <summary>One conversion; binData sources and targets here, everything else by the classic table.</summary>
    private static BsonValue? ConvertTo(BsonValue input, string target, BsonValue subtype, string? format)
    {
        if (target == "binData")
        {
            switch (input)
            {
                case BsonString s:
                    return StringToBinData(s.Value, RequireFormat(format, input, target), BinDataSubtype(subtype));
                case BsonBinaryData b:
                    if (b.SubType != BinDataSubtype(subtype))
                        throw Errors.ConversionFailure("Conversions between different BinData subtypes are not supported");
                    return b;
                default:
                    throw Unsupported(input, target);
            }
        }
        if (input is BsonBinaryData bin && target == "string") return BinDataToString(bin, RequireFormat(format, input, target));
        return Convert(input, target);
    }

    private static string RequireFormat(string? format, BsonValue input, string target) =>
        format ?? throw Errors.Location(4341115, "Format must be speficied when converting from '" + BsonOrder.TypeName(input) + "' to '" + target + "'");

    private static BsonBinarySubType BinDataSubtype(BsonValue subtype)
    {
        if (!subtype.IsNumeric)
            throw Errors.Location(4341108, "For BinData, $convert's 'subtype' argument must be a number, but is " + BsonOrder.TypeName(subtype));
        var d = subtype.ToDouble();
        if (Math.Truncate(d) != d) throw Errors.Location(4341106, "In $convert, numeric 'subtype' argument is not an integer");
        var code = (int)d;
        if (!(code >= 0 && code <= 8 || code >= 128 && code <= 255))
            throw Errors.Location(4341107, "In $convert, numeric value for 'subtype' does not correspond to a BinData type: " + code);
        return (BsonBinarySubType)code;
    }

    private static BsonBinaryData StringToBinData(string input, string format, BsonBinarySubType subtype)
    {
        try
        {
            if ((format == "uuid") != (subtype == BsonBinarySubType.UuidStandard))
                throw Errors.Location(4341116, "Only the 'uuid' format is allowed with the UUID subtype");
            switch (format)
            {
                case "base64":
                    return new BsonBinaryData(DecodeBase64(input, url: false), subtype);
                case "base64url":
                    return new BsonBinaryData(DecodeBase64(input, url: true), subtype);
                case "hex":
                    if (input.Length % 2 != 0) throw Errors.FailedToParse("Hex blob with odd digit count");
                    try { return new BsonBinaryData(System.Convert.FromHexString(input), subtype); }
                    catch (FormatException) { throw Errors.FailedToParse("Invalid hex character in hex blob"); }
                case "utf8":
                    return new BsonBinaryData(Encoding.UTF8.GetBytes(input), subtype);
                case "uuid":
                    return new BsonBinaryData(ParseUuid(input), BsonBinarySubType.UuidStandard);
                default:
                    throw Errors.Location(4341117, "Invalid format '" + format + "'");
            }
        }
        catch (Commands.CommandException e)
        {
            throw Errors.ConversionFailure("Failed to parse BinData '" + input + "' in $convert with no onError value: " + e.Message);
        }
    }

    private static string BinDataToString(BsonBinaryData bin, string format)
    {
        var bytes = bin.Bytes;
        var isUuid = bin.SubType == BsonBinarySubType.UuidStandard && bytes.Length == 16;
        try
        {
            switch (format)
            {
                case "auto":
                    return isUuid ? FormatUuid(bytes) : System.Convert.ToBase64String(bytes);
                case "base64":
                    return System.Convert.ToBase64String(bytes);
                case "base64url":
                    return System.Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
                case "hex":
                    return System.Convert.ToHexString(bytes);
                case "utf8":
                    try { return new UTF8Encoding(false, true).GetString(bytes); }
                    catch (DecoderFallbackException) { throw Errors.Location(4341122, "BinData does not represent a valid UTF-8 string"); }
                default:
                    if (!isUuid) throw Errors.Location(4341121, "BinData does not represent a valid UUID");
                    return FormatUuid(bytes);
            }
        }
        catch (Commands.CommandException e)
        {
            throw Errors.ConversionFailure("Failed to convert '" + Shell.Format(bin) + "' to string in $convert with no onError value: " + e.Message);
        }
    }

    private static byte[] DecodeBase64(string input, bool url)
    {
        var s = url ? input.Replace('-', '+').Replace('_', '/') : input;
        if (url && s.Length % 4 != 0) s = s.PadRight(s.Length + 4 - s.Length % 4, '=');
        try
        {
            return System.Convert.FromBase64String(s);
        }
        catch (FormatException)
        {
            throw Errors.FailedToParse(url ? "Invalid base64url encoding" : "Invalid base64 encoding");
        }
    }

    /// <summary>The canonical 36-character form (8-4-4-4-12 hex digits), as mongod's UUID::parse accepts.</summary>
    private static byte[] ParseUuid(string s)
    {
        var ok = s.Length == 36;
        for (var i = 0; ok && i < 36; i++)
            ok = i is 8 or 13 or 18 or 23 ? s[i] == '-' : Uri.IsHexDigit(s[i]);
        if (!ok) throw Errors.BadValue("Invalid UUID string: " + s);
        return System.Convert.FromHexString(s.Replace("-", "", StringComparison.Ordinal));
    }

    private static string FormatUuid(byte[] b)
    {
        var hex = System.Convert.ToHexString(b).ToLowerInvariant();
        return hex[..8] + "-" + hex[8..12] + "-" + hex[12..16] + "-" + hex[16..20] + "-" + hex[20..];
    }

    /// <summary>$toUUID: a UUID string to a binData of subtype 4 ($convert with format 'uuid').</summary>
    private static BsonValue? ToUuid(BsonValue? v)
    {
        if (IsNullish(v)) return BsonNull.Value;
        return ConvertTo(v!, "binData", new BsonInt32(4), "uuid");
    }
}
