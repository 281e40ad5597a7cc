using Mongo.Bson;

namespace Mongo.InMemory.Engine.Pipeline;

/// <summary>
/// $bucketAuto's granularity: rounds bucket boundaries to a preferred-number series (Renard, E, 1-2-5) or to powers of two.
/// The series are the "least rounded" tables mongod uses, so boundaries come out as the server's do.
/// </summary>
internal abstract class GranularityRounder
{
    private static readonly Dictionary<string, Func<GranularityRounder>> s_rounders = new(StringComparer.Ordinal)
    {
        ["R5"] = () => new PreferredNumbers([10, 16, 25, 40, 63]),
        ["R10"] = () => new PreferredNumbers([100, 125, 160, 200, 250, 315, 400, 500, 630, 800]),
        ["R20"] = () => new PreferredNumbers([100, 112, 125, 140, 160, 180, 200, 224, 250, 280, 315, 355, 400, 450, 500, 560, 630, 710, 800, 900]),
        ["R40"] = () => new PreferredNumbers(
        [
            100, 106, 112, 118, 125, 132, 140, 150, 160, 170, 180, 190, 200, 212, 224, 236, 250, 265, 280, 300, 315, 355, 375, 400, 425, 450,
            475, 500, 530, 560, 600, 630, 670, 710, 750, 800, 850, 900, 950,
        ]),
        ["R80"] = () => new PreferredNumbers(
        [
            103, 109, 115, 122, 128, 136, 145, 155, 165, 175, 185, 195, 206, 218, 230, 243, 258, 272, 290, 307, 325, 345, 365, 387, 412, 437,
            462, 487, 515, 545, 575, 615, 650, 690, 730, 775, 825, 875, 925, 975,
        ]),
        ["1-2-5"] = () => new PreferredNumbers([10, 20, 50]),
        ["E6"] = () => new PreferredNumbers([10, 15, 22, 33, 47, 68]),
        ["E12"] = () => new PreferredNumbers([10, 12, 15, 18, 22, 27, 33, 39, 47, 56, 68, 82]),
        ["E24"] = () => new PreferredNumbers([10, 11, 12, 13, 15, 16, 18, 20, 22, 24, 27, 30, 33, 36, 39, 43, 47, 51, 56, 62, 68, 75, 82, 91]),
        ["E48"] = () => new PreferredNumbers(
        [
            100, 105, 110, 115, 121, 127, 133, 140, 147, 154, 162, 169, 178, 187, 196, 205, 215, 226, 237, 249, 261, 274, 287, 301,
            316, 332, 348, 365, 383, 402, 422, 442, 464, 487, 511, 536, 562, 590, 619, 649, 681, 715, 750, 787, 825, 866, 909, 953,
        ]),
        ["E96"] = () => new PreferredNumbers(
        [
            100, 102, 105, 107, 110, 113, 115, 118, 121, 124, 127, 130, 133, 137, 140, 143, 147, 150, 154, 158, 162, 165, 169, 174,
            178, 182, 187, 191, 196, 200, 205, 210, 215, 221, 226, 232, 237, 243, 249, 255, 261, 267, 274, 280, 287, 294, 301, 309,
            316, 324, 332, 340, 348, 357, 365, 374, 383, 392, 402, 412, 422, 432, 442, 453, 464, 475, 487, 499, 511, 523, 536, 549,
            562, 576, 590, 604, 619, 634, 649, 665, 681, 698, 715, 732, 750, 768, 787, 806, 825, 845, 866, 887, 909, 931, 953, 976,
        ]),
        ["E192"] = () => new PreferredNumbers(
        [
            100, 101, 102, 104, 105, 106, 107, 109, 110, 111, 113, 114, 115, 117, 118, 120, 121, 123, 124, 126, 127, 129, 130, 132,
            133, 135, 137, 138, 140, 142, 143, 145, 147, 149, 150, 152, 154, 156, 158, 160, 162, 164, 165, 167, 169, 172, 174, 176,
            178, 180, 182, 184, 187, 189, 191, 193, 196, 198, 200, 203, 205, 208, 210, 213, 215, 218, 221, 223, 226, 229, 232, 234,
            237, 240, 243, 246, 249, 252, 255, 258, 261, 264, 267, 271, 274, 277, 280, 284, 287, 291, 294, 298, 301, 305, 309, 312,
            316, 320, 324, 328, 332, 336, 340, 344, 348, 352, 357, 361, 365, 370, 374, 379, 383, 388, 392, 397, 402, 407, 412, 417,
            422, 427, 432, 437, 442, 448, 453, 459, 464, 470, 475, 481, 487, 493, 499, 505, 511, 517, 523, 530, 536, 542, 549, 556,
            562, 569, 576, 583, 590, 597, 604, 612, 619, 626, 634, 642, 649, 657, 665, 673, 681, 690, 698, 706, 715, 723, 732, 741,
            750, 759, 768, 777, 787, 796, 806, 816, 825, 835, 845, 856, 866, 876, 887, 898, 909, 920, 931, 942, 953, 965, 976, 988,
        ]),
        ["POWERSOF2"] = () => new PowersOfTwo(),
    };

    public static GranularityRounder Get(string name) =>
        s_rounders.TryGetValue(name, out var make) ? make() : throw Errors.Location(40257, "Unknown rounding granularity '" + name + "'");

    /// <summary>The smallest series value strictly greater than the value (0 stays 0).</summary>
    public abstract BsonValue RoundUp(BsonValue value);

    /// <summary>The largest series value strictly less than the value (0 stays 0).</summary>
    public abstract BsonValue RoundDown(BsonValue value);

    private sealed class PreferredNumbers(double[] series) : GranularityRounder
    {
        private static void Check(BsonValue value)
        {
            if (!value.IsNumeric) throw Errors.Location(40262, "A granularity rounder can only round numeric values, but found type: " + BsonOrder.TypeName(value));
            var d = value.ToDouble();
            if (double.IsNaN(d)) throw Errors.Location(40263, "A granularity rounder cannot round NaN");
            if (d < 0) throw Errors.Location(40268, "A granularity rounder can only round non-negative numbers");
        }

        public override BsonValue RoundUp(BsonValue value)
        {
            Check(value);
            if (value.ToDouble() == 0.0) return value;
            if (value.BsonType == BsonType.Decimal128)
            {
                var x = value.ToDecimal128().ToDecimal();
                var m = 1m;
                while (x >= (decimal)series[^1] * m) m *= 10;
                while (x < (decimal)series[0] * m)
                {
                    var previousMin = (decimal)series[0] * m;
                    m /= 10;
                    if (x >= (decimal)series[^1] * m) return Num.FromDecimal(previousMin);
                }
                foreach (var s in series)
                    if (x < (decimal)s * m) return Num.FromDecimal((decimal)s * m);
                return Num.FromDecimal((decimal)series[^1] * m);
            }
            else
            {
                // The same double operations as the server (multiplier scaled by 10.0 each step), so results match bit for bit.
                var x = value.ToDouble();
                var m = 1.0;
                while (x >= series[^1] * m) m *= 10.0;
                while (x < series[0] * m)
                {
                    var previousMin = series[0] * m;
                    m /= 10.0;
                    if (x >= series[^1] * m) return new BsonDouble(previousMin);
                }
                foreach (var s in series)
                    if (x < s * m) return new BsonDouble(s * m);
                return new BsonDouble(series[^1] * m);
            }
        }

        public override BsonValue RoundDown(BsonValue value)
        {
            Check(value);
            if (value.ToDouble() == 0.0) return value;
            if (value.BsonType == BsonType.Decimal128)
            {
                var x = value.ToDecimal128().ToDecimal();
                var m = 1m;
                while (x <= (decimal)series[0] * m) m /= 10;
                while (x > (decimal)series[^1] * m)
                {
                    var previousMax = (decimal)series[^1] * m;
                    m *= 10;
                    if (x <= (decimal)series[0] * m) return Num.FromDecimal(previousMax);
                }
                var i = 0;
                while (i < series.Length && (decimal)series[i] * m < x) i++;
                return Num.FromDecimal((decimal)series[i - 1] * m);
            }
            else
            {
                var x = value.ToDouble();
                var m = 1.0;
                while (x <= series[0] * m) m /= 10.0;
                while (x > series[^1] * m)
                {
                    var previousMax = series[^1] * m;
                    m *= 10.0;
                    if (x <= series[0] * m) return new BsonDouble(previousMax);
                }
                var i = 0;
                while (i < series.Length && series[i] * m < x) i++;
                return new BsonDouble(series[i - 1] * m);
            }
        }
    }

    /// <summary>Rounds to powers of two; like the server's $pow(2, exponent), integral inputs give int/long results.</summary>
    private sealed class PowersOfTwo : GranularityRounder
    {
        private static void Check(BsonValue value)
        {
            if (!value.IsNumeric) throw Errors.Location(40265, "A granularity rounder can only round numeric values, but found type: " + BsonOrder.TypeName(value));
            var d = value.ToDouble();
            if (double.IsNaN(d)) throw Errors.Location(40266, "A granularity rounder cannot round NaN");
            if (d < 0) throw Errors.Location(40267, "A granularity rounder can only round non-negative numbers");
        }

        public override BsonValue RoundUp(BsonValue value)
        {
            Check(value);
            if (value.ToDouble() == 0.0) return value;
            return value.BsonType switch
            {
                BsonType.Double => Power((int)(Math.Floor(Math.Log2(value.ToDouble())) + 1.0), decimalResult: false),
                BsonType.Decimal128 => Power((int)(Math.Floor(Math.Log2(value.ToDouble())) + 1.0), decimalResult: true),
                _ => Power(64 - System.Numerics.BitOperations.LeadingZeroCount((ulong)value.ToInt64()), decimalResult: false),
            };
        }

        public override BsonValue RoundDown(BsonValue value)
        {
            Check(value);
            if (value.ToDouble() == 0.0) return value;
            switch (value.BsonType)
            {
                case BsonType.Double: return Power((int)(Math.Ceiling(Math.Log2(value.ToDouble())) - 1.0), decimalResult: false);
                case BsonType.Decimal128: return Power((int)(Math.Ceiling(Math.Log2(value.ToDouble())) - 1.0), decimalResult: true);
                default:
                    var n = (ulong)value.ToInt64();
                    var highBit = 63 - System.Numerics.BitOperations.LeadingZeroCount(n);
                    return Power(System.Numerics.BitOperations.IsPow2(n) ? highBit - 1 : highBit, decimalResult: false);
            }
        }

        private static BsonValue Power(int exponent, bool decimalResult)
        {
            if (decimalResult)
            {
                var r = 1m;
                for (var i = 0; i < Math.Abs(exponent); i++) r = exponent > 0 ? r * 2 : r / 2;
                return Num.FromDecimal(r);
            }
            if (exponent < 0 || exponent > 62) return new BsonDouble(Math.Pow(2, exponent));
            return Num.Int(1L << exponent);
        }
    }
}
