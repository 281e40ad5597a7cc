using Mongo.Bson;
using Mongo.InMemory.Server;
using Mongo.InMemory.Engine;

namespace Mongo.InMemory.Commands;

/// <summary>
/// The cluster-time parts of a command's readConcern, checked as mongod checks them: afterClusterTime (causal consistency)
/// must not be in the future; level "snapshot" is for find/aggregate/distinct on a replica set, and the reply names the
/// atClusterTime it read at. This server keeps no history: it reads at the latest time, so a snapshot older than the latest
/// write is refused with SnapshotTooOld rather than answered with newer data.
/// </summary>
internal sealed class ReadConcernRules(ServerState state)
{
    private const int SnapshotTooOld = 239;

    // Commands that change no data; any other command counts as a write that ends older snapshots.
    private static readonly HashSet<string> s_readOnly = new(StringComparer.Ordinal)
    {
        "find", "distinct", "count", "getMore", "killCursors", "listCollections", "listIndexes", "listDatabases",
        "hello", "isMaster", "ismaster", "ping", "buildInfo", "buildinfo", "endSessions", "serverStatus", "dbStats",
        "collStats", "explain", "configureFailPoint", "saslStart", "saslContinue", "connectionStatus", "getParameter",
        "listCommands", "hostInfo", "getLastError", "startSession", "refreshSessions", "killAllSessions", "getCmdLineOpts",
    };

    private static readonly HashSet<string> s_snapshotCommands = new(StringComparer.Ordinal) { "find", "aggregate", "distinct" };

    private readonly object _lock = new();
    private BsonTimestamp? _lastWrite;

    /// <summary>
    /// Throws the server's error for a readConcern this server (or mongod) refuses. In a transaction the level was checked
    /// with the session fields and any command may carry snapshot; a transaction's snapshot is taken when its first
    /// command runs, so an atClusterTime older than the latest write is refused (SnapshotTooOld) as for a snapshot read.
    /// </summary>
    public void Check(string name, BsonDocument command, bool inTransaction = false)
    {
        if (command.GetValueOrDefault("readConcern") is not BsonDocument readConcern)
        {
            return;
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
            return;
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

            lock (_lock)
            {
                if (_lastWrite is { } last && at.Value < last.Value)
                {
                    throw new CommandException(SnapshotTooOld, "SnapshotTooOld",
                        $"Read timestamp {at} is older than the oldest available timestamp: Mongo.InMemory keeps no history and last wrote at {last}");
                }
            }
        }
    }

    /// <summary>Records writes, and tells a snapshot read's caller the time it read at.</summary>
    public void AfterReply(string name, BsonDocument command, BsonDocument reply)
    {
        if (!state.GossipsClusterTime)
        {
            return;
        }

        if (!s_readOnly.Contains(name) && !(name == "aggregate" && !HasWriteStage(command)))
        {
            lock (_lock)
            {
                _lastWrite = state.NextClusterTime();
            }

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

    private static bool HasWriteStage(BsonDocument command) =>
        command.GetValueOrDefault("pipeline") is BsonArray { Count: > 0 } pipeline
        && pipeline[^1] is BsonDocument last && (last.Contains("$out") || last.Contains("$merge"));
}
