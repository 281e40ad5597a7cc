using System.Globalization;
using System.Text;
using Mongo.Bson;

namespace Mongo.InMemory.Engine.Expressions;

internal static partial class ExpressionEvaluator
{
    private static BsonValue? TypeOperator(string op, BsonValue operand, ExprScope scope)
    {
        switch (op)
        {
            case "$type":
                return BsonOrder.TypeName(ArgsN(op, operand, scope, 1, 1)[0]);
            case "$isNumber":
                {
                    var v = ArgsN(op, operand, scope, 1, 1)[0];
                    return v is not null && v.IsNumeric;
                }
            case "$toString":
                {
                    // $toString writes a binData as a UUID string when it is one, else base64 (format "auto").
                    var v = ArgsN(op, operand, scope, 1, 1)[0];
                    return IsNullish(v) ? BsonNull.Value : ConvertTo(v!, "string", new BsonInt32(0), "auto");
                }
            case "$toInt": return Convert(ArgsN(op, operand, scope, 1, 1)[0], "int");
            case "$toLong": return Convert(ArgsN(op, operand, scope, 1, 1)[0], "long");
            case "$toDouble": return Convert(ArgsN(op, operand, scope, 1, 1)[0], "double");
            case "$toDecimal": return Convert(ArgsN(op, operand, scope, 1, 1)[0], "decimal");
            case "$toBool": return Convert(ArgsN(op, operand, scope, 1, 1)[0], "bool");
            case "$toDate": return Convert(ArgsN(op, operand, scope, 1, 1)[0], "date");
            case "$toObjectId": return Convert(ArgsN(op, operand, scope, 1, 1)[0], "objectId");
            case "$convert": return ConvertOp(Spec(op, operand), scope);
            default:
                return DateOperator(op, operand, scope);
        }
    }

    private static BsonValue? Convert(BsonValue? v, string target)
    {
        if (IsNullish(v)) return BsonNull.Value;
        var value = v!;
        switch (target)
        {
            case "string":
                if (value is BsonDocument or BsonArray or BsonBinaryData or BsonRegularExpression || value.BsonType is BsonType.MinKey or BsonType.MaxKey)
                    throw Unsupported(value, target);
                return ToStringValue(value);
            case "bool":
                return value.ToBoolean();
            case "int":
            case "long":
                {
                    long n;
                    switch (value)
                    {
                        case BsonBoolean b: n = b.Value ? 1 : 0; break;
                        case BsonInt32 i: n = i.Value; break;
                        case BsonInt64 l: n = l.Value; break;
                        case BsonDouble or BsonDecimal128:
                            {
                                var d = value.ToDouble();
                                if (double.IsNaN(d) || double.IsInfinity(d) || Math.Truncate(d) < (target == "int" ? int.MinValue : -9.2233720368547758E18) ||
                                    Math.Truncate(d) > (target == "int" ? int.MaxValue : 9.2233720368547758E18))
                                    throw Errors.ConversionFailure("Conversion would overflow target type in $convert with no onError value: " + Shell.Format(value));
                                n = (long)Math.Truncate(d);
                                break;
                            }
                        case BsonString s:
                            if (!long.TryParse(s.Value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out n))
                                throw Errors.ConversionFailure("Failed to parse number '" + s.Value + "' in $convert with no onError value: Did not consume whole string.");
                            break;
                        case BsonDateTime dt when target == "long": n = dt.MillisecondsSinceEpoch; break;
                        default: throw Unsupported(value, target);
                    }
                    if (target == "int")
                    {
                        if (n < int.MinValue || n > int.MaxValue)
                            throw Errors.ConversionFailure("Conversion would overflow target type in $convert with no onError value: " + Shell.Format(value));
                        return new BsonInt32((int)n);
                    }
                    return new BsonInt64(n);
                }
            case "double":
            case "decimal":
                {
                    double d;
                    switch (value)
                    {
                        case BsonBoolean b: d = b.Value ? 1 : 0; break;
                        case BsonInt32 or BsonInt64 or BsonDouble or BsonDecimal128: d = value.ToDouble(); break;
                        case BsonDateTime dt: d = dt.MillisecondsSinceEpoch; break;
                        case BsonString s:
                            if (!double.TryParse(s.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out d))
                                throw Errors.ConversionFailure("Failed to parse number '" + s.Value + "' in $convert with no onError value: Did not consume whole string.");
                            break;
                        default: throw Unsupported(value, target);
                    }
                    if (target == "decimal") return value is BsonDecimal128 ? value : Num.Decimal(d);
                    return new BsonDouble(d);
                }
            case "date":
                switch (value)
                {
                    case BsonDateTime: return value;
                    case BsonInt64 l: return new BsonDateTime(l.Value);
                    case BsonDouble or BsonDecimal128: return new BsonDateTime((long)value.ToDouble());
                    case BsonObjectId o: return new BsonDateTime(o.Value.Timestamp * 1000L);
                    case BsonTimestamp ts: return new BsonDateTime(ts.Timestamp * 1000L);
                    case BsonString s:
                        if (DateTimeOffset.TryParse(s.Value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var dto))
                            return new BsonDateTime(dto.ToUnixTimeMilliseconds());
                        throw Errors.ConversionFailure("Error parsing date string '" + s.Value + "'");
                    default: throw Unsupported(value, target);
                }
            case "objectId":
                if (value is BsonObjectId) return value;
                if (value is BsonString os)
                {
                    if (ObjectId.TryParse(os.Value, out var oid)) return new BsonObjectId(oid);
                    throw Errors.ConversionFailure("Failed to parse objectId '" + os.Value + "' in $convert with no onError value: Invalid string length for parsing to OID, expected 24 but found " + os.Value.Length);
                }
                throw Unsupported(value, target);
            default:
                // The name was checked by the caller: a known type $convert has no conversion to.
                throw Unsupported(value, target);
        }
    }

    private static Commands.CommandException Unsupported(BsonValue v, string target) =>
        Errors.ConversionFailure("Unsupported conversion from " + BsonOrder.TypeName(v) + " to " + target + " in $convert with no onError value");
}
