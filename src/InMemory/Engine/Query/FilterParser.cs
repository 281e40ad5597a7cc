using Mongo.Bson;
using Mongo.InMemory.Engine.Collation;

namespace Mongo.InMemory.Engine.Query;

/// <summary>
/// Parses a query document into a <see cref="Filter"/>, with the server's validation and error codes. The collator
/// (null: simple) is bound into every comparison the filter makes ($eq, $in, $lt..., $expr); $regex ignores it, as on the server.
/// </summary>
internal static class FilterParser
{
    public static Filter Parse(BsonDocument? filter, IReadOnlyDictionary<string, BsonValue>? variables = null, Collator? collator = null)
    {
        if (filter is null || filter.ElementCount == 0) return Filter.All;
        var parsed = ParseDocument(filter, variables, collator, topLevel: true);
        TextFilter.FindIn(parsed);
        NearFilter.FindIn(parsed);
        return parsed;
    }

    // Set while an $elemMatch's object form is parsed: $text is refused there (parsing is synchronous, one per thread).
    [ThreadStatic]
    private static bool s_inElemMatch;

    public static bool IsDbRefField(string name) => name is "$ref" or "$id" or "$db";

    private static Filter ParseDocument(BsonDocument filter, IReadOnlyDictionary<string, BsonValue>? variables, Collator? collator, bool topLevel)
    {
        var list = new List<Filter>(filter.ElementCount);
        foreach (var (name, value) in filter)
        {
            if (name.StartsWith('$'))
            {
                switch (name)
                {
                    case "$and":
                    case "$or":
                    case "$nor":
                        {
                            if (value is not BsonArray arr || arr.Count == 0)
                                throw Errors.BadValue(name + " must be a nonempty array");
                            var children = new List<Filter>(arr.Count);
                            foreach (var item in arr)
                            {
                                if (item is not BsonDocument d) throw Errors.BadValue(name + " argument's entries must be objects");
                                children.Add(ParseDocument(d, variables, collator, topLevel: false));
                            }
                            list.Add(name switch
                            {
                                "$and" => new AndFilter(children),
                                "$or" => new OrFilter(children),
                                _ => new NorFilter(children),
                            });
                            break;
                        }
                    case "$expr":
                        Expressions.ExpressionEvaluator.Validate(value);
                        list.Add(new ExprFilter(value, variables, collator));
                        break;
                    case "$comment":
                        break;
                    case "$alwaysTrue":
                        list.Add(new ConstantFilter(true));
                        break;
                    case "$alwaysFalse":
                        list.Add(new ConstantFilter(false));
                        break;
                    case "$where":
                        throw Errors.Location(2, "$where is not supported by Mongo.InMemory (no JavaScript engine)");
                    case "$text":
                        // Only the query itself (and its $and/$or/$nor branches) may search text, not an $elemMatch.
                        if (!topLevel && s_inElemMatch) throw new Commands.CommandException(224, "QueryFeatureNotAllowed", "$text is not allowed in this context");
                        list.Add(TextFilter.Parse(value));
                        break;
                    case "$jsonSchema":
                        list.Add(new JsonSchema.JsonSchemaFilter(value));
                        break;
                    case "$sampleRate":
                        list.Add(ParseSampleRate(value));
                        break;
                    default:
                        throw Errors.BadValue("unknown top level operator: " + name +
                            ". If you have a field name that starts with a '$' symbol, consider using $getField or $setField.");
                }
                continue;
            }
            list.Add(ParseField(name, value, collator));
        }
        _ = topLevel;
        return list.Count == 1 ? list[0] : new AndFilter(list);
    }

    /// <summary>
    /// {$sampleRate: x}: each document kept with probability x, as mongod's rewrite to {$expr: {$lt: [{$rand: {}}, x]}}
    /// (0 and 1 become never and always). Top level only: not inside an $elemMatch.
    /// </summary>
    private static Filter ParseSampleRate(BsonValue value)
    {
        if (s_inElemMatch) throw Errors.BadValue("$sampleRate can only be applied to the top-level document");
        if (!value.IsNumeric) throw Errors.BadValue("argument to $sampleRate must be a numeric type");
        var x = value.ToDouble();
        if (!(x >= 0 && x <= 1)) throw Errors.BadValue("numeric argument to $sampleRate must be in [0, 1]");
        if (x == 0) return new ConstantFilter(false);
        if (x == 1) return new ConstantFilter(true);
        var lt = new BsonDocument("$lt", new BsonArray { new BsonDocument("$rand", new BsonDocument()), new BsonDouble(x) });
        return new ExprFilter(lt, null);
    }

    private static bool IsOperatorDocument(BsonValue value) =>
        value is BsonDocument d && d.ElementCount > 0 && d.GetElement(0).Name.StartsWith('$') && !IsDbRefField(d.GetElement(0).Name);

    private static Filter ParseField(string path, BsonValue value, Collator? collator)
    {
        if (IsOperatorDocument(value)) return ParseOperators(path, (BsonDocument)value, expand: true, collator);
        if (value is BsonRegularExpression re) return new PathFilter(path, new RegexPredicate(re.Pattern, re.Options));
        return new PathFilter(path, new EqPredicate(value, collator));
    }

    private static Filter ParseOperators(string path, BsonDocument ops, bool expand, Collator? collator)
    {
        // $near and $nearSphere take their $maxDistance/$minDistance as sibling operators.
        if (ops.Contains("$near") || ops.Contains("$nearSphere") || ops.Contains("$geoNear")) return NearFilter.Parse(path, ops);
        var list = new List<Filter>(ops.ElementCount);
        BsonValue? regex = null;
        string? regexOptions = null;
        foreach (var (op, operand) in ops)
        {
            switch (op)
            {
                case "$eq":
                    list.Add(new PathFilter(path, new EqPredicate(operand, collator), expand));
                    break;
                case "$ne":
                    if (operand is BsonRegularExpression) throw Errors.BadValue("Can't have regex as arg to $ne.");
                    list.Add(new NotFilter(new PathFilter(path, new EqPredicate(operand, collator), expand)));
                    break;
                case "$gt":
                case "$gte":
                case "$lt":
                case "$lte":
                    {
                        var cmp = op switch { "$gt" => CompareOp.Gt, "$gte" => CompareOp.Gte, "$lt" => CompareOp.Lt, _ => CompareOp.Lte };
                        list.Add(new PathFilter(path, new ComparePredicate(cmp, operand, collator), expand));
                        break;
                    }
                case "$in":
                    if (operand is not BsonArray inArr) throw Errors.BadValue("$in needs an array");
                    list.Add(new PathFilter(path, new InPredicate(inArr, collator), expand));
                    break;
                case "$nin":
                    if (operand is not BsonArray ninArr) throw Errors.BadValue("$nin needs an array");
                    list.Add(new NotFilter(new PathFilter(path, new InPredicate(ninArr, collator), expand)));
                    break;
                case "$exists":
                    {
                        Filter f = new PathFilter(path, ExistsPredicate.Instance, expand);
                        list.Add(operand.ToBoolean() ? f : new NotFilter(f));
                        break;
                    }
                case "$type":
                    list.Add(new PathFilter(path, ParseType(operand), expand));
                    break;
                case "$regex":
                    if (operand is not (BsonString or BsonRegularExpression)) throw Errors.BadValue("$regex has to be a string");
                    regex = operand;
                    break;
                case "$options":
                    if (operand is not BsonString optStr) throw Errors.BadValue("$options has to be a string");
                    regexOptions = optStr.Value;
                    break;
                case "$mod":
                    list.Add(new PathFilter(path, ParseMod(operand), expand));
                    break;
                case "$size":
                    list.Add(new PathFilter(path, ParseSize(operand), expand));
                    break;
                case "$all":
                    list.Add(ParseAll(path, operand, collator));
                    break;
                case "$elemMatch":
                    list.Add(new PathFilter(path, ParseElemMatch(operand, collator), expand));
                    break;
                case "$not":
                    if (operand is BsonRegularExpression nre)
                        list.Add(new NotFilter(new PathFilter(path, new RegexPredicate(nre.Pattern, nre.Options), expand)));
                    else if (operand is BsonDocument nd)
                    {
                        if (nd.ElementCount == 0) throw Errors.BadValue("$not cannot be empty");
                        if (!IsOperatorDocument(nd)) throw Errors.BadValue("unknown operator: " + nd.GetElement(0).Name);
                        list.Add(new NotFilter(ParseOperators(path, nd, expand, collator)));
                    }
                    else throw Errors.BadValue("$not needs a regex or a document");
                    break;
                case "$comment":
                    break;
                case "$geoWithin":
                case "$within":
                    list.Add(new PathFilter(path, GeoWithinPredicate.Parse(op, operand), expand));
                    break;
                case "$geoIntersects":
                    list.Add(new PathFilter(path, GeoIntersectsPredicate.Parse(operand), expand));
                    break;
                case "$bitsAllSet":
                case "$bitsAllClear":
                case "$bitsAnySet":
                case "$bitsAnyClear":
                    list.Add(new PathFilter(path, BitsPredicate.Parse(op, operand), expand));
                    break;
                default:
                    throw Errors.BadValue("unknown operator: " + op);
            }
        }
        if (regex is not null || regexOptions is not null)
        {
            if (regex is null) throw Errors.BadValue("$options needs a $regex");
            string pattern, options;
            if (regex is BsonRegularExpression r)
            {
                pattern = r.Pattern;
                if (regexOptions is not null && r.Options.Length > 0)
                    throw Errors.Location(51075, "options set in both $regex and $options");
                options = regexOptions ?? r.Options;
            }
            else
            {
                pattern = ((BsonString)regex).Value;
                options = regexOptions ?? "";
            }
            list.Add(new PathFilter(path, new RegexPredicate(pattern, options), expand));
        }
        return list.Count == 1 ? list[0] : new AndFilter(list);
    }

    private static Predicate ParseElemMatch(BsonValue operand, Collator? collator)
    {
        if (operand is not BsonDocument d) throw Errors.BadValue("$elemMatch needs an Object");
        if (d.ElementCount > 0)
        {
            var first = d.GetElement(0).Name;
            var valueForm = first.StartsWith('$') && first is not ("$and" or "$or" or "$nor" or "$expr" or "$where" or "$text" or "$comment" or "$alwaysTrue" or "$alwaysFalse" or "$sampleRate" or "$jsonSchema") && !IsDbRefField(first);
            if (valueForm) return new ElemMatchPredicate(ParseOperators("", d, expand: false, collator), valueForm: true);
        }
        var outer = s_inElemMatch;
        s_inElemMatch = true;
        try
        {
            return new ElemMatchPredicate(ParseDocument(d, null, collator, topLevel: false), valueForm: false);
        }
        finally
        {
            s_inElemMatch = outer;
        }
    }

    private static Filter ParseAll(string path, BsonValue operand, Collator? collator)
    {
        if (operand is not BsonArray arr) throw Errors.BadValue("$all needs an array");
        if (arr.Count == 0) return new ConstantFilter(false);
        var list = new List<Filter>(arr.Count);
        foreach (var item in arr)
        {
            if (item is BsonDocument d && d.ElementCount > 0 && d.GetElement(0).Name == "$elemMatch")
                list.Add(new PathFilter(path, ParseElemMatch(d[0], collator)));
            else if (IsOperatorDocument(item))
                throw Errors.BadValue("no $ expressions in $all");
            else if (item is BsonRegularExpression re)
                list.Add(new PathFilter(path, new RegexPredicate(re.Pattern, re.Options)));
            else
                list.Add(new PathFilter(path, new EqPredicate(item, collator)));
        }
        return list.Count == 1 ? list[0] : new AndFilter(list);
    }

    private static Predicate ParseMod(BsonValue operand)
    {
        if (operand is not BsonArray arr) throw Errors.BadValue("malformed mod, needs to be an array");
        if (arr.Count < 2) throw Errors.BadValue("malformed mod, not enough elements");
        if (arr.Count > 2) throw Errors.BadValue("malformed mod, too many elements");
        if (!arr[0].IsNumeric) throw Errors.BadValue("malformed mod, divisor not a number");
        if (!arr[1].IsNumeric) throw Errors.BadValue("malformed mod, remainder not a number");
        var divisor = TruncateToLong(arr[0]);
        if (divisor == 0) throw Errors.BadValue("divisor cannot be 0");
        return new ModPredicate(divisor, TruncateToLong(arr[1]));
    }

    private static long TruncateToLong(BsonValue v)
    {
        if (v.BsonType is BsonType.Int32 or BsonType.Int64) return v.ToInt64();
        var d = v.ToDouble();
        if (double.IsNaN(d) || double.IsInfinity(d) || d >= 9.2233720368547758E18 || d < -9.2233720368547758E18)
            throw Errors.BadValue("malformed mod, divisor value is invalid :: caused by :: Out of bounds coercing to integral value");
        return (long)Math.Truncate(d);
    }

    private static Predicate ParseSize(BsonValue operand)
    {
        if (!operand.IsNumeric) throw Errors.BadValue("$size needs a number");
        var d = operand.ToDouble();
        if (Math.Truncate(d) != d) throw Errors.BadValue("$size must be a whole number");
        if (d < 0) throw Errors.BadValue("$size may not be negative");
        return new SizePredicate((long)d);
    }

    private static Predicate ParseType(BsonValue operand)
    {
        var codes = new List<int>();
        var number = false;
        if (operand is BsonArray arr)
        {
            foreach (var item in arr) AddType(item, codes, ref number);
        }
        else AddType(operand, codes, ref number);
        return new TypePredicate(codes, number);
    }

    private static void AddType(BsonValue v, List<int> codes, ref bool number)
    {
        if (v is BsonString s)
        {
            if (s.Value == "number") { number = true; return; }
            var code = TypeCodeFromAlias(s.Value) ?? throw Errors.BadValue("Unknown type name alias: " + s.Value);
            codes.Add(code);
            return;
        }
        if (v.IsNumeric)
        {
            var d = v.ToDouble();
            var c = (int)d;
            if (c != d || !(c is -1 or 127 || c >= 1 && c <= 19))
                throw Errors.BadValue("Invalid numerical type code: " + Shell.Format(v));
            codes.Add(c);
            return;
        }
        throw Errors.TypeMismatch("type must be represented as a number or a string");
    }

    public static int? TypeCodeFromAlias(string alias) => alias switch
    {
        "double" => 1,
        "string" => 2,
        "object" => 3,
        "array" => 4,
        "binData" => 5,
        "undefined" => 6,
        "objectId" => 7,
        "bool" => 8,
        "date" => 9,
        "null" => 10,
        "regex" => 11,
        "dbPointer" => 12,
        "javascript" => 13,
        "symbol" => 14,
        "javascriptWithScope" => 15,
        "int" => 16,
        "timestamp" => 17,
        "long" => 18,
        "decimal" => 19,
        "minKey" => -1,
        "maxKey" => 127,
        _ => null,
    };
}
