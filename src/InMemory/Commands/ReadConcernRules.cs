using Mongo.Bson;
using Mongo.InMemory.Server;
using Mongo.InMemory.Engine;

namespace Mongo.InMemory.Commands;

/// <summary>
/// The cluster-time parts of a command's readConcern, checked as mongod checks them: afterClusterTime (causal consistency)
/// must not be in the future; level "snapshot" is for find/aggregate/distinct on a replica set, and the reply names the
/// atClusterTime it read at. A snapshot read at a time older than the latest write reads the version of the data the
/// server's <see cref="SnapshotHistory"/> kept for that time (SnapshotTooOld when it kept none); a transaction's snapshot
/// is the data when it starts, so a transaction's atClusterTime older than the latest write is refused with SnapshotTooOld.
/// </summary>
internal sealed class ReadConcernRules(ServerState state)
{
    // Commands that change no data; any other command counts as a write that ends older snapshots.
    private static readonly HashSet<string> s_readOnly = new(StringComparer.Ordinal)
    {
        "find", "distinct", "count", "getMore", "killCursors", "listCollections", "listIndexes", "listDatabases",
        "hello", "isMaster", "ismaster", "ping", "buildInfo", "buildinfo", "endSessions", "serverStatus", "dbStats",
        "collStats", "explain", "configureFailPoint", "saslStart", "saslContinue", "connectionStatus", "getParameter",
        "listCommands", "hostInfo", "getLastError", "startSession", "refreshSessions", "killAllSessions", "getCmdLineOpts",
    };

    private static readonly HashSet<string> s_snapshotCommands = new(StringComparer.Ordinal) { "find", "aggregate", "distinct" };

    /// <summary>
    /// Throws the server's error for a readConcern this server (or mongod) refuses. In a transaction the level was checked
    /// with the session fields and any command may carry snapshot; a transaction's snapshot is taken when its first
    /// command runs, so an atClusterTime older than the latest write is refused (SnapshotTooOld). Returns the data a
    /// snapshot read at an earlier atClusterTime reads (null: the current data).
    /// </summary>
    public Storage? Check(string name, BsonDocument command, bool inTransaction = false)
    {
        if (command.GetValueOrDefault("readConcern") is not BsonDocument readConcern)
        {
            return null;
        }

        if (readConcern.GetValueOrDefault("afterClusterTime") is BsonTimestamp after)
        {
            if (!state.GossipsClusterTime)
            {
                throw Errors.Of(ErrorCodes.IllegalOperation, "Cannot specify afterClusterTime readConcern without replication enabled");
            }

            BsonTimestamp current = state.CurrentClusterTime();
            if (after.Value > current.Value)
            {
                throw new CommandException(ErrorCodes.InvalidOptions, "InvalidOptions",
                    $"readConcern afterClusterTime value must not be greater than the current clusterTime. Requested clusterTime: {after}; current clusterTime: {current}");
            }
        }

        if (readConcern.GetValueOrDefault("level") is not BsonString { Value: "snapshot" })
        {
            return null;
        }

        if (!state.GossipsClusterTime)
        {
            throw Errors.Of(ErrorCodes.IllegalOperation, "Cannot use readConcern level 'snapshot' on a standalone server: snapshot reads need replication");
        }

        if (!inTransaction && !s_snapshotCommands.Contains(name))
        {
            throw new CommandException(ErrorCodes.InvalidOptions, "InvalidOptions",
                $"readConcern level snapshot is only valid in multi-document transactions or for find, aggregate and distinct, not for {name}");
        }

        if (readConcern.GetValueOrDefault("atClusterTime") is BsonTimestamp at)
        {
            BsonTimestamp current = state.CurrentClusterTime();
            if (at.Value > current.Value)
            {
                throw new CommandException(ErrorCodes.InvalidOptions, "InvalidOptions",
                    $"readConcern atClusterTime value must not be greater than the current clusterTime. Requested clusterTime: {at}; current clusterTime: {current}");
            }

            if (!inTransaction)
            {
                state.History.SnapshotReadServed();
                return state.History.At(at);
            }

            if (state.History.LastWrite is { } last && at.Value < last.Value)
            {
                throw Errors.Of(ErrorCodes.SnapshotTooOld,
                    $"Read timestamp {at} is older than the oldest available timestamp: a Mongo.InMemory transaction starts from the latest data, last written at {last}");
            }
        }
        else if (!inTransaction)
        {
            state.History.SnapshotReadServed();
        }

        return null;
    }

    /// <summary>
    /// Before a command runs outside a transaction, or a commit: when it may write, the data as they are may become a
    /// version a later snapshot read asks for.
    /// </summary>
    public void BeforeWrite(string name, BsonDocument command)
    {
        if (state.GossipsClusterTime && IsWrite(name, command))
        {
            state.History.BeforeWrite(state.Storage);
        }
    }

    /// <summary>Records writes, and tells a snapshot read's caller the time it read at.</summary>
    public void AfterReply(string name, BsonDocument command, BsonDocument reply)
    {
        if (!state.GossipsClusterTime)
        {
            return;
        }

        if (IsWrite(name, command))
        {
            state.History.Wrote(state.NextClusterTime());
            return;
        }

        if (command.GetValueOrDefault("readConcern") is BsonDocument { } readConcern && readConcern.GetValueOrDefault("level") is BsonString { Value: "snapshot" })
        {
            BsonValue at = readConcern.GetValueOrDefault("atClusterTime") as BsonTimestamp ?? state.CurrentClusterTime();
            if (reply.GetValueOrDefault("cursor") is BsonDocument cursor)
            {
                cursor.Set("atClusterTime", at);
            }
            else
            {
                reply.Set("atClusterTime", at);
            }
        }
    }

    private static bool IsWrite(string name, BsonDocument command) =>
        !s_readOnly.Contains(name) && !(name == "aggregate" && !HasWriteStage(command));

    private static bool HasWriteStage(BsonDocument command) =>
        command.GetValueOrDefault("pipeline") is BsonArray { Count: > 0 } pipeline
        && pipeline[^1] is BsonDocument last && (last.Contains("$out") || last.Contains("$merge"));
}
