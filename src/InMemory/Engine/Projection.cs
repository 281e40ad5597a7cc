using Mongo.Bson;
using Mongo.InMemory.Engine.Expressions;
using Mongo.InMemory.Engine.Query;

namespace Mongo.InMemory.Engine;

/// <summary>
/// A find or $project projection: inclusion or exclusion mode, computed fields, and (find only) the
/// <c>$slice</c>, <c>$elemMatch</c> and positional <c>$</c> operators.
/// </summary>
internal sealed class Projection
{
    private enum Kind
    {
        Nested,
        Include,
        Exclude,
        Computed,
        Slice,
        ElemMatch,
        Positional,

        /// <summary>{$meta: ...}: in find it joins an inclusion or an exclusion projection alike.</summary>
        Meta,
    }

    private sealed class Node
    {
        public Kind Kind = Kind.Nested;
        public readonly List<(string Name, Node Child)> Children = [];
        public BsonValue? Expression;
        public int SliceSkip;
        public int? SliceLimit;
        public Filter? ElemMatch;

        public Node? Find(string name)
        {
            foreach (var (n, c) in Children)
                if (n == name) return c;
            return null;
        }
    }

    private readonly Node _root = new();
    private readonly bool _inclusion;
    private readonly bool _excludeId;
    private readonly IReadOnlyDictionary<string, BsonValue>? _variables;

    public bool UsesPositional { get; private set; }

    /// <summary>The $meta names the projection reads (a text score needs a $text query).</summary>
    public List<string> MetaNames { get; } = [];

    private Projection(IReadOnlyDictionary<string, BsonValue>? variables, bool inclusion, bool excludeId)
    {
        _variables = variables;
        _inclusion = inclusion;
        _excludeId = excludeId;
    }

    public static Projection? Parse(BsonDocument? spec, bool isFind, IReadOnlyDictionary<string, BsonValue>? variables = null)
    {
        if (spec is null || spec.ElementCount == 0)
        {
            if (!isFind) throw Errors.Location(51272, "Invalid $project :: caused by :: projection specification must have at least one field");
            return null;
        }
        bool? inclusion = null;
        var excludeId = false;
        var flat = new List<(string Path, BsonValue Value)>();
        Flatten(spec, "", flat, isFind);
        foreach (var (path, value) in flat)
        {
            var kind = Classify(path, value, isFind);
            if (path == "_id" && kind is Kind.Include or Kind.Exclude)
            {
                excludeId = kind == Kind.Exclude;
                continue;
            }
            bool? wants = kind switch
            {
                Kind.Exclude => false,
                Kind.Slice => null,
                Kind.Meta => isFind ? null : true,
                _ => true,
            };
            if (wants is null) continue;
            if (inclusion is null) inclusion = wants;
            else if (inclusion != wants)
            {
                throw inclusion == true
                    ? Errors.Location(31254, "Cannot do exclusion on field " + path + " in inclusion projection")
                    : Errors.Location(31253, "Cannot do inclusion on field " + path + " in exclusion projection");
            }
        }
        // Only "_id" (or only $slice) given: _id: 0 alone is an exclusion projection, _id: 1 alone an inclusion one.
        var mode = inclusion ?? (flat.Exists(f => f.Path == "_id") && !excludeId && !flat.Exists(f => f.Path != "_id"));
        var p = new Projection(variables, mode, excludeId);
        foreach (var (path, value) in flat)
        {
            var kind = Classify(path, value, isFind);
            var cleanPath = kind == Kind.Positional ? path[..^2] : path;
            if (cleanPath == "_id" && kind is Kind.Include or Kind.Exclude) continue;
            p.Add(cleanPath, kind, value);
        }
        return p;
    }

    private static void Flatten(BsonDocument spec, string prefix, List<(string, BsonValue)> into, bool isFind)
    {
        foreach (var (name, value) in spec)
        {
            if (name.Length == 0) throw Errors.Location(40352, "FieldPath cannot be constructed with empty string");
            if (name.StartsWith('$') && !(isFind && name == "$")) throw Errors.Location(16410, "FieldPath field names may not start with '$'. Consider using $getField or $setField.");
            var path = prefix.Length == 0 ? name : prefix + "." + name;
            if (value is BsonDocument d && d.ElementCount > 0 && !d.GetElement(0).Name.StartsWith('$'))
                Flatten(d, path, into, isFind);
            else if (value is BsonDocument empty && empty.ElementCount == 0)
                throw Errors.Location(51270, "An empty sub-projection is not a valid value. Found empty object at path");
            else into.Add((path, value));
        }
    }

    private static Kind Classify(string path, BsonValue value, bool isFind)
    {
        if (isFind && path.EndsWith(".$", StringComparison.Ordinal)) return Kind.Positional;
        switch (value)
        {
            case BsonBoolean b: return b.Value ? Kind.Include : Kind.Exclude;
            case BsonInt32 or BsonInt64 or BsonDouble or BsonDecimal128: return value.ToDouble() == 0 ? Kind.Exclude : Kind.Include;
            case BsonDocument d when isFind && d.ElementCount == 1 && d.GetElement(0).Name == "$slice" && IsFindSlice(d[0]): return Kind.Slice;
            case BsonDocument d when isFind && d.ElementCount == 1 && d.GetElement(0).Name == "$elemMatch": return Kind.ElemMatch;
            case BsonDocument d when d.ElementCount == 1 && d.GetElement(0).Name == "$meta": return Kind.Meta;
            default: return Kind.Computed;
        }
    }

    private static bool IsFindSlice(BsonValue v) => v.IsNumeric || v is BsonArray a && a.Count == 2 && a[0].IsNumeric && a[1].IsNumeric;

    private void Add(string path, Kind kind, BsonValue value)
    {
        var parts = path.Split('.');
        var node = _root;
        for (var i = 0; i < parts.Length; i++)
        {
            var child = node.Find(parts[i]);
            var last = i == parts.Length - 1;
            if (child is null)
            {
                child = new Node();
                node.Children.Add((parts[i], child));
            }
            else if (last || child.Kind != Kind.Nested)
            {
                var collision = last ? path : string.Join('.', parts, 0, i + 1);
                throw Errors.Location(31250, "Path collision at " + collision);
            }
            node = child;
        }
        node.Kind = kind;
        switch (kind)
        {
            case Kind.Meta:
                MetaNames.Add(DocumentMetadata.ValidateName(((BsonDocument)value)[0]));
                node.Expression = value;
                break;
            case Kind.Computed:
                ExpressionEvaluator.Validate(value);
                node.Expression = value;
                break;
            case Kind.Slice:
                {
                    var s = ((BsonDocument)value)[0];
                    if (s is BsonArray a)
                    {
                        node.SliceSkip = a[0].ToInt32();
                        var limit = a[1].ToInt32();
                        if (limit <= 0) throw Errors.Location(28724, "Invalid $slice syntax: limit must be positive");
                        node.SliceLimit = limit;
                    }
                    else
                    {
                        var n = s.ToInt32();
                        if (n >= 0) { node.SliceSkip = 0; node.SliceLimit = n; }
                        else { node.SliceSkip = n; node.SliceLimit = null; }
                    }
                    break;
                }
            case Kind.ElemMatch:
                {
                    if (parts.Length > 1) throw Errors.Location(31275, "Cannot use $elemMatch projection on a nested field.");
                    var em = ((BsonDocument)value)[0];
                    if (em is not BsonDocument emd) throw Errors.BadValue("elemMatch: Invalid argument, object required.");
                    node.ElemMatch = FilterParser.Parse(new BsonDocument("x", new BsonDocument("$elemMatch", emd)));
                    break;
                }
            case Kind.Positional:
                UsesPositional = true;
                break;
        }
    }

    public BsonDocument Apply(BsonDocument source, MatchState? state = null)
    {
        var scope = new ExprScope(source, _variables);
        BsonDocument result;
        if (_inclusion)
        {
            result = Include(source, _root, scope, state, top: true);
            if (!_excludeId && source.TryGetValue("_id", out var id) && !result.Contains("_id"))
                result.InsertAt(0, new BsonElement("_id", id.DeepClone()));
        }
        else
        {
            result = Exclude(source, _root, state);
            if (_excludeId) result.Remove("_id");
            foreach (var (name, child) in _root.Children)
            {
                if (child.Kind != Kind.Meta) continue;
                var v = ExpressionEvaluator.Evaluate(child.Expression!, scope);
                if (v is not null) result.Set(name, v);
            }
        }
        return result;
    }

    private BsonDocument Include(BsonDocument source, Node node, ExprScope scope, MatchState? state, bool top)
    {
        var result = new BsonDocument();
        foreach (var (name, value) in source)
        {
            var child = node.Find(name);
            if (child is null) continue;
            switch (child.Kind)
            {
                case Kind.Include:
                    result.Add(name, value.DeepClone());
                    break;
                case Kind.Nested:
                    {
                        var projected = IncludeValue(value, child, scope, state);
                        if (projected is not null) result.Add(name, projected);
                        break;
                    }
                case Kind.Slice:
                    result.Add(name, Slice(value, child));
                    break;
                case Kind.ElemMatch:
                    if (value is BsonArray && child.ElemMatch!.Matches(new BsonDocument("x", value)))
                    {
                        var st = new MatchState();
                        child.ElemMatch.Matches(new BsonDocument("x", value), st);
                        result.Add(name, new BsonArray { ((BsonArray)value)[st.ArrayPosition].DeepClone() });
                    }
                    break;
                case Kind.Positional:
                    if (value is BsonArray pa)
                    {
                        var pos = state?.ArrayPosition ?? -1;
                        if (pos < 0 || pos >= pa.Count)
                            throw Errors.BadValue("Executor error during find command :: caused by :: positional operator '.$' couldn't find a matching element in the array");
                        result.Add(name, new BsonArray { pa[pos].DeepClone() });
                    }
                    else result.Add(name, value.DeepClone());
                    break;
            }
        }
        // Computed fields follow the included ones, in specification order.
        foreach (var (name, child) in node.Children)
        {
            if (child.Kind is Kind.Computed or Kind.Meta)
            {
                var v = ExpressionEvaluator.Evaluate(child.Expression!, scope);
                if (v is not null) result.Set(name, v.DeepClone());
            }
            else if (child.Kind == Kind.Nested && HasComputed(child) && !source.Contains(name))
            {
                var sub = Include(new BsonDocument(), child, scope, state, top: false);
                if (sub.ElementCount > 0) result.Set(name, sub);
            }
            else if (child.Kind == Kind.Nested && HasComputed(child) && source[name] is not (BsonDocument or BsonArray))
            {
                result.Set(name, Include(new BsonDocument(), child, scope, state, top: false));
            }
        }
        _ = top;
        return result;
    }

    private static bool HasComputed(Node node)
    {
        foreach (var (_, c) in node.Children)
            if (c.Kind is Kind.Computed or Kind.Meta || c.Kind == Kind.Nested && HasComputed(c)) return true;
        return false;
    }

    private BsonValue? IncludeValue(BsonValue value, Node node, ExprScope scope, MatchState? state)
    {
        switch (value)
        {
            case BsonDocument d:
                return Include(d, node, scope, state, top: false);
            case BsonArray a:
                {
                    var result = new BsonArray();
                    foreach (var e in a)
                    {
                        if (e is BsonDocument or BsonArray)
                        {
                            var p = IncludeValue(e, node, scope, state);
                            if (p is not null) result.Add(p);
                        }
                        else if (HasComputed(node)) result.Add(Include(new BsonDocument(), node, scope, state, top: false));
                    }
                    return result;
                }
            default:
                return null;
        }
    }

    private static BsonDocument Exclude(BsonDocument source, Node node, MatchState? state)
    {
        var result = new BsonDocument();
        foreach (var (name, value) in source)
        {
            var child = node.Find(name);
            if (child is null)
            {
                result.Add(name, value.DeepClone());
                continue;
            }
            switch (child.Kind)
            {
                case Kind.Exclude:
                    break;
                case Kind.Slice:
                    result.Add(name, Slice(value, child));
                    break;
                case Kind.Nested:
                    result.Add(name, ExcludeValue(value, child, state));
                    break;
                default:
                    result.Add(name, value.DeepClone());
                    break;
            }
        }
        return result;
    }

    private static BsonValue ExcludeValue(BsonValue value, Node node, MatchState? state)
    {
        switch (value)
        {
            case BsonDocument d:
                return Exclude(d, node, state);
            case BsonArray a:
                {
                    var result = new BsonArray();
                    foreach (var e in a) result.Add(ExcludeValue(e, node, state));
                    return result;
                }
            default:
                return value.DeepClone();
        }
    }

    private static BsonValue Slice(BsonValue value, Node node)
    {
        if (value is not BsonArray a) return value.DeepClone();
        int start;
        int count;
        if (node.SliceLimit is null)
        {
            start = Math.Max(0, a.Count + node.SliceSkip);
            count = a.Count - start;
        }
        else
        {
            start = node.SliceSkip >= 0 ? Math.Min(node.SliceSkip, a.Count) : Math.Max(0, a.Count + node.SliceSkip);
            count = Math.Min(node.SliceLimit.Value, a.Count - start);
        }
        var result = new BsonArray();
        for (var i = start; i < start + count; i++) result.Add(a[i].DeepClone());
        return result;
    }
}
