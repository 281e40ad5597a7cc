using Mongo.Bson;
using Mongo.InMemory.Server;
using Mongo.InMemory.Engine;

namespace Mongo.InMemory.Commands;

/// <summary>
/// The cluster-time parts of a command's readConcern, checked as mongod checks them: afterClusterTime (causal consistency)
/// must not be in the future; level "snapshot" is for find/aggregate/distinct on a replica set, and the reply names the
/// atClusterTime it read at. A snapshot read at a time older than the latest change reads the data as the server's
/// <see cref="SnapshotHistory"/> rebuilds them for that time (SnapshotTooOld when the history no longer reaches back);
/// a transaction's atClusterTime is checked the same way here and read at when it starts.
/// </summary>
internal sealed class ReadConcernRules(ServerState state)
{
    // Commands that change no data.
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
    /// with the session fields and any command may carry snapshot; its atClusterTime must still be within the history
    /// (the transaction reads at it when it starts). Returns the data a snapshot read at an earlier time reads (null: the
    /// current data), and in <paramref name="readTime"/> the time a snapshot read outside a transaction reads at.
    /// </summary>
    public Storage? Check(string name, BsonDocument command, bool inTransaction, out BsonTimestamp? readTime)
    {
        readTime = null;
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

            if (inTransaction)
            {
                state.History.EnsureAvailable(at);
                return null;
            }

            readTime = at;

            // Nothing changed since: the current data set, which a lagging secondary (that has applied through this time,
            // see the dispatcher's wait) reads too, rather than its view, which may lack a change stamped by then.
            return state.History.At(at) ?? (state.Replication is { IsPrimary: false, Lags: true } lagging ? lagging.Set.Storage : null);
        }

        if (inTransaction)
        {
            return null;
        }

        if (state.Replication is { } member)
        {
            // A snapshot reads majority-committed data: at the majority commit point, or on a lagging secondary at what it
            // has applied if that is older (its view of the commit point goes no further).
            BsonTimestamp point = member.Set.MajorityOpTime().Timestamp;
            if (member is { IsPrimary: false, Lags: true })
            {
                BsonTimestamp applied = member.Set.AppliedBy(member).OpTime.Timestamp;
                point = applied.Value < point.Value ? applied : point;
            }

            readTime = point;
            return state.History.At(point) ?? (member is { IsPrimary: false, Lags: true } ? member.Set.Storage : null);
        }

        // A router: a new time covers every change made so far; the read sees them, and a later read at it the same.
        BsonTimestamp now = state.NextClusterTime();
        readTime = now;
        return state.History.At(now);
    }

    /// <summary>Tells a snapshot read's caller the time it read at (<paramref name="readTime"/>, from <see cref="Check"/>).</summary>
    public void AfterReply(string name, BsonDocument command, BsonDocument reply, BsonTimestamp? readTime)
    {
        if (!state.GossipsClusterTime || readTime is not { } at || IsWrite(name, command))
        {
            return;
        }

        if (reply.GetValueOrDefault("cursor") is BsonDocument cursor)
        {
            cursor.Set("atClusterTime", at);
        }
        else
        {
            reply.Set("atClusterTime", at);
        }
    }

    private static bool IsWrite(string name, BsonDocument command) =>
        !s_readOnly.Contains(name) && !(name == "aggregate" && !HasWriteStage(command));

    private static bool HasWriteStage(BsonDocument command) =>
        command.GetValueOrDefault("pipeline") is BsonArray { Count: > 0 } pipeline
        && pipeline[^1] is BsonDocument last && (last.Contains("$out") || last.Contains("$merge"));
}
