using Mongo.Bson;
using Mongo.Driver.Operations;
using Mongo.Driver.Topology;
using Mongo.Driver.Wire;

namespace Mongo.Driver.Sessions;

/// <summary>
/// The executor of handles bound to an explicit session: every command (cursors' getMore/killCursors included, since
/// cursors keep the executor that opened them) carries the session's server session, the session's $clusterTime, and the
/// read concern causal consistency or snapshot reads call for; replies advance the session's times. Inside a transaction it
/// adds the transaction's fields, sends the first command with the transaction's read concern, keeps a sharded
/// transaction on its mongos and labels network errors TransientTransactionError (transactions spec).
/// </summary>
internal sealed class SessionBoundExecutor(MongoClient client, MongoSession session) : IOperationExecutor
{
    // Wire version 13 = MongoDB 5.0, the first with snapshot reads outside transactions.
    private const int SnapshotMinWireVersion = 13;

    public MongoSession Session => session;

    public bool Tracing => client.Executor.Tracing;

    public ValueTask<ServerLimits> GetWriteLimitsAsync(bool async, CancellationToken ct) => client.Executor.GetWriteLimitsAsync(async, ct);

    public ValueTask<CommandResponse> ExecuteAsync(bool async, CommandOperation message, CancellationToken ct)
    {
        if (message.Transaction is { IsCommitOrAbort: true })
        {
            // Built by the session with every field it needs; the session labels the errors and retries.
            return SendAsync(async, message with { Session = session.ServerSession, ClusterTime = session.ClusterTime }, snapshotCandidate: false, snapshotWireVersion: false, ct);
        }

        ServerSession serverSession = session.ServerSession; // throws once the session is disposed
        if (message.MoreToCome)
        {
            // Driver-sessions spec: the server could not report an error for the session, so unacknowledged writes refuse it.
            throw new MongoClientException("Unacknowledged writes (w:0) cannot be used with an explicit session; use an acknowledged write concern or no session.");
        }

        if (session.BeginOperation())
        {
            return ExecuteInTransactionAsync(async, message, serverSession, ct);
        }

        bool cursorFollowUp = message.CommandName is "getMore" or "killCursors";
        BsonDocument body = message.Body;
        int minWireVersion = message.MinWireVersion;
        if (session.IsSnapshot && !cursorFollowUp)
        {
            // Snapshot reads spec: every command of the session names the snapshot; the server refuses the ones that cannot read at one.
            body = WithReadConcern(body, level: "snapshot", "atClusterTime", session.KnownSnapshotTime);
            minWireVersion = Math.Max(minWireVersion, SnapshotMinWireVersion);
        }
        else if (session.IsCausallyConsistent && session.OperationTime is { } operationTime && message is not RunCommand
            && message.CommandName is "find" or "aggregate" or "distinct" or "count" or "insert" or "update" or "delete" or "findAndModify")
        {
            // Causal consistency spec: reads and the write commands that accept it wait for the session's last operation;
            // commands run as given (RunCommand) are left alone.
            body = WithReadConcern(body, level: null, "afterClusterTime", operationTime);
        }

        CommandOperation bound = message with { Body = body, Session = serverSession, ClusterTime = session.ClusterTime, MinWireVersion = minWireVersion };
        return SendAsync(async, bound, snapshotCandidate: session.IsSnapshot && session.KnownSnapshotTime is null && !cursorFollowUp,
            snapshotWireVersion: minWireVersion > message.MinWireVersion, ct);
    }

    /// <summary>The open transaction's span of the session <paramref name="executor"/> is bound to, for operations started above the executor.</summary>
    internal static System.Diagnostics.Activity? TransactionSpan(IOperationExecutor executor) =>
        executor is SessionBoundExecutor bound ? bound.Session.TransactionSpan : null;

    public ValueTask DisposeAsync() => default;

    public ValueTask CloseAsync(bool async) => default;

    /// <summary>A command of the session's open transaction (state starting or in progress).</summary>
    private async ValueTask<CommandResponse> ExecuteInTransactionAsync(bool async, CommandOperation message, ServerSession serverSession, CancellationToken ct)
    {
        bool cursorFollowUp = message.CommandName is "getMore" or "killCursors";
        if (!message.IsWrite && !cursorFollowUp && message.ReadPreference is { Mode: not ReadPreferenceMode.Primary } readPreference)
        {
            // Checked per read, never at StartTransaction or on writes (transactions spec).
            throw new MongoClientException("Read preference in a transaction must be primary (this read's is "
                + ReadPreference.GetModeName(readPreference.Mode) + "): set TransactionOptions.ReadPreference to primary or drop the read's own read preference.");
        }

        bool first = session.TransactionState == TransactionState.Starting;
        BsonDocument body = message.Body;
        if (first)
        {
            // Only the command that starts the transaction names its read concern, and afterClusterTime in a causally
            // consistent session even when it writes; later commands must not carry one.
            ReadConcern readConcern = session.TransactionOptions!.ReadConcern!;
            BsonTimestamp? after = session.IsCausallyConsistent ? session.OperationTime : null;
            if (!readConcern.IsServerDefault || after is not null)
            {
                body = WithReadConcern(body, readConcern.Level, "afterClusterTime", after);
            }
        }

        var fields = new TransactionFields(serverSession.TxnNumber, startTransaction: first, isCommitOrAbort: false) { PinnedConnection = session.PinnedConnection };
        CommandOperation bound = message with
        {
            Body = body,
            Session = serverSession,
            ClusterTime = session.ClusterTime,
            Transaction = fields,
            PinnedServer = message.PinnedServer ?? session.PinnedServer,
            ReadPreference = message.IsWrite ? message.ReadPreference : message.ReadPreference ?? ReadPreference.Primary,
        };

        try
        {
            CommandResponse response;
            using (Diagnostics.OperationSpan.EnterParent(session.TransactionSpan))
            {
                // MongoDB OpenTelemetry specification: the operations of a transaction nest under its "transaction" span.
                response = await SendAsync(async, bound, snapshotCandidate: false, snapshotWireVersion: false, ct).ConfigureAwait(false);
            }

            session.CommandSent(fields);
            return response;
        }
        catch (Exception ex) when (IsClientSide(ex))
        {
            // Nothing reached the server, but a connection may already have been set aside for the session: give it back.
            fields.NewPin?.Release();
            throw;
        }
        catch (Exception ex)
        {
            // The transaction is in progress after its first command even when it failed (transactions spec).
            session.CommandSent(fields);
            if (ex is MongoConnectionException or MongoTimeoutException)
            {
                // No reply says what happened to the transaction: the whole transaction can be retried, not this command.
                ((MongoException)ex).AddErrorLabel(MongoSession.TransientTransactionErrorLabel);
            }

            if (ex is MongoException labelled && labelled.HasErrorLabel(MongoSession.TransientTransactionErrorLabel))
            {
                // The transaction is gone or its mongos unreachable: the abort or retry may go elsewhere.
                session.Unpin();
            }

            throw;
        }
    }

    /// <summary>
    /// Errors the driver raised before anything reached a server (bad arguments, encoding, version checks): they leave the
    /// transaction's state as it was (transactions spec: client-side errors do not change it).
    /// </summary>
    private static bool IsClientSide(Exception ex) =>
        ex is ArgumentException or BsonException or MongoClientException or MongoNotSupportedException or ObjectDisposedException;

    /// <summary>Sends the bound command and records what its reply says; <paramref name="snapshotWireVersion"/>: the snapshot session raised the command's minimum wire version, so a refusal means the server is too old for snapshot reads.</summary>
    private async ValueTask<CommandResponse> SendAsync(bool async, CommandOperation bound, bool snapshotCandidate, bool snapshotWireVersion, CancellationToken ct)
    {
        CommandResponse response;
        try
        {
            response = await client.Executor.ExecuteAsync(async, bound, ct).ConfigureAwait(false);
        }
        catch (MongoNotSupportedException ex) when (snapshotWireVersion)
        {
            throw new MongoClientException("Snapshot reads require MongoDB 5.0 or later.", ex);
        }
        catch (MongoCommandException ex)
        {
            Advance(new RawBsonDocument(ex.Reply.ToBytes()), snapshotCandidate: false, inTransaction: false);
            throw;
        }

        Advance(response.Raw, snapshotCandidate, inTransaction: bound.Transaction is not null);
        return response;
    }

    /// <summary>Picks up $clusterTime, operationTime, a sharded transaction's recoveryToken and (first snapshot read) the snapshot's atClusterTime.</summary>
    private void Advance(RawBsonDocument reply, bool snapshotCandidate, bool inTransaction)
    {
        if (reply.TryGetValue("$clusterTime", out BsonValue? clusterTime) && clusterTime is BsonDocument { } document && document.Contains("clusterTime"))
        {
            session.AdvanceClusterTime(document);
        }

        if (reply.TryGetValue("operationTime", out BsonValue? operationTime) && operationTime is BsonTimestamp time)
        {
            session.AdvanceOperationTime(time);
        }

        if (inTransaction && reply.TryGetValue("recoveryToken", out BsonValue? token) && token is BsonDocument recoveryToken)
        {
            // Transactions spec: the latest one is kept and sent, unmodified, with commitTransaction and abortTransaction.
            session.RecoveryToken = recoveryToken;
        }

        if (snapshotCandidate)
        {
            // find/aggregate report it in the cursor, distinct at the top level (snapshot reads spec).
            if (reply.TryGetRawDocument("cursor", out RawBsonDocument? cursor) && cursor.TryGetValue("atClusterTime", out BsonValue? atCursor) && atCursor is BsonTimestamp cursorTime)
            {
                session.KnownSnapshotTime = cursorTime;
            }
            else if (reply.TryGetValue("atClusterTime", out BsonValue? atTop) && atTop is BsonTimestamp topTime)
            {
                session.KnownSnapshotTime = topTime;
            }
        }
    }

    /// <summary>A shallow copy of the command whose readConcern gets <paramref name="name"/> (when <paramref name="time"/> is set) and the level (when given), keeping what else it had.</summary>
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
