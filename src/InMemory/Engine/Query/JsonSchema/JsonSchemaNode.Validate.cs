using Mongo.Bson;

namespace Mongo.InMemory.Engine.Query.JsonSchema;

/// <summary>
/// Matching and mongod's errInfo rules in one pass: with <c>errors</c> null it only answers whether the value matches
/// (stopping at the first failure); with a list it also records every failing rule as mongod 5.0+ reports it
/// (doc_validation_error.cpp), in mongod's order: scalar, array, encryption, object, logical keywords, then the type.
/// </summary>
internal sealed partial class JsonSchemaNode
{
    private static readonly BsonArray NumberTypes = ["decimal", "double", "int", "long"];
    private static readonly BsonArray PatternTypes = ["regex", "string", "symbol"];

    public bool Matches(BsonValue? value, bool topLevel) => Validate(value, topLevel, null);

    /// <summary>Whether the top-level schema can match a document at all (a type without "object" matches nothing).</summary>
    public bool CanMatchDocuments => _type is null || _type.Includes(BsonType.Document);

    /// <summary>Checks <paramref name="value"/> (null: missing); failing rules are appended to <paramref name="errors"/> when given.</summary>
    public bool Validate(BsonValue? value, bool topLevel, List<BsonDocument>? errors)
    {
        if (topLevel && !CanMatchDocuments) return false;
        var ok = true;
        // At the top level only objects are stored, so the string, number and array keywords never apply there.
        if (!topLevel)
        {
            ok &= ValidateScalars(value, errors);
            if (!ok && errors is null) return false;
            ok &= ValidateArray(value, errors);
            if (!ok && errors is null) return false;
            ok &= ValidateEncrypt(value, errors);
            if (!ok && errors is null) return false;
        }
        ok &= ValidateObject(value, errors);
        if (!ok && errors is null) return false;
        ok &= ValidateLogical(value, topLevel, errors);
        if (!ok && errors is null) return false;
        if (!topLevel && _type is not null && !_type.Matches(value))
        {
            ok = false;
            if (errors is not null && value is not null)
                errors.Add(Rule(_typeKeyword!).Add("reason", "type did not match").Add("consideredValue", value).Add("consideredType", BsonOrder.TypeName(value)));
        }
        return ok;
    }

    /// <summary>
    /// Whether a keyword constraining <paramref name="kind"/> applies to the value. mongod applies it unguarded when the
    /// schema states exactly that type (a value of another type then fails the keyword too: <paramref name="mismatch"/>),
    /// never when the schema states exactly another type, and otherwise only to values of that kind.
    /// </summary>
    private bool Applies(TypeKind kind, BsonValue? value, out bool mismatch)
    {
        mismatch = false;
        var valueKind = JsonSchemaTypeSet.KindOf(value);
        if (_type is not null && _type.IsSingleType)
        {
            if (!_type.IsOnly(kind)) return false;
            mismatch = valueKind != kind;
            return true;
        }
        return valueKind == kind;
    }

    private BsonDocument Rule(string keyword)
    {
        var specified = new BsonDocument { { keyword, Source[keyword] } };
        return new BsonDocument { { "operatorName", keyword }, { "specifiedAs", specified } };
    }

    private bool Fail(List<BsonDocument>? errors, BsonDocument? entry)
    {
        if (errors is not null && entry is not null) errors.Add(entry);
        return false;
    }

    private bool ValidateScalars(BsonValue? value, List<BsonDocument>? errors)
    {
        var ok = true;
        if (_pattern is not null && Applies(TypeKind.String, value, out var m1))
        {
            if (m1) ok = Fail(errors, TypeMismatchRule("pattern", value, PatternTypes));
            else if (!_pattern.IsMatch(((BsonString)value!).Value))
                ok = Fail(errors, Rule("pattern").Add("reason", "regular expression did not match").Add("consideredValue", value));
        }
        if (!ok && errors is null) return false;
        ok &= CheckLength("maxLength", _maxLength, value, errors, (len, limit) => len <= limit);
        if (!ok && errors is null) return false;
        ok &= CheckLength("minLength", _minLength, value, errors, (len, limit) => len >= limit);
        if (!ok && errors is null) return false;
        if (_multipleOf is not null && Applies(TypeKind.Number, value, out var m2))
        {
            if (m2) ok = Fail(errors, TypeMismatchRule("multipleOf", value, NumberTypes));
            else if (!IsMultiple(value!, _multipleOf))
                ok = Fail(errors, Rule("multipleOf").Add("reason", "considered value is not a multiple of the specified value").Add("consideredValue", value!));
        }
        if (!ok && errors is null) return false;
        ok &= CheckBound("maximum", "exclusiveMaximum", _maximum, _exclusiveMaximum, value, errors, c => c < 0);
        if (!ok && errors is null) return false;
        ok &= CheckBound("minimum", "exclusiveMinimum", _minimum, _exclusiveMinimum, value, errors, c => c > 0);
        return ok;
    }

    private bool CheckLength(string keyword, long? limit, BsonValue? value, List<BsonDocument>? errors, Func<long, long, bool> test)
    {
        if (limit is null || !Applies(TypeKind.String, value, out var mismatch)) return true;
        if (mismatch) return Fail(errors, TypeMismatchRule(keyword, value, null));
        var s = ((BsonString)value!).Value;
        // Lengths count code points, as mongod does, not UTF-16 units.
        long length = 0;
        for (var i = 0; i < s.Length; i++) if (!char.IsLowSurrogate(s[i])) length++;
        if (test(length, limit.Value)) return true;
        return Fail(errors, Rule(keyword).Add("reason", "specified string length was not satisfied").Add("consideredValue", value));
    }

    private bool CheckBound(string keyword, string exclusiveKeyword, BsonValue? bound, bool exclusive, BsonValue? value, List<BsonDocument>? errors, Func<int, bool> strict)
    {
        if (bound is null || !Applies(TypeKind.Number, value, out var mismatch)) return true;
        if (mismatch) return Fail(errors, TypeMismatchRule(keyword, value, NumberTypes));
        var c = BsonOrder.CompareNumbers(value!, bound);
        if (strict(c) || !exclusive && c == 0) return true;
        var rule = Rule(keyword);
        if (Source.TryGetValue(exclusiveKeyword, out var ex)) ((BsonDocument)rule["specifiedAs"]).Add(exclusiveKeyword, ex);
        return Fail(errors, rule.Add("reason", "comparison failed").Add("consideredValue", value!));
    }

    private BsonDocument? TypeMismatchRule(string keyword, BsonValue? value, BsonArray? expectedTypes)
    {
        if (value is null) return null;
        var rule = Rule(keyword).Add("reason", "type did not match").Add("consideredType", BsonOrder.TypeName(value));
        if (expectedTypes is null) rule.Add("expectedType", "string");
        else rule.Add("expectedTypes", expectedTypes.DeepClone());
        return rule.Add("consideredValue", value);
    }

    // mongod computes fmod in Decimal128; C# decimal holds a double's 15 significant digits the same way, so 0.3 is a
    // multiple of 0.1 as on the server. Out of decimal's range, double arithmetic decides.
    private static bool IsMultiple(BsonValue value, BsonValue divisor)
    {
        if (TryDecimal(value, out var v) && TryDecimal(divisor, out var d)) return v % d == 0;
        var x = value.ToDouble();
        var y = divisor.ToDouble();
        return !double.IsInfinity(x) && !double.IsNaN(x) && x % y == 0;
    }

    private static bool TryDecimal(BsonValue v, out decimal result)
    {
        result = 0;
        try
        {
            switch (v)
            {
                case BsonInt32 i: result = i.Value; return true;
                case BsonInt64 l: result = l.Value; return true;
                case BsonDouble d:
                    if (double.IsNaN(d.Value) || double.IsInfinity(d.Value)) return false;
                    result = (decimal)d.Value;
                    return true;
                case BsonDecimal128 m:
                    return decimal.TryParse(m.Value.ToString(), System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out result);
                default:
                    return false;
            }
        }
        catch (OverflowException)
        {
            return false;
        }
    }

    private bool ValidateEncrypt(BsonValue? value, List<BsonDocument>? errors)
    {
        if (!_encrypt || value is null) return true;
        if (value is not BsonBinaryData { SubType: BsonBinarySubType.Encrypted } bin)
            return Fail(errors, new BsonDocument { { "operatorName", "encrypt" }, { "reason", "value was not encrypted" } });
        if (_encryptType is not null)
        {
            // An FLE 1 blob: subtype byte, 16-byte key UUID, then the original BSON type.
            var bytes = bin.Bytes;
            var typeSet = JsonSchemaTypeSet.Parse("bsonType", _encryptType);
            var original = bytes.Length > 17 ? (BsonType)bytes[17] : (BsonType)0;
            var probe = original switch
            {
                BsonType.Int32 => (BsonValue)new BsonInt32(0),
                BsonType.Int64 => new BsonInt64(0),
                BsonType.Double => new BsonDouble(0),
                BsonType.Decimal128 => new BsonDecimal128(default),
                _ => null,
            };
            if (!(probe is not null ? typeSet.Matches(probe) : typeSet.Includes(original)))
                return Fail(errors, new BsonDocument { { "operatorName", "encrypt" }, { "reason", "encrypted value has wrong type" } });
        }
        return true;
    }
}
