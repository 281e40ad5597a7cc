using Mongo.Bson;
using Mongo.InMemory.Engine;
using Mongo.InMemory.Engine.Collation;

namespace Mongo.InMemory.Commands.Data;

/// <summary>Shared argument parsing for the data commands.</summary>
internal static class DataCommand
{
    /// <summary>
    /// The collation a command or statement runs with: its own <c>collation</c> field, else the collection's or view's
    /// default, else simple (null); a view's default cannot be overridden. Validation errors come first, before the
    /// collection is looked up.
    /// </summary>
    public static Collator? Collation(CommandContext context, BsonDocument operation, string? collName)
    {
        if (collName is null) return operation.TryGetValue("collation", out var c) ? Collator.Parse(c) : null;
        lock (context.Storage.Sync) return context.Storage.ReadCollator(context.DatabaseName, collName, operation);
    }

    /// <summary>The collection name: the value of the command's first element.</summary>
    public static string CollectionName(CommandContext context)
    {
        var first = context.Command.GetElement(0);
        if (first.Value is not BsonString s)
            throw Errors.InvalidNamespace("collection name has invalid type " + BsonOrder.TypeName(first.Value));
        if (s.Value.Length == 0) throw Errors.InvalidNamespace("Invalid namespace specified '" + context.DatabaseName + ".'");
        return s.Value;
    }

    public static BsonDocument? OptionalDocument(BsonDocument command, string field)
    {
        if (!command.TryGetValue(field, out var v) || v.BsonType == BsonType.Null) return null;
        if (v is not BsonDocument d)
            throw Errors.TypeMismatch("BSON field '" + command.GetElement(0).Name + "." + field + "' is the wrong type '" + BsonOrder.TypeName(v) + "', expected type 'object'");
        return d;
    }

    public static BsonArray? OptionalArray(BsonDocument command, string field)
    {
        if (!command.TryGetValue(field, out var v) || v.BsonType == BsonType.Null) return null;
        if (v is not BsonArray a)
            throw Errors.TypeMismatch("BSON field '" + command.GetElement(0).Name + "." + field + "' is the wrong type '" + BsonOrder.TypeName(v) + "', expected type 'array'");
        return a;
    }

    public static long? OptionalLong(BsonDocument command, string field)
    {
        if (!command.TryGetValue(field, out var v) || v.BsonType == BsonType.Null) return null;
        if (!v.IsNumeric)
            throw Errors.TypeMismatch("BSON field '" + command.GetElement(0).Name + "." + field + "' is the wrong type '" + BsonOrder.TypeName(v) + "', expected types '[long, int, decimal, double]'");
        var d = v.ToDouble();
        if (Math.Truncate(d) != d) throw Errors.BadValue("BSON field '" + field + "' value must be an integer, got " + Shell.Format(v));
        return v.IsInt32 || v.IsInt64 ? v.ToInt64() : (long)d;
    }

    public static bool OptionalBool(BsonDocument command, string field, bool defaultValue)
    {
        if (!command.TryGetValue(field, out var v) || v.BsonType == BsonType.Null) return defaultValue;
        if (v is BsonBoolean b) return b.Value;
        if (v.IsNumeric) return v.ToDouble() != 0;
        throw Errors.TypeMismatch("BSON field '" + command.GetElement(0).Name + "." + field + "' is the wrong type '" + BsonOrder.TypeName(v) + "', expected types '[bool, long, int, decimal, double]'");
    }

    /// <summary>The command's <c>let</c> constants, evaluated once (they may use $$NOW and other constants).</summary>
    public static IReadOnlyDictionary<string, BsonValue>? Let(BsonDocument command)
    {
        var let = OptionalDocument(command, "let");
        if (let is null) return null;
        var vars = new Dictionary<string, BsonValue>(StringComparer.Ordinal);
        var scope = new Engine.Expressions.ExprScope(new BsonDocument());
        foreach (var (name, expr) in let)
        {
            if (name.Length == 0 || !char.IsLower(name[0]) && name[0] != '_' || name.StartsWith("CURRENT", StringComparison.Ordinal) && name == "CURRENT")
                throw Errors.FailedToParse("'" + name + "' starts with an invalid character for a user variable name");
            vars[name] = Engine.Expressions.ExpressionEvaluator.Evaluate(expr, scope) ?? BsonNull.Value;
        }
        return vars;
    }

    /// <summary>Validates a hint against the collection's indexes (string name or key pattern; $natural allowed).</summary>
    public static void CheckHint(BsonDocument command, CollectionData? collection, string field = "hint")
    {
        if (!command.TryGetValue(field, out var hint) || hint.BsonType == BsonType.Null) return;
        CheckHintValue(hint, collection);
    }

    public static void CheckHintValue(BsonValue hint, CollectionData? collection)
    {
        switch (hint)
        {
            case BsonString s:
                if (s.Value.Length == 0 || collection is null) return;
                if (collection.FindIndexByName(s.Value) is not { } byName || IsHidden(byName))
                    throw Errors.BadValue("error processing query: planner returned error :: caused by :: hint provided does not correspond to an existing index");
                return;
            case BsonDocument d:
                if (d.ElementCount == 0 || collection is null) return;
                if (d.GetElement(0).Name == "$natural") return;
                if (collection.FindIndexByKey(d) is not { } byKey || IsHidden(byKey))
                    throw Errors.BadValue("error processing query: planner returned error :: caused by :: hint provided does not correspond to an existing index");
                return;
            default:
                throw Errors.FailedToParse("hint must be either a string or nested object");
        }
    }

    // The planner cannot see hidden indexes, so hinting one fails exactly like hinting a missing one.
    private static bool IsHidden(IndexData index) => index.Spec.GetValueOrDefault("hidden") is { } h && h.ToBoolean();

    public static string Namespace(CommandContext context, string collection) => context.DatabaseName + "." + collection;

    public static void RequireAdmin(CommandContext context)
    {
        if (context.DatabaseName != "admin")
            throw Engine.Errors.Of(ErrorCodes.Unauthorized, context.CommandName + " may only be run against the admin database.");
    }

    public static int? BatchSize(BsonDocument command, string field = "batchSize")
    {
        var n = OptionalLong(command, field);
        if (n is null) return null;
        if (n < 0) throw Errors.BadValue("BSON field 'batchSize' value must be >= 0, actual value '" + n + "'");
        return (int)Math.Min(n.Value, int.MaxValue);
    }
}

/// <summary>A handler made of a name list and a function.</summary>
internal sealed class DataHandler(string[] names, Func<CommandContext, BsonDocument> execute) : ICommandHandler
{
    public IReadOnlyList<string> Names { get; } = names;

    public BsonDocument Execute(CommandContext context)
    {
        try
        {
            return execute(context);
        }
        catch (InvalidCastException e)
        {
            // A field of the wrong BSON type deep inside a specification (e.g. {$lookup: {as: 1}}): report it as the
            // server's TypeMismatch rather than an internal error.
            throw Errors.TypeMismatch("a field in the " + context.CommandName + " command has the wrong type: " + e.Message);
        }
        catch (OverflowException e)
        {
            throw Errors.BadValue("a numeric value in the " + context.CommandName + " command is out of range: " + e.Message);
        }
    }
}
