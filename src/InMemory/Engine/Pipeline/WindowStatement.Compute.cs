using Mongo.Bson;
using Mongo.InMemory.Engine.Expressions;

namespace Mongo.InMemory.Engine.Pipeline;

/// <summary>Computing a window function over one sorted partition (one output value per document; C# null = missing).</summary>
internal sealed partial class WindowStatement
{
    public BsonValue?[] Compute(List<BsonDocument> partition, SortSpecInfo? sortBy, PipelineContext context)
    {
        var n = partition.Count;
        var result = new BsonValue?[n];
        switch (Op)
        {
            case "$rank":
            case "$denseRank":
            case "$documentNumber":
                Ranks(partition, result, context);
                return result;
            case "$shift":
                for (var i = 0; i < n; i++)
                {
                    var j = (long)i + _shiftBy;
                    result[i] = j >= 0 && j < n ? Eval(Input, partition[(int)j], context) : _shiftDefault;
                }
                return result;
            case "$expMovingAvg":
                ExpMovingAvg(partition, result, context);
                return result;
            case "$locf":
                {
                    BsonValue last = BsonNull.Value;
                    for (var i = 0; i < n; i++)
                    {
                        var v = Eval(Input, partition[i], context);
                        if (!BsonOrder.IsMissingOrNull(v) && v!.BsonType != BsonType.Undefined) last = v;
                        result[i] = last;
                    }
                    return result;
                }
            case "$linearFill":
                LinearFill(partition, result, context);
                return result;
        }

        var sortValues = Bounds.IsRange ? partition.Select(d => sortBy!.FirstValue(d)).ToArray() : null;
        var prefix = Bounds.Lower.Kind == WindowBoundKind.Unbounded && !Bounds.IsUnbounded
            ? AggregationPipeline.PrefixAccumulator(Op, Input, partition, context)
            : null;
        for (var i = 0; i < n; i++)
        {
            var (lo, hi) = WindowOf(i, n, sortValues);
            var count = Math.Max(0, hi - lo + 1);
            switch (Op)
            {
                case "$first":
                    result[i] = count == 0 ? BsonNull.Value : Eval(Input, partition[lo], context);
                    break;
                case "$last":
                    result[i] = count == 0 ? BsonNull.Value : Eval(Input, partition[hi], context);
                    break;
                case "$derivative":
                    result[i] = count == 0 ? BsonNull.Value : Derivative(partition[lo], partition[hi], sortBy!, context);
                    break;
                case "$integral":
                    result[i] = Integral(partition, lo, count, sortBy!, context);
                    break;
                case "$covariancePop":
                case "$covarianceSamp":
                    result[i] = Covariance(partition, lo, count, context);
                    break;
                default:
                    if (prefix is not null && count > 0) result[i] = prefix(hi);
                    else if (Bounds.IsUnbounded)
                    {
                        // The same window for every document: compute it once (a copy each, so no two outputs share a value).
                        result[i] = i == 0 ? AggregationPipeline.AccumulateWindow(Op, Input, partition, context) : result[0]?.DeepClone();
                    }
                    else result[i] = AggregationPipeline.AccumulateWindow(Op, Input, partition.GetRange(lo, count), context);
                    break;
            }
        }
        return result;
    }

    private static BsonValue? Eval(BsonValue expression, BsonDocument doc, PipelineContext context) =>
        ExpressionEvaluator.Evaluate(expression, new ExprScope(doc, context.Variables, context.Collator));

    /// <summary>Server arithmetic ($add, $subtract, $multiply, $divide) on two values, dates included.</summary>
    private static BsonValue Arith(string op, BsonValue a, BsonValue b) =>
        ExpressionEvaluator.Evaluate(new BsonDocument(op, new BsonArray { new BsonDocument("$literal", a), new BsonDocument("$literal", b) }), new ExprScope(new BsonDocument()))
        ?? BsonNull.Value;

    /// <summary>The first and last partition index of document i's window (lo &gt; hi: empty).</summary>
    private (int Lo, int Hi) WindowOf(int i, int n, BsonValue?[]? sortValues)
    {
        if (!Bounds.IsRange)
        {
            long lo = Bounds.Lower.Kind switch { WindowBoundKind.Unbounded => 0, WindowBoundKind.Current => i, _ => i + Bounds.Lower.Offset!.ToInt64() };
            long hi = Bounds.Upper.Kind switch { WindowBoundKind.Unbounded => n - 1, WindowBoundKind.Current => i, _ => i + Bounds.Upper.Offset!.ToInt64() };
            lo = Math.Max(lo, 0);
            hi = Math.Min(hi, n - 1);
            return ((int)Math.Min(lo, n), (int)Math.Max(hi, -1));
        }
        var baseValue = sortValues![i];
        if (Bounds.Unit is not null)
        {
            if (baseValue is not BsonDateTime)
                throw Errors.Location(5429513, "Invalid range: Expected the sortBy field to be a Date, but it was " + BsonOrder.TypeName(baseValue));
        }
        else
        {
            if (baseValue is BsonDateTime)
                throw Errors.Location(5429413, "Invalid range: For windows that involve date or time ranges, a unit must be provided.");
            if (baseValue is null || !baseValue.IsNumeric)
                throw Errors.Location(5429414, "Invalid range: Expected the sortBy field to be a number, but it was " + BsonOrder.TypeName(baseValue));
        }
        var lower = RangeEnd(Bounds.Lower, baseValue);
        var upper = RangeEnd(Bounds.Upper, baseValue);
        var first = -1;
        var last = -2;
        for (var j = 0; j < n; j++)
        {
            var v = sortValues[j] ?? BsonNull.Value;
            if (lower is not null && BsonOrder.Compare(v, lower) < 0) continue;
            if (upper is not null && BsonOrder.Compare(v, upper) > 0) continue;
            if (first < 0) first = j;
            last = j;
        }
        return first < 0 ? (0, -1) : (first, last);
    }

    private BsonValue? RangeEnd(WindowBound bound, BsonValue baseValue) => bound.Kind switch
    {
        WindowBoundKind.Unbounded => null,
        WindowBoundKind.Current => baseValue,
        _ => Bounds.Unit is not null
            ? TimeUnits.Add((BsonDateTime)baseValue, Bounds.Unit, bound.Offset!.ToInt64())
            : Num.Add(baseValue, bound.Offset!),
    };

    private void Ranks(List<BsonDocument> partition, BsonValue?[] result, PipelineContext context)
    {
        long rank = 0, sameRank = 1;
        BsonValue? last = null;
        var seen = false;
        for (var i = 0; i < partition.Count; i++)
        {
            var v = _sortBy!.FirstValue(partition[i]);
            var same = seen && (BsonOrder.IsMissingOrNull(v) && BsonOrder.IsMissingOrNull(last) || BsonOrder.Compare(v ?? BsonNull.Value, last ?? BsonNull.Value, context.Collator) == 0);
            switch (Op)
            {
                case "$documentNumber":
                    rank++;
                    break;
                case "$denseRank":
                    if (!same) rank++;
                    break;
                default:
                    if (!same) { rank += sameRank; sameRank = 1; }
                    else sameRank++;
                    break;
            }
            seen = true;
            last = v;
            result[i] = Num.Int(rank);
        }
    }

    private void ExpMovingAvg(List<BsonDocument> partition, BsonValue?[] result, PipelineContext context)
    {
        decimal? current = null;
        var isDecimal = false;
        for (var i = 0; i < partition.Count; i++)
        {
            var v = Eval(Input, partition[i], context);
            if (v is not null && v.IsNumeric)
            {
                decimal x;
                try
                {
                    x = v.BsonType == BsonType.Decimal128 ? v.ToDecimal128().ToDecimal() : (decimal)v.ToDouble();
                }
                catch (OverflowException)
                {
                    throw Errors.NotImplemented("$expMovingAvg over values beyond ±7.9e28 is not supported by Mongo.InMemory");
                }
                isDecimal |= v.BsonType == BsonType.Decimal128;
                current = current is null ? x : x * _alpha + current.Value * (1 - _alpha);
            }
            result[i] = current is null ? BsonNull.Value : isDecimal ? Num.FromDecimal(current.Value) : new BsonDouble((double)current.Value);
        }
    }

    private void LinearFill(List<BsonDocument> partition, BsonValue?[] result, PipelineContext context)
    {
        var n = partition.Count;
        var xs = new BsonValue?[n];
        var ys = new BsonValue?[n];
        BsonValue? lastSeen = null;
        for (var i = 0; i < n; i++)
        {
            var y = Eval(Input, partition[i], context);
            if (!Nullish(y) && !y!.IsNumeric) throw Errors.TypeMismatch("Value to be filled must be numeric or nullish, but found " + BsonOrder.TypeName(y));
            var x = _sortBy!.FirstValue(partition[i]);
            if (x is null || !(x.IsNumeric || x is BsonDateTime or BsonTimestamp or BsonObjectId))
                throw Errors.TypeMismatch("Value of the sortBy field must be numeric or a date, but found " + BsonOrder.TypeName(x));
            if (lastSeen is not null && BsonOrder.Compare(x, lastSeen) == 0) throw Errors.Location(6050106, "There can be no repeated values in the sort field");
            if (lastSeen is not null && lastSeen.IsNumeric != x.IsNumeric)
                throw Errors.TypeMismatch("Conflicting sort value types, previously received type " + BsonOrder.TypeName(lastSeen) + ", but found " + BsonOrder.TypeName(x));
            lastSeen = x;
            xs[i] = x;
            ys[i] = Nullish(y) ? null : y;
        }
        var previous = -1;
        for (var i = 0; i < n; i++)
        {
            if (ys[i] is not null)
            {
                result[i] = ys[i];
                previous = i;
                continue;
            }
            var next = i + 1;
            while (next < n && ys[next] is null) next++;
            if (previous < 0 || next >= n)
            {
                result[i] = BsonNull.Value;
                continue;
            }
            // y = y1 + (x - x1) * ((y2 - y1) / (x2 - x1))
            var slope = Arith("$divide", Arith("$subtract", ys[next]!, ys[previous]!), Arith("$subtract", xs[next]!, xs[previous]!));
            result[i] = Arith("$add", ys[previous]!, Arith("$multiply", Arith("$subtract", xs[i]!, xs[previous]!), slope));
        }
    }

    private static bool Nullish(BsonValue? v) => v is null || v.BsonType is BsonType.Null or BsonType.Undefined;

    private BsonValue? Derivative(BsonDocument left, BsonDocument right, SortSpecInfo sortBy, PipelineContext context)
    {
        var leftTime = sortBy.FirstValue(left);
        var rightTime = sortBy.FirstValue(right);
        if (_unit is not null)
        {
            if (leftTime is not BsonDateTime || rightTime is not BsonDateTime)
                throw Errors.Location(5624900, "$derivative with 'unit' expects the sortBy field to be a Date");
        }
        else
        {
            if (leftTime is BsonDateTime || rightTime is BsonDateTime)
                throw Errors.Location(5624901, "$derivative where the sortBy is a Date requires an 'unit'");
            if (leftTime is null || rightTime is null || !leftTime.IsNumeric || !rightTime.IsNumeric)
                throw Errors.Location(5624902, "$derivative (with no 'unit') expects the sortBy field to be numeric");
        }
        var run = Arith("$subtract", rightTime, leftTime);
        var rise = Arith("$subtract", Eval(Input, right, context) ?? BsonNull.Value, Eval(Input, left, context) ?? BsonNull.Value);
        if (Nullish(rise)) throw Errors.Location(5624903, "$derivative input must not be null or missing");
        // A zero run (e.g. a one-document window) is not an error: the value is null.
        if (run.ToDouble() == 0) return BsonNull.Value;
        var slope = Arith("$divide", rise, run);
        return _unit is null ? slope : Arith("$multiply", slope, new BsonInt64(TimeUnits.Millis(_unit)!.Value));
    }

    private BsonValue? Integral(List<BsonDocument> partition, int lo, int count, SortSpecInfo sortBy, PipelineContext context)
    {
        if (count == 0) return BsonNull.Value;
        BsonValue total = new BsonInt32(0);
        BsonValue? prevX = null, prevY = null;
        var nan = false;
        for (var j = lo; j < lo + count; j++)
        {
            var x = sortBy.FirstValue(partition[j]);
            var y = Eval(Input, partition[j], context);
            if (y is null || !y.IsNumeric || x is null || !(x.IsNumeric || x is BsonDateTime))
                throw Errors.Location(5423900, "The input value of $integral window function must be a vector of 2 value, the first value must be numeric or date type and the second must be numeric.");
            if (_unit is not null && x is not BsonDateTime) throw Errors.Location(5423901, "$integral with 'outputUnit' expects the sortBy field to be a Date");
            if (_unit is null && !x.IsNumeric) throw Errors.Location(5423902, "$integral (with no 'outputUnit') expects the sortBy field to be numeric");
            nan |= Num.IsNaN(x) || Num.IsNaN(y);
            if (prevX is not null)
                total = Arith("$add", total, Arith("$divide", Arith("$multiply", Arith("$add", y, prevY!), Arith("$subtract", x, prevX)), new BsonDouble(2.0)));
            prevX = x;
            prevY = y;
        }
        if (nan) return new BsonDouble(double.NaN);
        return _unit is null ? total : Arith("$divide", total, new BsonInt64(TimeUnits.Millis(_unit)!.Value));
    }

    private BsonValue Covariance(List<BsonDocument> partition, int lo, int count, PipelineContext context)
    {
        var xs = new List<double>();
        var ys = new List<double>();
        for (var j = lo; j < lo + count; j++)
        {
            // Only [number, number] pairs count; anything else is skipped, as mongod's covariance does.
            if (Eval(Input, partition[j], context) is BsonArray { Count: 2 } pair && pair[0].IsNumeric && pair[1].IsNumeric)
            {
                xs.Add(pair[0].ToDouble());
                ys.Add(pair[1].ToDouble());
            }
        }
        var samp = Op == "$covarianceSamp";
        if (xs.Count == 0 || samp && xs.Count < 2) return BsonNull.Value;
        double mx = xs.Average(), my = ys.Average();
        var c = 0.0;
        for (var k = 0; k < xs.Count; k++) c += (xs[k] - mx) * (ys[k] - my);
        return new BsonDouble(c / (samp ? xs.Count - 1 : xs.Count));
    }
}
