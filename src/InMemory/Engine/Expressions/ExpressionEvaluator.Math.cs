using Mongo.Bson;

namespace Mongo.InMemory.Engine.Expressions;

internal static partial class ExpressionEvaluator
{



    private static BsonValue? AddOp(BsonValue?[] args)
    {
        BsonValue total = new BsonInt32(0);
        BsonDateTime? date = null;
        foreach (var a in args)
        {
            if (IsNullish(a)) return BsonNull.Value;
            if (a is BsonDateTime dt)
            {
                if (date is not null) throw Errors.Location(16612, "only one date allowed in an $add expression");
                date = dt;
                continue;
            }
            if (!a!.IsNumeric) throw Errors.TypeMismatch("$add only supports numeric or date types, not " + BsonOrder.TypeName(a));
            total = Num.Add(total, a);
        }
        if (date is not null) return new BsonDateTime(date.MillisecondsSinceEpoch + (long)Math.Round(total.ToDouble()));
        return total;
    }

    private static BsonValue? SubtractOp(BsonValue?[] a)
    {
        if (IsNullish(a[0]) || IsNullish(a[1])) return BsonNull.Value;
        if (a[0] is BsonDateTime d0)
        {
            if (a[1] is BsonDateTime d1) return new BsonInt64(d0.MillisecondsSinceEpoch - d1.MillisecondsSinceEpoch);
            if (a[1]!.IsNumeric) return new BsonDateTime(d0.MillisecondsSinceEpoch - (long)Math.Round(a[1]!.ToDouble()));
        }
        if (!a[0]!.IsNumeric || !a[1]!.IsNumeric)
            throw Errors.TypeMismatch("cant $subtract a " + BsonOrder.TypeName(a[1]) + " from a " + BsonOrder.TypeName(a[0]));
        return Num.Subtract(a[0]!, a[1]!);
    }

    private static BsonValue? MultiplyOp(BsonValue?[] args)
    {
        BsonValue total = new BsonInt32(1);
        foreach (var a in args)
        {
            if (IsNullish(a)) return BsonNull.Value;
            if (!a!.IsNumeric) throw Errors.TypeMismatch("$multiply only supports numeric types, not " + BsonOrder.TypeName(a));
            total = Num.Multiply(total, a);
        }
        return total;
    }

    private static BsonValue? DivideOp(BsonValue?[] a)
    {
        if (IsNullish(a[0]) || IsNullish(a[1])) return BsonNull.Value;
        if (!a[0]!.IsNumeric || !a[1]!.IsNumeric)
            throw Errors.TypeMismatch("$divide only supports numeric types, not " + BsonOrder.TypeName(a[0]) + " and " + BsonOrder.TypeName(a[1]));
        var divisor = a[1]!.ToDouble();
        if (divisor == 0) throw Errors.BadValue("can't $divide by zero");
        var q = a[0]!.ToDouble() / divisor;
        return a[0]!.IsDecimal128 || a[1]!.IsDecimal128 ? Num.Decimal(q) : new BsonDouble(q);
    }

    private static BsonValue? ModOp(BsonValue?[] a)
    {
        if (IsNullish(a[0]) || IsNullish(a[1])) return BsonNull.Value;
        if (!a[0]!.IsNumeric || !a[1]!.IsNumeric)
            throw Errors.Location(16611, "$mod only supports numeric types, not " + BsonOrder.TypeName(a[0]) + " and " + BsonOrder.TypeName(a[1]));
        var x = a[0]!; var y = a[1]!;
        if (x.BsonType is BsonType.Int32 or BsonType.Int64 && y.BsonType is BsonType.Int32 or BsonType.Int64)
        {
            var d = y.ToInt64();
            if (d == 0) throw Errors.Location(16610, "can't $mod by zero");
            var r = d == -1 ? 0 : x.ToInt64() % d;
            return x.IsInt32 && y.IsInt32 ? new BsonInt32((int)r) : new BsonInt64(r);
        }
        var dd = y.ToDouble();
        if (dd == 0) throw Errors.Location(16610, "can't $mod by zero");
        var m = x.ToDouble() % dd;
        return x.IsDecimal128 || y.IsDecimal128 ? Num.Decimal(m) : new BsonDouble(m);
    }

    private static BsonValue? UnaryMath(string op, BsonValue? v)
    {
        if (IsNullish(v)) return BsonNull.Value;
        if (!v!.IsNumeric) throw Errors.Location(28765, op + " only supports numeric types, not " + BsonOrder.TypeName(v));
        if (op is "$abs")
        {
            if (v.IsInt32) return v.AsInt32 == int.MinValue ? new BsonInt64(-(long)int.MinValue) : new BsonInt32(Math.Abs(v.AsInt32));
            if (v.IsInt64)
            {
                if (v.AsInt64 == long.MinValue) throw Errors.Location(28680, "can't take $abs of long long min");
                return new BsonInt64(Math.Abs(v.AsInt64));
            }
        }
        if (op is "$ceil" or "$floor" && v.BsonType is BsonType.Int32 or BsonType.Int64) return v;
        var d = v.ToDouble();
        double r;
        switch (op)
        {
            case "$abs": r = Math.Abs(d); break;
            case "$ceil": r = Math.Ceiling(d); break;
            case "$floor": r = Math.Floor(d); break;
            case "$sqrt":
                if (d < 0) throw Errors.Location(28714, "$sqrt's argument must be greater than or equal to 0");
                r = Math.Sqrt(d);
                break;
            case "$exp": r = Math.Exp(d); break;
            case "$ln":
                if (d <= 0) throw Errors.Location(28766, "$ln's argument must be a positive number, but is " + Shell.Format(v));
                r = Math.Log(d);
                break;
            default:
                if (d <= 0) throw Errors.Location(28761, "$log10's argument must be a positive number, but is " + Shell.Format(v));
                r = Math.Log10(d);
                break;
        }
        return v.IsDecimal128 ? Num.Decimal(r) : new BsonDouble(r);
    }

    private static BsonValue? BinaryMath(string op, BsonValue?[] a)
    {
        if (IsNullish(a[0]) || IsNullish(a[1])) return BsonNull.Value;
        if (!a[0]!.IsNumeric || !a[1]!.IsNumeric)
            throw Errors.Location(op == "$pow" ? 28762 : 28756, op + " only supports numeric types");
        var x = a[0]!.ToDouble(); var y = a[1]!.ToDouble();
        if (op == "$pow")
        {
            if (x == 0 && y < 0) throw Errors.Location(28764, "$pow cannot take a base of 0 and a negative exponent");
            var p = Math.Pow(x, y);
            if (a[0]!.BsonType is BsonType.Int32 or BsonType.Int64 && a[1]!.BsonType is BsonType.Int32 or BsonType.Int64 && y >= 0 &&
                Math.Abs(p) < 9.2e18)
                return a[0]!.IsInt32 && a[1]!.IsInt32 ? Num.Int((long)p) : new BsonInt64((long)p);
            return a[0]!.IsDecimal128 || a[1]!.IsDecimal128 ? Num.Decimal(p) : new BsonDouble(p);
        }
        if (x <= 0) throw Errors.Location(28758, "$log's argument must be a positive number");
        if (y <= 0 || y == 1) throw Errors.Location(28759, "$log's base must be a positive number not equal to 1");
        return new BsonDouble(Math.Log(x) / Math.Log(y));
    }

    private static BsonValue? RoundOp(string op, BsonValue?[] a)
    {
        var v = a[0];
        if (IsNullish(v)) return BsonNull.Value;
        if (!v!.IsNumeric) throw Errors.Location(51081, op + " only supports numeric types, not " + BsonOrder.TypeName(v));
        var place = 0;
        if (a.Length > 1)
        {
            if (IsNullish(a[1])) return BsonNull.Value;
            place = a[1]!.ToInt32();
            if (place < -20 || place > 100) throw Errors.Location(51083, "cannot apply " + op + " with precision value " + place + " value must be in [-20, 100]");
        }
        if (v.BsonType is BsonType.Int32 or BsonType.Int64)
        {
            if (place >= 0) return v;
            var f = Math.Pow(10, -place);
            var d = v.ToDouble() / f;
            var r = (op == "$round" ? Math.Round(d, MidpointRounding.ToEven) : Math.Truncate(d)) * f;
            return v.IsInt32 ? Num.Int((long)r) : new BsonInt64((long)r);
        }
        var x = v.ToDouble();
        double result;
        if (place >= 0 && place <= 15)
            result = op == "$round" ? Math.Round(x, place, MidpointRounding.ToEven) : Math.Truncate(x * Math.Pow(10, place)) / Math.Pow(10, place);
        else
        {
            var f = Math.Pow(10, place);
            result = op == "$round" ? Math.Round(x * f, MidpointRounding.ToEven) / f : Math.Truncate(x * f) / f;
        }
        return v.IsDecimal128 ? Num.Decimal(result) : new BsonDouble(result);
    }
}
