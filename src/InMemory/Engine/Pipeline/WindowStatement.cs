using Mongo.Bson;
using Mongo.InMemory.Engine.Expressions;

namespace Mongo.InMemory.Engine.Pipeline;

/// <summary>One $setWindowFields output field: its window function, input, window bounds and function-specific options.</summary>
internal sealed partial class WindowStatement
{
    private WindowStatement(string field, string op, BsonValue input, WindowBounds bounds)
    {
        Field = field;
        Op = op;
        Input = input;
        Bounds = bounds;
    }

    public string Field { get; }

    public string Op { get; }

    /// <summary>The function's argument as written (an expression, or the argument document of $shift/$derivative/...).</summary>
    public BsonValue Input { get; }

    public WindowBounds Bounds { get; }

    private int _shiftBy;
    private BsonValue _shiftDefault = BsonNull.Value;
    private decimal _alpha;
    private string? _unit;
    private SortSpecInfo? _sortBy;

    public static WindowStatement Parse(string field, BsonDocument fd, SortSpecInfo? sortBy, PipelineContext context)
    {
        string? op = null;
        foreach (var e in fd)
        {
            if (!e.Name.StartsWith('$')) continue;
            if (!AggregationPipeline.IsWindowFunction(e.Name)) throw Errors.FailedToParse("Unrecognized window function, " + e.Name);
            op = e.Name;
            break;
        }
        if (op is null)
            throw Errors.FailedToParse("Expected a $-prefixed window function" + (fd.ElementCount == 0 || fd.GetElement(0).Name.Length == 0 ? "" : ", " + fd.GetElement(0).Name));
        var statement = op switch
        {
            "$rank" or "$denseRank" or "$documentNumber" => ParseRank(field, op, fd, sortBy),
            "$shift" => ParseShift(field, fd, sortBy, context),
            "$derivative" or "$integral" => ParseWithUnit(field, op, fd, sortBy, context),
            "$expMovingAvg" => ParseExpMovingAvg(field, fd, sortBy),
            "$linearFill" or "$locf" => ParseNoWindow(field, op, fd, sortBy),
            "$first" or "$last" => ParseFirstLast(field, op, fd, sortBy, context),
            _ => ParseGeneric(field, fd, sortBy, context),
        };
        statement._sortBy = sortBy;
        return statement;
    }

    private static WindowStatement ParseGeneric(string field, BsonDocument fd, SortSpecInfo? sortBy, PipelineContext context)
    {
        string? op = null;
        BsonValue? input = null;
        var bounds = WindowBounds.AllDocuments;
        foreach (var (name, arg) in fd)
        {
            if (name == "window") bounds = WindowBounds.Parse(arg, sortBy, context);
            else if (AggregationPipeline.IsWindowFunction(name))
            {
                if (op is not null) throw Errors.FailedToParse("Cannot specify two functions in window function spec");
                op = name;
                input = arg;
            }
            else throw Errors.FailedToParse("Window function found an unknown argument: " + name);
        }
        ExpressionEvaluator.Validate(input!);
        // The $group parser checks the accumulator's own argument rules (e.g. $count: {}) before any document is read.
        if (op is not ("$covariancePop" or "$covarianceSamp")) AggregationPipeline.ValidateAccumulator(op!, input!, context);
        return new WindowStatement(field, op!, input!, bounds);
    }

    private static WindowStatement ParseFirstLast(string field, string op, BsonDocument fd, SortSpecInfo? sortBy, PipelineContext context)
    {
        BsonValue? input = null;
        WindowBounds? bounds = null;
        foreach (var (name, arg) in fd)
        {
            if (name == "window")
            {
                if (bounds is not null) throw Errors.FailedToParse("saw multiple 'window' fields in '" + op + "' expression");
                bounds = WindowBounds.Parse(arg, sortBy, context);
            }
            else if (name == op) input = arg;
            else throw Errors.FailedToParse(op + " got unexpected argument: " + name);
        }
        ExpressionEvaluator.Validate(input!);
        return new WindowStatement(field, op, input!, bounds ?? WindowBounds.AllDocuments);
    }

    private static WindowStatement ParseRank(string field, string op, BsonDocument fd, SortSpecInfo? sortBy)
    {
        if (fd.ElementCount != 1) throw Errors.Location(5371601, "Rank style window functions take no other arguments");
        if (fd[0] is not BsonDocument { ElementCount: 0 }) throw Errors.Location(5371603, op + " must be specified with '{}' as the value");
        if (sortBy is null || sortBy.FieldCount != 1)
            throw Errors.Location(5371602, op + " must be specified with a top level sortBy expression with exactly one element");
        return new WindowStatement(field, op, fd[0], WindowBounds.UpToCurrent);
    }

    private static WindowStatement ParseShift(string field, BsonDocument fd, SortSpecInfo? sortBy, PipelineContext context)
    {
        BsonDocument? args = null;
        foreach (var (name, arg) in fd)
        {
            if (name == "window") throw Errors.FailedToParse("$shift does not accept a 'window' field");
            if (AggregationPipeline.IsWindowFunction(name))
            {
                if (args is not null) throw Errors.FailedToParse("Cannot specify multiple functions in window function spec");
                args = arg as BsonDocument ?? throw Errors.FailedToParse("Argument to $shift must be an object");
            }
            else throw Errors.FailedToParse("Window function found an unknown argument: " + name);
        }
        BsonValue? output = null;
        BsonValue defaultValue = BsonNull.Value;
        int? by = null;
        foreach (var (name, arg) in args!)
        {
            switch (name)
            {
                case "output":
                    ExpressionEvaluator.Validate(arg);
                    output = arg;
                    break;
                case "default":
                    defaultValue = AggregationPipeline.ConstantOf(arg, context) ?? throw Errors.FailedToParse("'$shift:default' expression must yield a constant value.");
                    break;
                case "by":
                    if (!arg.IsNumeric || Math.Truncate(arg.ToDouble()) != arg.ToDouble() || arg.ToDouble() is < int.MinValue or > int.MaxValue)
                        throw Errors.FailedToParse("'$shift:by' field must be an integer, but found  by: " + Shell.Format(arg));
                    by = (int)arg.ToDouble();
                    break;
                default:
                    throw Errors.FailedToParse("Unknown argument in $shift");
            }
        }
        if (output is null) throw Errors.FailedToParse("$shift requires an 'output' expression.");
        if (by is null) throw Errors.FailedToParse("$shift requires 'by' as an integer value.");
        if (sortBy is null) throw Errors.FailedToParse("'$shift' requires a sortBy");
        return new WindowStatement(field, "$shift", output, WindowBounds.AllDocuments) { _shiftBy = by.Value, _shiftDefault = defaultValue };
    }

    private static WindowStatement ParseWithUnit(string field, string op, BsonDocument fd, SortSpecInfo? sortBy, PipelineContext context)
    {
        if (sortBy is null) throw Errors.FailedToParse(op + " requires a sortBy");
        if (sortBy.FieldCount != 1) throw Errors.FailedToParse(op + " requires a non-compound sortBy");
        WindowBounds? bounds = null;
        BsonValue? argsValue = null;
        foreach (var (name, arg) in fd)
        {
            if (name == "window")
            {
                if (bounds is not null && op == "$integral") throw Errors.FailedToParse("There can be only one 'window' field for $integral");
                bounds = WindowBounds.Parse(arg, sortBy, context);
            }
            else if (name == op) argsValue = arg;
            else throw Errors.FailedToParse(op + " got unexpected argument: " + name);
        }
        if (argsValue is not BsonDocument args)
            throw Errors.FailedToParse(op + " expects an object, but got a " + BsonOrder.TypeName(argsValue) + ": " + op + ": " + Shell.Format(argsValue));
        BsonValue? input = null;
        string? unit = null;
        foreach (var (name, arg) in args)
        {
            switch (name)
            {
                case "input":
                    ExpressionEvaluator.Validate(arg);
                    input = arg;
                    break;
                case "unit":
                    if (unit is not null && op == "$integral") throw Errors.FailedToParse("There can be only one 'unit' field for $integral");
                    if (arg is not BsonString us) throw Errors.FailedToParse("unit' must be a string, but got " + BsonOrder.TypeName(arg));
                    unit = TimeUnits.Parse(us.Value);
                    if (unit is "year" or "quarter" or "month") throw Errors.Location(5490710, "unit must be 'week' or smaller");
                    break;
                default:
                    throw Errors.FailedToParse(op + " got unexpected argument: " + name);
            }
        }
        if (input is null) throw Errors.FailedToParse(op + " requires an 'input' expression");
        if (op == "$derivative" && bounds is null) throw Errors.FailedToParse("$derivative requires explicit window bounds");
        return new WindowStatement(field, op, input, bounds ?? WindowBounds.AllDocuments) { _unit = unit };
    }

    private static WindowStatement ParseExpMovingAvg(string field, BsonDocument fd, SortSpecInfo? sortBy)
    {
        if (fd.ElementCount != 1 || fd.GetElement(0).Name != "$expMovingAvg" || fd[0] is not BsonDocument args)
            throw Errors.FailedToParse("$expMovingAvg must have exactly one argument that is an object");
        if (args.ElementCount != 2 || !args.Contains("input"))
            throw Errors.FailedToParse("$expMovingAvg sub object must have exactly two fields: An 'input' field, and either an 'N' field or an 'alpha' field");
        if (sortBy is null) throw Errors.FailedToParse("$expMovingAvg requires an explicit 'sortBy'");
        var input = args["input"];
        ExpressionEvaluator.Validate(input);
        decimal alpha;
        if (args.TryGetValue("N", out var n))
        {
            if (!n.IsNumeric) throw Errors.FailedToParse("'N' field must be an integer, but found type " + BsonOrder.TypeName(n));
            if (Math.Floor(n.ToDouble()) != n.ToDouble())
                throw Errors.FailedToParse("'N' field must be an integer, but found  N: " + Shell.Format(n) + ". To use a non-integer, use the 'alpha' argument instead");
            var count = (long)n.ToDouble();
            if (count <= 0) throw Errors.FailedToParse("'N' must be greater than zero. Got " + count);
            alpha = 2m / (count + 1);
        }
        else if (args.TryGetValue("alpha", out var a))
        {
            if (!a.IsNumeric) throw Errors.FailedToParse("'alpha' must be a number");
            var d = a.ToDouble();
            if (!(d > 0 && d < 1)) throw Errors.FailedToParse("'alpha' must be between 0 and 1 (exclusive), found alpha: " + Shell.Format(a));
            alpha = a.BsonType == BsonType.Decimal128 ? a.ToDecimal128().ToDecimal() : (decimal)d;
        }
        else
        {
            throw Errors.FailedToParse("Got unrecognized field in $expMovingAvg$expMovingAvg sub object must have exactly two fields: An 'input' field, and either an 'N' field or an 'alpha' field");
        }
        return new WindowStatement(field, "$expMovingAvg", input, WindowBounds.UpToCurrent) { _alpha = alpha };
    }

    private static WindowStatement ParseNoWindow(string field, string op, BsonDocument fd, SortSpecInfo? sortBy)
    {
        BsonValue? input = null;
        var windowSeen = false;
        foreach (var (name, arg) in fd)
        {
            if (name == "window") windowSeen = true;
            else if (AggregationPipeline.IsWindowFunction(name))
            {
                if (input is not null) throw Errors.FailedToParse("Cannot specify two functions in window function spec");
                input = arg;
            }
            else throw Errors.FailedToParse("Window function found an unknown argument: " + name);
        }
        if (windowSeen) throw Errors.FailedToParse("'window' field is not allowed in " + op);
        if (op == "$linearFill" && (sortBy is null || sortBy.FieldCount != 1))
            throw Errors.Location(605001, op + " must be specified with a top level sortBy expression with exactly one element");
        ExpressionEvaluator.Validate(input!);
        return new WindowStatement(field, op, input!, WindowBounds.UpToCurrent);
    }
}
