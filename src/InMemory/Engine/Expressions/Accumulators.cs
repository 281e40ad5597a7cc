using Mongo.Bson;
using Mongo.InMemory.Engine.Collation;

namespace Mongo.InMemory.Engine.Expressions;

/// <summary>
/// One running accumulation ($firstN, $topN, $median...): fed one document at a time, then asked for its value.
/// $group creates one per group; a window operator can create one per window from the same <see cref="AccumulatorFactory"/>.
/// </summary>
internal abstract class Accumulator
{
    /// <summary>Feeds the document <paramref name="scope"/> is positioned on.</summary>
    public abstract void Add(ExprScope scope);

    public abstract BsonValue Finish();
}

/// <summary>A parsed accumulator specification that makes fresh <see cref="Accumulator"/>s.</summary>
internal sealed class AccumulatorFactory(Func<ExprScope, Accumulator> create)
{
    /// <summary>
    /// A new accumulator; <paramref name="nScope"/> is what 'n' is evaluated against (in $group a document holding only
    /// the group's _id, since mongod lets 'n' depend on the group key and nothing else).
    /// </summary>
    public Accumulator Create(ExprScope nScope) => create(nScope);
}

/// <summary>
/// The accumulators beyond $group's classic set: $firstN, $lastN, $maxN, $minN, $topN, $bottomN, $top, $bottom,
/// $median and $percentile, with mongod's argument checks, codes and messages (accumulator_multi.cpp,
/// accumulator_percentile.cpp).
/// </summary>
internal static class Accumulators
{
    /// <summary>Accumulator names this registry parses.</summary>
    public static readonly IReadOnlySet<string> Names = new HashSet<string>
    {
        "$firstN", "$lastN", "$maxN", "$minN", "$topN", "$bottomN", "$top", "$bottom", "$median", "$percentile",
    };

    /// <summary>Parses an accumulator specification (the value of <c>{op: value}</c>).</summary>
    public static AccumulatorFactory Parse(string op, BsonValue argument, Collator? collator)
    {
        switch (op)
        {
            case "$firstN":
            case "$lastN":
            case "$maxN":
            case "$minN":
                {
                    var (n, input) = ParseNInput(op, argument);
                    return new AccumulatorFactory(nScope =>
                    {
                        var count = ValidateN(ExpressionEvaluator.Evaluate(n, nScope));
                        return op switch
                        {
                            "$firstN" => new FirstN(input, count),
                            "$lastN" => new LastN(input, count),
                            _ => new MinMaxN(input, count, op == "$maxN" ? -1 : 1, collator),
                        };
                    });
                }
            case "$topN":
            case "$bottomN":
            case "$top":
            case "$bottom":
                {
                    var single = op is "$top" or "$bottom";
                    if (argument is not BsonDocument spec) throw Errors.Location(5788001, "specification must be an object; found " + Shell.Format(argument));
                    BsonValue? n = single ? new BsonInt32(1) : null, output = null;
                    BsonDocument? sortBy = null;
                    foreach (var (name, value) in spec)
                    {
                        if (name == "n" && !single) n = value;
                        else if (name == "output") output = value;
                        else if (name == "sortBy")
                            sortBy = value as BsonDocument ?? throw Errors.Location(5788002, "Unknown argument to " + op + " 'sortBy'");
                        else throw Errors.Location(5788002, "Unknown argument to " + op + " '" + name + "'");
                    }
                    if (n is null) throw Errors.Location(5788003, "Missing value for 'n'");
                    if (output is null) throw Errors.Location(5788004, "Missing value for 'output'");
                    if (sortBy is null) throw Errors.Location(5788005, "Missing value for 'sortBy'");
                    ExpressionEvaluator.Validate(output);
                    var sort = SortSpec.Parse(sortBy, collator);
                    var bottom = op is "$bottomN" or "$bottom";
                    return new AccumulatorFactory(nScope =>
                        new TopBottomN(output, sort, ValidateN(ExpressionEvaluator.Evaluate(n, nScope)), bottom, single));
                }
            case "$median":
            case "$percentile":
                {
                    var (input, ps) = ParseQuantile(op, argument, expression: false);
                    return new AccumulatorFactory(_ => new Quantile(input, ps, op == "$median"));
                }
            default:
                throw Errors.Location(15952, "unknown group operator '" + op + "'");
        }
    }

    /// <summary>
    /// The expression forms: $firstN/$lastN/$maxN/$minN over an array, $median/$percentile over an array or a number.
    /// </summary>
    public static BsonValue? EvaluateExpression(string op, BsonValue argument, ExprScope scope)
    {
        if (op is "$median" or "$percentile")
        {
            var (inputExpr, ps) = ParseQuantile(op, argument, expression: true);
            var input = ExpressionEvaluator.Evaluate(inputExpr, scope);
            var samples = new List<double>();
            if (input is not null && input.IsNumeric) samples.Add(input.ToDouble());
            else if (input is BsonArray arr)
                foreach (var item in arr)
                    if (item.IsNumeric) samples.Add(item.ToDouble());
            return Quantile.Format(samples, ps, op == "$median");
        }
        var factory = Parse(op, argument, scope.Collator);
        var (_, inputExpression) = ParseNInput(op, argument);
        var accumulator = factory.Create(scope);
        var values = ExpressionEvaluator.Evaluate(inputExpression, scope);
        if (values is not BsonArray items) throw Errors.Location(5788200, "Input must be an array");
        var feed = (IFeed)accumulator;
        foreach (var item in items) feed.AddValue(item);
        return accumulator.Finish();
    }

    private static (BsonValue N, BsonValue Input) ParseNInput(string op, BsonValue argument)
    {
        if (argument is not BsonDocument spec)
            throw Errors.Location(op is "$firstN" or "$lastN" ? 5787801 : 5787900, "specification must be an object; found " + Shell.Format(argument));
        BsonValue? n = null, input = null;
        foreach (var (name, value) in spec)
        {
            if (name == "input") input = value;
            else if (name == "n") n = value;
            else throw Errors.Location(5787901, "Unknown argument for 'n' operator: " + name);
        }
        if (n is null) throw Errors.Location(5787906, "Missing value for 'n'");
        if (input is null) throw Errors.Location(5787907, "Missing value for 'input'");
        ExpressionEvaluator.Validate(input);
        return (n, input);
    }

    private static long ValidateN(BsonValue? value)
    {
        var v = value ?? BsonNull.Value;
        if (!v.IsNumeric) throw Errors.Location(5787902, "Value for 'n' must be of integral type, but found " + Shell.Format(v));
        var d = v.ToDouble();
        if (Math.Truncate(d) != d || Math.Abs(d) > 9.2e18) throw Errors.Location(5787903, "Value for 'n' must be of integral type, but found " + Shell.Format(v));
        var n = (long)d;
        if (n <= 0) throw Errors.Location(5787908, "'n' must be greater than 0, found " + n);
        return n;
    }

    private static (BsonValue Input, double[] Ps) ParseQuantile(string op, BsonValue argument, bool expression)
    {
        var median = op == "$median";
        if (argument is not BsonDocument spec)
            throw Errors.Location(median ? (expression ? 7436201 : 7436100) : (expression ? 7436200 : 7429703),
                "specification must be an object; found " + Shell.Format(argument));
        BsonValue? input = null, p = null, method = null;
        foreach (var (name, value) in spec)
        {
            switch (name)
            {
                case "input": input = value; break;
                case "method": method = value; break;
                case "p" when !median: p = value; break;
                default: throw Errors.Location(40415, "BSON field '" + op + "." + name + "' is an unknown field.");
            }
        }
        if (input is null) throw Errors.Location(40414, "BSON field '" + op + ".input' is missing but a required field");
        if (!median && p is null) throw Errors.Location(40414, "BSON field '" + op + ".p' is missing but a required field");
        if (method is null) throw Errors.Location(40414, "BSON field '" + op + ".method' is missing but a required field");
        if (method is not BsonString ms)
            throw Errors.TypeMismatch("BSON field '" + op + ".method' is the wrong type '" + BsonOrder.TypeName(method) + "', expected type 'string'");
        if (ms.Value != "approximate") throw Errors.BadValue("Currently only 'approximate' can be used as percentile 'method'.");
        ExpressionEvaluator.Validate(input);
        if (median) return (input, [0.5]);
        // 'p' must be constant: a field path is refused, any other expression is folded against an empty document.
        if (p is BsonString { Value: ['$', ..] })
            throw Errors.Location(7750300, "The $percentile 'p' field must be an array of constant values, but found value: " + Shell.Format(p) + ".");
        var pValue = ExpressionEvaluator.Evaluate(p!, new ExprScope(new BsonDocument()));
        const string msg = "The $percentile 'p' field must be an array of numbers from [0.0, 1.0], but found: ";
        if (pValue is not BsonArray { Count: > 0 } list) throw Errors.Location(7750301, msg + Shell.Format(pValue));
        var ps = new double[list.Count];
        for (var i = 0; i < list.Count; i++)
        {
            if (!list[i].IsNumeric) throw Errors.Location(7750302, msg + Shell.Format(list[i]));
            ps[i] = list[i].ToDouble();
            if (ps[i] is < 0 or > 1) throw Errors.Location(7750303, msg + Shell.Format(list[i]));
        }
        return (input, ps);
    }

    /// <summary>The value-fed side of the N accumulators, which the array expressions use directly.</summary>
    private interface IFeed
    {
        void AddValue(BsonValue? value);
    }

    private abstract class InputAccumulator(BsonValue input) : Accumulator, IFeed
    {
        public override void Add(ExprScope scope) => AddValue(ExpressionEvaluator.Evaluate(input, scope));

        public abstract void AddValue(BsonValue? value);
    }

    private sealed class FirstN(BsonValue input, long n) : InputAccumulator(input)
    {
        private readonly BsonArray _values = new();

        public override void AddValue(BsonValue? value)
        {
            if (_values.Count < n) _values.Add(value ?? BsonNull.Value);
        }

        public override BsonValue Finish() => _values;
    }

    private sealed class LastN(BsonValue input, long n) : InputAccumulator(input)
    {
        private readonly Queue<BsonValue> _values = new();

        public override void AddValue(BsonValue? value)
        {
            if (_values.Count == n) _values.Dequeue();
            _values.Enqueue(value ?? BsonNull.Value);
        }

        public override BsonValue Finish() => new BsonArray(_values);
    }

    /// <summary>$minN (ascending) and $maxN (descending); null and missing are ignored.</summary>
    private sealed class MinMaxN(BsonValue input, long n, int direction, Collator? collator) : InputAccumulator(input)
    {
        private readonly List<BsonValue> _values = [];

        public override void AddValue(BsonValue? value)
        {
            if (value is null || value.BsonType is BsonType.Null or BsonType.Undefined) return;
            _values.Add(value);
        }

        public override BsonValue Finish()
        {
            var sorted = _values.Select((v, i) => (v, i)).ToList();
            sorted.Sort((a, b) =>
            {
                var c = direction * BsonOrder.Compare(a.v, b.v, collator);
                return c != 0 ? c : a.i.CompareTo(b.i);
            });
            return new BsonArray(sorted.Take((int)Math.Min(n, sorted.Count)).Select(x => x.v));
        }
    }

    /// <summary>$topN/$bottomN/$top/$bottom: the output of the first (last) n documents in sortBy order.</summary>
    private sealed class TopBottomN(BsonValue output, SortSpec sort, long n, bool bottom, bool single) : Accumulator
    {
        private readonly List<(BsonValue?[] Key, BsonValue Output)> _items = [];

        public override void Add(ExprScope scope) =>
            _items.Add((sort.KeyOf(scope.Current), ExpressionEvaluator.Evaluate(output, scope) ?? BsonNull.Value));

        public override BsonValue Finish()
        {
            var order = Enumerable.Range(0, _items.Count).ToArray();
            Array.Sort(order, (x, y) =>
            {
                var c = sort.CompareKeys(_items[x].Key, _items[y].Key);
                return c != 0 ? c : x.CompareTo(y);
            });
            var take = (int)Math.Min(n, order.Length);
            var chosen = bottom ? order.Skip(order.Length - take) : order.Take(take);
            if (single) return take == 0 ? BsonNull.Value : _items[chosen.First()].Output;
            return new BsonArray(chosen.Select(i => _items[i].Output));
        }
    }

    /// <summary>
    /// $percentile and $median, method 'approximate'. mongod answers the expression form with the discrete percentile
    /// and, for the data sizes a test uses, its t-digest gives the same values: the sample at rank ceil(p*n) (1-based).
    /// </summary>
    private sealed class Quantile(BsonValue input, double[] ps, bool median) : Accumulator
    {
        private readonly List<double> _samples = [];

        public override void Add(ExprScope scope)
        {
            var v = ExpressionEvaluator.Evaluate(input, scope);
            if (v is not null && v.IsNumeric) _samples.Add(v.ToDouble());
        }

        public override BsonValue Finish() => Format(_samples, ps, median);

        public static BsonValue Format(List<double> samples, double[] ps, bool median)
        {
            if (samples.Count == 0) return median ? BsonNull.Value : new BsonArray(ps.Select(_ => (BsonValue)BsonNull.Value));
            samples.Sort();
            var values = ps.Select(p =>
            {
                var rank = Math.Max(0, (int)Math.Ceiling(p * samples.Count) - 1);
                return (BsonValue)new BsonDouble(samples[Math.Min(rank, samples.Count - 1)]);
            }).ToList();
            return median ? values[0] : new BsonArray(values);
        }
    }
}
