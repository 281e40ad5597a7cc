using Mongo.Bson;
using Mongo.Driver.Operations;

namespace Mongo.Driver.Sessions;

/// <summary>
/// The executor of handles bound to an explicit session: every command (cursors' getMore/killCursors included, since
/// cursors keep the executor that opened them) carries the session's server session, the session's $clusterTime, and the
/// read concern causal consistency or snapshot reads call for; replies advance the session's times.
/// </summary>
internal sealed class SessionBoundExecutor(MongoClient client, MongoSession session) : IOperationExecutor
{
    // Wire version 13 = MongoDB 5.0, the first with snapshot reads outside transactions.
    private const int SnapshotMinWireVersion = 13;

    public MongoSession Session => session;

    public ValueTask<ServerLimits> GetWriteLimitsAsync(bool async, CancellationToken ct) => client.Executor.GetWriteLimitsAsync(async, ct);

    public async ValueTask<CommandResponse> ExecuteAsync(bool async, CommandMessage message, CancellationToken ct)
    {
        IOperationExecutor inner = client.Executor;
        ServerSession serverSession = session.ServerSession; // throws once the session is disposed
        if (message.MoreToCome)
        {
            // Driver-sessions spec: the server could not report an error for the session, so unacknowledged writes refuse it.
            throw new MongoClientException("Unacknowledged writes (w:0) cannot be used with an explicit session; use an acknowledged write concern or no session.");
        }

        bool cursorFollowUp = message.CommandName is "getMore" or "killCursors";
        BsonDocument body = message.Body;
        int minWireVersion = message.MinWireVersion;
        if (session.IsSnapshot && !cursorFollowUp)
        {
            // Snapshot reads spec: every command of the session names the snapshot; the server refuses the ones that cannot read at one.
            body = WithReadConcern(body, level: "snapshot", "atClusterTime", session.SnapshotTime);
            minWireVersion = Math.Max(minWireVersion, SnapshotMinWireVersion);
        }
        else if (session.IsCausallyConsistent && session.OperationTime is { } operationTime && !message.IsWrite && !message.NoRetry
            && message.CommandName is "find" or "aggregate" or "distinct" or "count")
        {
            body = WithReadConcern(body, level: null, "afterClusterTime", operationTime);
        }

        CommandMessage bound = message with { Body = body, Session = serverSession, ClusterTime = session.ClusterTime, MinWireVersion = minWireVersion };
        CommandResponse response;
        try
        {
            response = await inner.ExecuteAsync(async, bound, ct).ConfigureAwait(false);
        }
        catch (MongoNotSupportedException ex) when (session.IsSnapshot && message.MinWireVersion < SnapshotMinWireVersion)
        {
            throw new MongoClientException("Snapshot reads require MongoDB 5.0 or later.", ex);
        }
        catch (MongoCommandException ex)
        {
            Advance(new RawBsonDocument(ex.Reply.ToBytes()), snapshotCandidate: false);
            throw;
        }

        Advance(response.Raw, snapshotCandidate: session.IsSnapshot && session.SnapshotTime is null && !cursorFollowUp);
        return response;
    }

    public ValueTask DisposeAsync() => default;

    public ValueTask CloseAsync(bool async) => default;

    /// <summary>Picks up $clusterTime, operationTime and (first snapshot read) the snapshot's atClusterTime.</summary>
    private void Advance(RawBsonDocument reply, bool snapshotCandidate)
    {
        if (reply.TryGetValue("$clusterTime", out BsonValue? clusterTime) && clusterTime is BsonDocument { } document && document.Contains("clusterTime"))
        {
            session.AdvanceClusterTime(document);
        }

        if (reply.TryGetValue("operationTime", out BsonValue? operationTime) && operationTime is BsonTimestamp time)
        {
            session.AdvanceOperationTime(time);
        }

        if (snapshotCandidate)
        {
            // find/aggregate report it in the cursor, distinct at the top level (snapshot reads spec).
            if (reply.TryGetRawDocument("cursor", out RawBsonDocument? cursor) && cursor.TryGetValue("atClusterTime", out BsonValue? atCursor) && atCursor is BsonTimestamp cursorTime)
            {
                session.SnapshotTime = cursorTime;
            }
            else if (reply.TryGetValue("atClusterTime", out BsonValue? atTop) && atTop is BsonTimestamp topTime)
            {
                session.SnapshotTime = topTime;
            }
        }
    }

    /// <summary>A shallow copy of the command whose readConcern gets <paramref name="name"/> (and the level, when given), keeping what else it had.</summary>
    private static BsonDocument WithReadConcern(BsonDocument body, string? level, string name, BsonTimestamp? time)
    {
        var readConcern = body.TryGetValue("readConcern", out BsonValue? existing) && existing is BsonDocument current
            ? (BsonDocument)current.DeepClone()
            : new BsonDocument();
        if (level is not null)
        {
            readConcern.Set("level", level);
        }

        if (time is not null)
        {
            readConcern.Set(name, time);
        }

        var copy = new BsonDocument();
        foreach (BsonElement element in body)
        {
            copy.Add(element.Name, element.Name == "readConcern" ? readConcern : element.Value);
        }

        if (!copy.Contains("readConcern"))
        {
            copy.Add("readConcern", readConcern);
        }

        return copy;
    }
}
