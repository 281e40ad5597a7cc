using Mongo.Bson;

namespace Mongo.Driver;

/// <summary>
/// Concise filter builders that render to the same documents you would write by hand:
/// <c>Filter.Eq("x", 10) &amp; Filter.Gt("y", 3)</c> is <c>{x: 10, y: {$gt: 3}}</c>.
/// </summary>
public static class Filter
{
    /// <summary>Matches every document: <c>{}</c>.</summary>
    public static FilterDefinition Empty => FilterDefinition.Empty;

    /// <summary><c>{field: value}</c>.</summary>
    public static FilterDefinition Eq(string field, BsonValue value) => new(new BsonDocument(CheckField(field), value));

    /// <summary><c>{field: {$ne: value}}</c>.</summary>
    public static FilterDefinition Ne(string field, BsonValue value) => Op(field, "$ne", value);

    /// <summary><c>{field: {$gt: value}}</c>.</summary>
    public static FilterDefinition Gt(string field, BsonValue value) => Op(field, "$gt", value);

    /// <summary><c>{field: {$gte: value}}</c>.</summary>
    public static FilterDefinition Gte(string field, BsonValue value) => Op(field, "$gte", value);

    /// <summary><c>{field: {$lt: value}}</c>.</summary>
    public static FilterDefinition Lt(string field, BsonValue value) => Op(field, "$lt", value);

    /// <summary><c>{field: {$lte: value}}</c>.</summary>
    public static FilterDefinition Lte(string field, BsonValue value) => Op(field, "$lte", value);

    /// <summary><c>{field: {$in: [values]}}</c>.</summary>
    public static FilterDefinition In(string field, IEnumerable<BsonValue> values) => Op(field, "$in", new BsonArray(values));

    /// <summary><c>{field: {$in: [values]}}</c>.</summary>
    public static FilterDefinition In(string field, params BsonValue[] values) => Op(field, "$in", new BsonArray(values));

    /// <summary><c>{field: {$nin: [values]}}</c>.</summary>
    public static FilterDefinition Nin(string field, IEnumerable<BsonValue> values) => Op(field, "$nin", new BsonArray(values));

    /// <summary><c>{field: {$nin: [values]}}</c>.</summary>
    public static FilterDefinition Nin(string field, params BsonValue[] values) => Op(field, "$nin", new BsonArray(values));

    /// <summary><c>{field: {$all: [values]}}</c>.</summary>
    public static FilterDefinition All(string field, IEnumerable<BsonValue> values) => Op(field, "$all", new BsonArray(values));

    /// <summary><c>{field: {$exists: exists}}</c>.</summary>
    public static FilterDefinition Exists(string field, bool exists = true) => Op(field, "$exists", exists);

    /// <summary><c>{field: {$type: type}}</c> with the type's number.</summary>
    public static FilterDefinition Type(string field, BsonType type) => Op(field, "$type", (int)type);

    /// <summary><c>{field: {$type: alias}}</c>, e.g. <c>"string"</c> or <c>"number"</c>.</summary>
    public static FilterDefinition Type(string field, string alias) => Op(field, "$type", alias);

    /// <summary><c>{field: {$size: size}}</c>.</summary>
    public static FilterDefinition Size(string field, int size) => Op(field, "$size", size);

    /// <summary><c>{field: {$mod: [divisor, remainder]}}</c>.</summary>
    public static FilterDefinition Mod(string field, long divisor, long remainder) => Op(field, "$mod", new BsonArray { divisor, remainder });

    /// <summary><c>{field: /pattern/options}</c>.</summary>
    public static FilterDefinition Regex(string field, string pattern, string options = "") =>
        new(new BsonDocument(CheckField(field), new BsonRegularExpression(pattern, options)));

    /// <summary><c>{field: {$elemMatch: filter}}</c>.</summary>
    public static FilterDefinition ElemMatch(string field, FilterDefinition filter)
    {
        CheckField(field);
        ArgumentNullException.ThrowIfNull(filter);
        return FilterDefinition.Compose([filter], parts => new BsonDocument(field, new BsonDocument("$elemMatch", parts[0])));
    }

    /// <summary><c>{$text: {$search: search}}</c>, optionally with a language.</summary>
    public static FilterDefinition Text(string search, string? language = null)
    {
        var text = new BsonDocument("$search", search);
        if (language is not null)
        {
            text.Add("$language", language);
        }

        return new(new BsonDocument("$text", text));
    }

    /// <summary><c>{$expr: expression}</c>.</summary>
    public static FilterDefinition Expr(BsonValue expression) => new(new BsonDocument("$expr", expression));

    /// <summary>All filters must match. Plain, distinct fields merge into one document; otherwise <c>$and</c>.</summary>
    public static FilterDefinition And(params FilterDefinition[] filters) => And((IEnumerable<FilterDefinition>)filters);

    /// <summary>All filters must match. Plain, distinct fields merge into one document; otherwise <c>$and</c>.</summary>
    public static FilterDefinition And(IEnumerable<FilterDefinition> filters)
    {
        ArgumentNullException.ThrowIfNull(filters);
        var list = filters.ToList();
        list.ForEach(f => ArgumentNullException.ThrowIfNull(f));
        return FilterDefinition.Compose(list, AndDocuments);
    }

    internal static BsonDocument AndDocuments(IEnumerable<BsonDocument> documents)
    {
        var clauses = new List<BsonDocument>();
        foreach (var document in documents)
        {
            if (document.ElementCount == 1 && document.GetElement(0).Name == "$and" && document[0] is BsonArray nested)
            {
                foreach (var item in nested)
                {
                    clauses.Add(item.AsDocument);
                }
            }
            else if (document.ElementCount > 0)
            {
                clauses.Add(document);
            }
        }

        if (clauses.Count == 0)
        {
            return [];
        }

        if (clauses.Count == 1)
        {
            return clauses[0];
        }

        // Merge when no field repeats and no clause uses a top-level operator: the server treats the
        // fields of one document as an implicit AND, and the merged form is what users write by hand.
        var merged = new BsonDocument();
        foreach (var clause in clauses)
        {
            foreach (var element in clause)
            {
                if (element.Name.StartsWith('$') || merged.Contains(element.Name))
                {
                    return new BsonDocument("$and", new BsonArray(clauses));
                }

                merged.Add(element.Name, element.Value);
            }
        }

        return merged;
    }

    /// <summary>Any filter must match: <c>{$or: [...]}</c> (nested <c>$or</c>s are flattened).</summary>
    public static FilterDefinition Or(params FilterDefinition[] filters) => Or((IEnumerable<FilterDefinition>)filters);

    /// <summary>Any filter must match: <c>{$or: [...]}</c> (nested <c>$or</c>s are flattened).</summary>
    public static FilterDefinition Or(IEnumerable<FilterDefinition> filters)
    {
        ArgumentNullException.ThrowIfNull(filters);
        var list = filters.ToList();
        list.ForEach(f => ArgumentNullException.ThrowIfNull(f));
        return FilterDefinition.Compose(list, OrDocuments);
    }

    internal static BsonDocument OrDocuments(IEnumerable<BsonDocument> documents)
    {
        var clauses = new BsonArray();
        foreach (var document in documents)
        {
            if (document.ElementCount == 1 && document.GetElement(0).Name == "$or" && document[0] is BsonArray nested)
            {
                clauses.AddRange(nested);
            }
            else
            {
                clauses.Add(document);
            }
        }

        return clauses.Count == 1 ? clauses[0].AsDocument : new BsonDocument("$or", clauses);
    }

    /// <summary>None of the filters may match: <c>{$nor: [...]}</c>.</summary>
    public static FilterDefinition Nor(params FilterDefinition[] filters)
    {
        ArgumentNullException.ThrowIfNull(filters);
        Array.ForEach(filters, f => ArgumentNullException.ThrowIfNull(f));
        return FilterDefinition.Compose(filters, parts => new BsonDocument("$nor", new BsonArray(parts)));
    }

    /// <summary>
    /// The negation of a filter. One field with a plain value becomes <c>$ne</c>; one field with operators becomes
    /// <c>$not</c>; anything else becomes <c>$nor</c>.
    /// </summary>
    public static FilterDefinition Not(FilterDefinition filter)
    {
        ArgumentNullException.ThrowIfNull(filter);
        return FilterDefinition.Compose([filter], parts => NotDocument(parts[0]));
    }

    internal static BsonDocument NotDocument(BsonDocument document)
    {
        if (document.ElementCount == 1)
        {
            var element = document.GetElement(0);
            if (!element.Name.StartsWith('$'))
            {
                if (element.Value is BsonDocument operators && operators.ElementCount > 0 && operators.GetElement(0).Name.StartsWith('$'))
                {
                    if (operators.ElementCount == 1 && operators.GetElement(0).Name == "$ne")
                    {
                        return new BsonDocument(element.Name, operators[0]);
                    }

                    return OpDocument(element.Name, "$not", operators);
                }

                return element.Value is BsonRegularExpression ? OpDocument(element.Name, "$not", element.Value) : OpDocument(element.Name, "$ne", element.Value);
            }
        }

        return new BsonDocument("$nor", new BsonArray { document });
    }

    private static FilterDefinition Op(string field, string op, BsonValue value) => new(OpDocument(CheckField(field), op, value));

    internal static BsonDocument OpDocument(string field, string op, BsonValue value) =>
        new(field, new BsonDocument(op, value ?? BsonNull.Value));

    internal static string CheckField(string field) =>
        string.IsNullOrEmpty(field) ? throw new ArgumentException("A field name must not be null or empty.", nameof(field)) : field;
}
