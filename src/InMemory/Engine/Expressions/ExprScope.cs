using Mongo.Bson;
using Mongo.InMemory.Engine.Collation;

namespace Mongo.InMemory.Engine.Expressions;

/// <summary>Variables visible to an aggregation expression ($$ROOT, $$CURRENT, let-variables, $map/$filter "as" names).</summary>
internal sealed class ExprScope
{
    private readonly ExprScope? _parent;
    private readonly string? _name;
    private readonly BsonValue? _value;
    private readonly IReadOnlyDictionary<string, BsonValue>? _variables;

    public ExprScope(BsonDocument root, IReadOnlyDictionary<string, BsonValue>? variables = null, Collator? collator = null)
    {
        Root = root;
        Collator = collator;
        Current = root;
        _variables = variables;
        Now = new BsonDateTime(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
    }

    private ExprScope(ExprScope parent, string name, BsonValue? value)
    {
        _parent = parent;
        _name = name;
        _value = value;
        Root = parent.Root;
        Current = parent.Current;
        Now = parent.Now;
        Collator = parent.Collator;
    }

    public BsonDocument Root { get; }

    public BsonValue Current { get; private init; }

    public BsonDateTime Now { get; }

    /// <summary>The operation's collation (null: simple), which expression comparisons ($eq, $cmp, $in...) use.</summary>
    public Collator? Collator { get; }

    public ExprScope With(string name, BsonValue? value)
    {
        if (name == "CURRENT") return new ExprScope(this, name, value) { Current = value ?? BsonNull.Value };
        return new ExprScope(this, name, value);
    }

    public bool TryGet(string name, out BsonValue? value)
    {
        for (var s = this; s is not null; s = s._parent)
        {
            if (s._name == name) { value = s._value; return true; }
            if (s._variables is not null && s._variables.TryGetValue(name, out var v)) { value = v; return true; }
        }
        value = null;
        return false;
    }
}
