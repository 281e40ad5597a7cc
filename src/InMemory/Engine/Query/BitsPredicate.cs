using Mongo.Bson;

namespace Mongo.InMemory.Engine.Query;

/// <summary>
/// $bitsAllSet, $bitsAllClear, $bitsAnySet, $bitsAnyClear: bit positions (from an array, a numeric bitmask or a BinData
/// bitmask) tested against a number (as a two's-complement 64-bit integer, so a negative number has every bit above
/// 63 set) or a BinData (little-endian: bit p is bit p % 8 of byte p / 8; positions past its end are clear). Values
/// of other types, and numbers that are not integers representable in 64 bits, never match (matcher's
/// BitTestMatchExpression). Parse errors are mongod's (expression_parser.cpp parseBitTest).
/// </summary>
internal sealed class BitsPredicate : Predicate
{
    private readonly string _op;
    private readonly long[] _positions;

    private BitsPredicate(string op, long[] positions)
    {
        _op = op;
        _positions = positions;
    }

    public static BitsPredicate Parse(string op, BsonValue operand)
    {
        var positions = new List<long>();
        switch (operand)
        {
            case BsonArray arr:
                for (var i = 0; i < arr.Count; i++)
                {
                    try
                    {
                        positions.Add(NonNegativeInteger(i.ToString(System.Globalization.CultureInfo.InvariantCulture), arr[i], int.MaxValue, "32"));
                    }
                    catch (Commands.CommandException e)
                    {
                        throw Errors.BadValue("Failed to parse bit position. " + e.Message);
                    }
                }
                break;
            case BsonBinaryData bin:
                {
                    var bytes = bin.Bytes;
                    for (var i = 0; i < bytes.Length; i++)
                        for (var b = 0; b < 8; b++)
                            if ((bytes[i] & (1 << b)) != 0) positions.Add(i * 8L + b);
                    break;
                }
            default:
                if (!operand.IsNumeric)
                    throw Errors.BadValue(op + " takes an Array, a number, or a BinData but received: " + op + ": " + Shell.Format(operand));
                var mask = NonNegativeInteger(op, operand, long.MaxValue, "64");
                for (var b = 0; b < 63; b++)
                    if ((mask & (1L << b)) != 0) positions.Add(b);
                break;
        }
        return new BitsPredicate(op, positions.ToArray());
    }

    /// <summary>mongod's parseIntegerElementToNonNegativeLong/Int: an integral number in range, not negative (FailedToParse).</summary>
    private static long NonNegativeInteger(string name, BsonValue v, long max, string bits)
    {
        var shown = name + ": " + Shell.Format(v);
        if (!v.IsNumeric) throw Errors.FailedToParse("Expected a number in: " + shown);
        long n;
        if (v.BsonType is BsonType.Int32 or BsonType.Int64) n = v.ToInt64();
        else
        {
            var d = v.ToDouble();
            if (double.IsNaN(d)) throw Errors.FailedToParse("Expected an integer, but found NaN in: " + shown);
            if (d >= 9.2233720368547758E18 || d < -9.2233720368547758E18) throw Errors.FailedToParse("Cannot represent as a 64-bit integer: " + shown);
            if (Math.Truncate(d) != d) throw Errors.FailedToParse("Expected an integer: " + shown);
            n = (long)d;
        }
        if (n > max) throw Errors.FailedToParse("Cannot represent as a " + bits + "-bit integer: " + shown);
        if (n < 0) throw Errors.FailedToParse("Expected a positive number in: " + shown);
        return n;
    }

    public override bool Test(BsonValue? value)
    {
        Func<long, bool> isSet;
        switch (value)
        {
            case BsonInt32 or BsonInt64:
                {
                    var n = value.ToInt64();
                    isSet = p => p >= 64 ? n < 0 : (n & (1L << (int)p)) != 0;
                    break;
                }
            case BsonDouble or BsonDecimal128:
                {
                    var d = value.ToDouble();
                    if (double.IsNaN(d) || Math.Truncate(d) != d || d >= 9.2233720368547758E18 || d < -9.2233720368547758E18) return false;
                    var n = (long)d;
                    isSet = p => p >= 64 ? n < 0 : (n & (1L << (int)p)) != 0;
                    break;
                }
            case BsonBinaryData bin:
                {
                    var bytes = bin.Bytes;
                    isSet = p => p / 8 < bytes.Length && (bytes[p / 8] & (1 << (int)(p % 8))) != 0;
                    break;
                }
            default:
                return false;
        }
        return _op switch
        {
            "$bitsAllSet" => _positions.All(isSet),
            "$bitsAllClear" => _positions.All(p => !isSet(p)),
            "$bitsAnySet" => _positions.Any(isSet),
            _ => _positions.Any(p => !isSet(p)),
        };
    }
}
