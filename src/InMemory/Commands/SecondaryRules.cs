using System.Collections.Frozen;
using Mongo.Bson;
using Mongo.InMemory.Wire;

namespace Mongo.InMemory.Commands;

/// <summary>
/// Where a command may run in a replica set, as mongod's <c>secondaryAllowed()</c> says (kAlways, kOptIn, kNever), and
/// which commands write (they run on the primary under the set's lock and append to the replicated log).
/// </summary>
internal static class SecondaryRules
{
    public enum Allowed
    {
        /// <summary>Runs on any member (hello, getMore, authentication, diagnostics, replSet* commands).</summary>
        Always,

        /// <summary>A read: runs on a secondary when the client allows it (a non-primary read preference, or secondaryOk).</summary>
        OptIn,

        /// <summary>Needs the primary (writes, transactions, and any command this table does not know).</summary>
        Never,
    }

    private static readonly FrozenSet<string> s_always = FrozenSet.ToFrozenSet(
    [
        "hello", "isMaster", "ismaster", "ping", "buildInfo", "buildinfo", "getParameter", "serverStatus", "whatsmyuri",
        "connectionStatus", "hostInfo", "listCommands", "getLog", "getCmdLineOpts", "endSessions", "killSessions",
        "killAllSessions", "killAllSessionsByPattern", "refreshSessions", "startSession", "configureFailPoint", "getMore",
        "killCursors", "saslStart", "saslContinue", "logout", "authenticate", "replSetGetStatus", "replSetGetConfig",
        "replSetStepDown", "replSetFreeze", "replSetInitiate", "replSetStepUp", "getFreeMonitoringStatus", "features",
    ], StringComparer.Ordinal);

    private static readonly FrozenSet<string> s_optIn = FrozenSet.ToFrozenSet(
    [
        "find", "count", "distinct", "aggregate", "listCollections", "listIndexes", "listDatabases", "collStats", "dbStats",
        "usersInfo", "rolesInfo", "explain", "dataSize", "getDefaultRWConcern",
    ], StringComparer.Ordinal);

    private static readonly FrozenSet<string> s_writes = FrozenSet.ToFrozenSet(
    [
        "insert", "update", "delete", "bulkWrite", "findAndModify", "findandmodify", "create", "drop", "collMod",
        "dropDatabase", "renameCollection", "createIndexes", "dropIndexes", "deleteIndexes", "createUser", "dropUser",
        "updateUser", "dropAllUsersFromDatabase", "grantRolesToUser", "revokeRolesFromUser", "createRole", "dropRole",
        "updateRole", "convertToCapped", "cloneCollectionAsCapped", "emptycapped", "applyOps", "mapReduce",
        "commitTransaction", "abortTransaction",
    ], StringComparer.Ordinal);

    /// <summary>Where the command may run.</summary>
    public static Allowed Of(string name, BsonDocument command)
    {
        if (IsWrite(name, command))
        {
            return Allowed.Never;
        }

        return s_always.Contains(name) ? Allowed.Always : s_optIn.Contains(name) ? Allowed.OptIn : Allowed.Never;
    }

    /// <summary>Whether the command changes data: it runs under the set's lock and appends a log entry.</summary>
    public static bool IsWrite(string name, BsonDocument command) =>
        s_writes.Contains(name) || (name == "aggregate" && HasWriteStage(command));

    /// <summary>
    /// Whether the client lets a secondary answer: an OP_MSG <c>$readPreference</c> whose mode is not primary. (The
    /// legacy OP_QUERY secondaryOk flag does not matter on an 8.0 server: OP_QUERY carries only hello and authentication,
    /// which run on any member, and every other OP_QUERY command is refused with UnsupportedOpQueryCommand.)
    /// </summary>
    public static bool SecondaryOk(WireRequest request) =>
        request.Command.GetValueOrDefault("$readPreference") is BsonDocument readPreference
        && readPreference.GetValueOrDefault("mode") is BsonString { Value: not "primary" };

    private static bool HasWriteStage(BsonDocument command) =>
        command.GetValueOrDefault("pipeline") is BsonArray { Count: > 0 } pipeline
        && pipeline[^1] is BsonDocument last && (last.Contains("$out") || last.Contains("$merge"));
}
