using System.Globalization;
using System.Text;
using Mongo.Bson;

namespace Mongo.InMemory.Engine;

/// <summary>Formats values the way the server's BSONObj::toString does (used in error messages such as E11000 "dup key").</summary>
internal static class Shell
{
    public static string Format(BsonValue? value)
    {
        var sb = new StringBuilder();
        Append(sb, value);
        return sb.ToString();
    }

    private static void Append(StringBuilder sb, BsonValue? value)
    {
        switch (value)
        {
            case null: sb.Append("undefined"); break;
            case BsonDocument doc:
                if (doc.ElementCount == 0) { sb.Append("{}"); break; }
                sb.Append("{ ");
                for (var i = 0; i < doc.ElementCount; i++)
                {
                    if (i > 0) sb.Append(", ");
                    var e = doc.GetElement(i);
                    sb.Append(e.Name).Append(": ");
                    Append(sb, e.Value);
                }
                sb.Append(" }");
                break;
            case BsonArray arr:
                if (arr.Count == 0) { sb.Append("[]"); break; }
                sb.Append("[ ");
                for (var i = 0; i < arr.Count; i++)
                {
                    if (i > 0) sb.Append(", ");
                    Append(sb, arr[i]);
                }
                sb.Append(" ]");
                break;
            case BsonString s: sb.Append('"').Append(s.Value).Append('"'); break;
            case BsonInt32 i32: sb.Append(i32.Value.ToString(CultureInfo.InvariantCulture)); break;
            case BsonInt64 i64: sb.Append(i64.Value.ToString(CultureInfo.InvariantCulture)); break;
            case BsonDouble d: sb.Append(FormatDouble(d.Value)); break;
            case BsonObjectId oid: sb.Append("ObjectId('").Append(oid.Value.ToString()).Append("')"); break;
            case BsonBoolean b: sb.Append(b.Value ? "true" : "false"); break;
            case BsonDateTime dt: sb.Append("new Date(").Append(dt.MillisecondsSinceEpoch.ToString(CultureInfo.InvariantCulture)).Append(')'); break;
            default:
                switch (value.BsonType)
                {
                    case BsonType.Null: sb.Append("null"); break;
                    case BsonType.MinKey: sb.Append("MinKey"); break;
                    case BsonType.MaxKey: sb.Append("MaxKey"); break;
                    case BsonType.Undefined: sb.Append("undefined"); break;
                    default: sb.Append(value.ToString()); break;
                }
                break;
        }
    }

    private static string FormatDouble(double d)
    {
        if (double.IsNaN(d)) return "nan.0";
        if (double.IsPositiveInfinity(d)) return "inf.0";
        if (double.IsNegativeInfinity(d)) return "-inf.0";
        var s = d.ToString("R", CultureInfo.InvariantCulture);
        return s.Contains('.', StringComparison.Ordinal) || s.Contains('E', StringComparison.Ordinal) ? s : s + ".0";
    }
}
