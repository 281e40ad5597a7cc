using System.Globalization;
using Mongo.Bson;

namespace Mongo.InMemory.Engine.Expressions;

/// <summary>Trigonometry and $bsonSize.</summary>
internal static partial class ExpressionEvaluator
{
    private static readonly HashSet<string> ExtraOperators =
    [
        "$sin", "$cos", "$tan", "$asin", "$acos", "$atan", "$atan2", "$sinh", "$cosh", "$tanh", "$asinh", "$acosh", "$atanh",
        "$degreesToRadians", "$radiansToDegrees", "$bsonSize", "$meta",
    ];

    /// <summary>Accumulators mongod also accepts as expressions (over an array, or a number for the quantiles).</summary>
    private static readonly HashSet<string> AccumulatorExpressions = ["$firstN", "$lastN", "$maxN", "$minN", "$median", "$percentile"];

    private static BsonValue? ExtraOperator(string op, BsonValue operand, ExprScope scope)
    {
        switch (op)
        {
            case "$meta":
                return DocumentMetadata.Get(DocumentMetadata.ValidateName(operand), scope.Root);
            case "$atan2":
                {
                    var a = ArgsN(op, operand, scope, 2, 2);
                    if (IsNullish(a[0]) || IsNullish(a[1])) return BsonNull.Value;
                    foreach (var v in a)
                        if (!v!.IsNumeric) throw Errors.Location(51044, "$atan2 only supports numeric types, not " + BsonOrder.TypeName(v));
                    var r = Math.Atan2(a[0]!.ToDouble(), a[1]!.ToDouble());
                    return a[0]!.IsDecimal128 || a[1]!.IsDecimal128 ? Num.Decimal(r) : new BsonDouble(r);
                }
            case "$bsonSize":
                {
                    var v = ArgsN(op, operand, scope, 1, 1)[0];
                    if (IsNullish(v)) return BsonNull.Value;
                    if (v is not BsonDocument d) throw Errors.Location(31393, "$bsonSize requires a document input, found: " + BsonOrder.TypeName(v));
                    return (int)Wire.BsonCodec.SizeOf(d);
                }
            default:
                if (AccumulatorExpressions.Contains(op)) return Accumulators.EvaluateExpression(op, operand, scope);
                if (Version8Operators.Contains(op)) return Version8Operator(op, operand, scope);
                if (!ExtraOperators.Contains(op)) throw Errors.InvalidPipelineOperator("Unrecognized expression '" + op + "'");
                return Trigonometry(op, ArgsN(op, operand, scope, 1, 1)[0]);
        }
    }

    /// <summary>The one-argument trigonometric expressions: double (decimal for a decimal input), null for null.</summary>
    private static BsonValue? Trigonometry(string op, BsonValue? v)
    {
        if (IsNullish(v)) return BsonNull.Value;
        if (!v!.IsNumeric) throw Errors.Location(28765, op + " only supports numeric types, not " + BsonOrder.TypeName(v));
        var x = v.ToDouble();
        if (double.IsNaN(x)) return v.IsDecimal128 ? v : new BsonDouble(double.NaN);
        (double Low, double High, bool Open)? domain = op switch
        {
            "$sin" or "$cos" or "$tan" => (double.NegativeInfinity, double.PositiveInfinity, true),
            "$asin" or "$acos" or "$atanh" => (-1, 1, false),
            "$acosh" => (1, double.PositiveInfinity, false),
            _ => null,
        };
        if (domain is { } d && (x < d.Low || x > d.High || d.Open && double.IsInfinity(x)))
        {
            string range = d.Open ? "(-inf,inf)" : "[" + Bound(d.Low) + "," + Bound(d.High) + "]";
            throw Errors.Location(50989, "cannot apply " + op + " to " + Shell.Format(v) + ", value must be in " + range);
        }

        double r = op switch
        {
            "$sin" => Math.Sin(x),
            "$cos" => Math.Cos(x),
            "$tan" => Math.Tan(x),
            "$asin" => Math.Asin(x),
            "$acos" => Math.Acos(x),
            "$atan" => Math.Atan(x),
            "$sinh" => Math.Sinh(x),
            "$cosh" => Math.Cosh(x),
            "$tanh" => Math.Tanh(x),
            "$asinh" => Math.Asinh(x),
            "$acosh" => Math.Acosh(x),
            "$atanh" => Math.Atanh(x),
            "$degreesToRadians" => x * Math.PI / 180,
            _ => x * 180 / Math.PI,
        };
        return v.IsDecimal128 ? Num.Decimal(r) : new BsonDouble(r);
    }

    private static string Bound(double b) => double.IsPositiveInfinity(b) ? "inf" : b.ToString(CultureInfo.InvariantCulture);
}
