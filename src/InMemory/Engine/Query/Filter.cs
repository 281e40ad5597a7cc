using Mongo.Bson;
using Mongo.InMemory.Engine.Collation;
using Mongo.InMemory.Engine.Expressions;

namespace Mongo.InMemory.Engine.Query;

/// <summary>Records where a match happened (the array index the positional <c>$</c> operator refers to).</summary>
internal sealed class MatchState
{
    public int ArrayPosition { get; set; } = -1;

    public void Record(int position)
    {
        if (position >= 0 && ArrayPosition < 0) ArrayPosition = position;
    }
}

/// <summary>A parsed query filter (the server's MatchExpression tree).</summary>
internal abstract class Filter
{
    public static readonly Filter All = new ConstantFilter(true);

    public abstract bool Matches(BsonValue root, MatchState? state = null);

    /// <summary>Top-level equality conditions on plain paths (used to seed upserted documents and index lookups).</summary>
    public virtual void CollectEqualities(List<(string Path, BsonValue Value)> into)
    {
    }
}

internal sealed class ConstantFilter(bool value) : Filter
{
    public override bool Matches(BsonValue root, MatchState? state = null) => value;
}

internal sealed class AndFilter(List<Filter> children) : Filter
{
    public IReadOnlyList<Filter> Children => children;

    public override bool Matches(BsonValue root, MatchState? state = null)
    {
        foreach (var c in children)
            if (!c.Matches(root, state)) return false;
        return true;
    }

    public override void CollectEqualities(List<(string Path, BsonValue Value)> into)
    {
        foreach (var c in children) c.CollectEqualities(into);
    }
}

internal sealed class OrFilter(List<Filter> children) : Filter
{
    public IReadOnlyList<Filter> Children => children;

    public override bool Matches(BsonValue root, MatchState? state = null)
    {
        foreach (var c in children)
            if (c.Matches(root, state)) return true;
        return false;
    }

    public override void CollectEqualities(List<(string Path, BsonValue Value)> into)
    {
        // A single-branch $or behaves like its branch for upsert seeding.
        if (children.Count == 1) children[0].CollectEqualities(into);
    }
}

internal sealed class NorFilter(List<Filter> children) : Filter
{
    public IReadOnlyList<Filter> Children => children;

    public override bool Matches(BsonValue root, MatchState? state = null)
    {
        foreach (var c in children)
            if (c.Matches(root)) return false;
        return true;
    }
}

internal sealed class NotFilter(Filter child) : Filter
{
    public override bool Matches(BsonValue root, MatchState? state = null) => !child.Matches(root);
}

internal sealed class ExprFilter(BsonValue expression, IReadOnlyDictionary<string, BsonValue>? variables, Collator? collator = null) : Filter
{
    public override bool Matches(BsonValue root, MatchState? state = null)
    {
        var scope = new ExprScope(root as BsonDocument ?? new BsonDocument(), variables, collator);
        var result = ExpressionEvaluator.Evaluate(expression, scope);
        return result is not null && result.ToBoolean();
    }
}

/// <summary>A predicate applied to the values a dotted path reaches, with the server's implicit array traversal.</summary>
internal sealed class PathFilter : Filter
{
    private readonly string[] _parts;
    private readonly Predicate _predicate;
    private readonly bool _expand;

    public PathFilter(string path, Predicate predicate, bool expand = true)
    {
        Path = path;
        _parts = path.Length == 0 ? [] : path.Split('.');
        _predicate = predicate;
        _expand = expand;
    }

    public string Path { get; }

    public Predicate Predicate => _predicate;

    /// <summary>Whether the predicate is also tried on array elements (false inside a value-form $elemMatch).</summary>
    public bool Expands => _expand;

    public override bool Matches(BsonValue root, MatchState? state = null) => MatchAt(root, 0, state, -1);

    public override void CollectEqualities(List<(string Path, BsonValue Value)> into)
    {
        if (_predicate is EqPredicate eq && _parts.Length > 0) into.Add((Path, eq.Value));
    }

    private bool MatchAt(BsonValue? current, int i, MatchState? state, int position)
    {
        if (i == _parts.Length) return MatchLeaf(current, state, position);
        switch (current)
        {
            case BsonDocument doc:
                return MatchAt(doc.TryGetValue(_parts[i], out var v) ? v : null, i + 1, state, position);
            case BsonArray array:
                {
                    var produced = false;
                    if (FieldPath.TryParseIndex(_parts[i], out var index))
                    {
                        if (index < array.Count)
                        {
                            produced = true;
                            if (MatchAt(array[index], i + 1, state, position)) return true;
                        }
                    }
                    for (var k = 0; k < array.Count; k++)
                    {
                        if (array[k] is BsonDocument element)
                        {
                            produced = true;
                            if (MatchAt(element, i, state, position < 0 ? k : position)) return true;
                        }
                    }
                    return !produced && MatchLeaf(null, state, position);
                }
            default:
                return MatchLeaf(null, state, position);
        }
    }

    private bool MatchLeaf(BsonValue? value, MatchState? state, int position)
    {
        if (_predicate is ElemMatchPredicate elemMatch)
        {
            if (value is BsonArray arr && elemMatch.Find(arr, out var k))
            {
                state?.Record(position < 0 ? k : position);
                return true;
            }
            return false;
        }
        if (_predicate.Test(value))
        {
            state?.Record(position);
            return true;
        }
        if (_expand && _predicate.ExpandArrays && value is BsonArray array)
        {
            for (var k = 0; k < array.Count; k++)
            {
                if (_predicate.Test(array[k]))
                {
                    state?.Record(position < 0 ? k : position);
                    return true;
                }
            }
        }
        return false;
    }
}
