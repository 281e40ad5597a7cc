using Mongo.Bson;

namespace Mongo.InMemory.Transactions;

/// <summary>
/// The namespaces a catalog change outside transactions affects: such a command waits for the open transactions that
/// used them, as mongod's exclusive collection (or database) lock waits for their intent locks.
/// </summary>
internal static class DdlNamespaces
{
    /// <summary>A test of full namespaces ("db.coll") the command changes, or null when it changes none.</summary>
    public static Func<string, bool>? Affected(string name, string database, BsonDocument command)
    {
        string? First() => command[0] is BsonString s ? database + "." + s.Value : null;
        switch (name)
        {
            case "drop" or "collMod" or "createIndexes" or "dropIndexes" or "deleteIndexes" or "create":
                return First() is { } ns ? n => n == ns : null;
            case "dropDatabase":
                var prefix = database + ".";
                return n => n.StartsWith(prefix, StringComparison.Ordinal);
            case "renameCollection":
                var source = command[0] is BsonString from ? from.Value : null;
                var target = command.GetValueOrDefault("to") is BsonString to ? to.Value : null;
                return n => n == source || n == target;
            case "aggregate":
                return WriteStageTarget(database, command) is { } written ? n => n == written : null;
            default:
                return null;
        }
    }

    /// <summary>The namespace an aggregate's $out or $merge writes to (null: it has no such stage).</summary>
    private static string? WriteStageTarget(string database, BsonDocument command)
    {
        if (command.GetValueOrDefault("pipeline") is not BsonArray { Count: > 0 } pipeline || pipeline[^1] is not BsonDocument { ElementCount: 1 } last)
            return null;
        var (stage, spec) = last.GetElement(0);
        if (stage is not ("$out" or "$merge")) return null;
        if (stage == "$merge" && spec is BsonDocument merge) spec = merge.GetValueOrDefault("into") ?? BsonNull.Value;
        return spec switch
        {
            BsonString coll => database + "." + coll.Value,
            BsonDocument target when target.GetValueOrDefault("coll") is BsonString coll =>
                (target.GetValueOrDefault("db") is BsonString db ? db.Value : database) + "." + coll.Value,
            _ => null,
        };
    }
}
