using System.Collections.Frozen;
using Mongo.Bson;
using Mongo.InMemory.Server;
using Mongo.InMemory.Server.Replication;
using Mongo.InMemory.Wire;

namespace Mongo.InMemory.Commands;

/// <summary>
/// The dispatcher's replica-set duties, in mongod's order: refuse what a secondary may not run (NotWritablePrimary,
/// NotPrimaryNoSecondaryOk), wait for a causally consistent read to be possible on a lagging member, run writes on the
/// primary under the set's lock with their log entry, wait for the write concern, and answer awaitable hellos when the
/// member's topologyVersion changes.
/// </summary>
internal sealed partial class CommandDispatcher
{
    /// <summary>mongod's NotPrimaryError category: errors that say the member is not (or no longer) the primary.</summary>
    private static readonly FrozenSet<int> s_notPrimaryCodes = FrozenSet.ToFrozenSet(
    [
        ErrorCodes.NotWritablePrimary, ErrorCodes.NotPrimaryNoSecondaryOk, ErrorCodes.NotPrimaryOrSecondary,
        ErrorCodes.InterruptedDueToReplStateChange, 189,
    ]);

    /// <summary>mongod's not-primary check (after the session checks): may this member run the command now?</summary>
    private CommandException? CheckMemberState(string name, BsonDocument command, WireRequest request, ConnectionInfo connection)
    {
        if (_state.Replication is not ReplicaMember member || member.IsPrimary)
        {
            return null;
        }

        bool inTransaction = command.Contains("autocommit");
        SecondaryRules.Allowed allowed = SecondaryRules.Of(name, command);
        bool couldHaveOptedIn = allowed == SecondaryRules.Allowed.OptIn && !inTransaction;
        bool secondaryOk = SecondaryRules.SecondaryOk(request);
        if (!inTransaction && (allowed == SecondaryRules.Allowed.Always || (couldHaveOptedIn && secondaryOk)))
        {
            return null;
        }

        if (couldHaveOptedIn)
        {
            return new CommandException(ErrorCodes.NotPrimaryNoSecondaryOk, "NotPrimaryNoSecondaryOk",
                connection.HelloOk ? "not primary and secondaryOk=false" : "not master and slaveOk=false");
        }

        if (name == "aggregate" && secondaryOk && !inTransaction)
        {
            // mongod 5.0+ runs such a pipeline on the secondary and sends its writes to the primary; this server does not.
            return Engine.Errors.NotImplemented(
                "Mongo.InMemory runs aggregations with $out or $merge only on the primary; this member is a secondary");
        }

        return ReplicaSetCoordinator.NotWritablePrimary(connection.HelloOk);
    }

    /// <summary>NotPrimary errors (in the reply or its writeConcernError) carry the member's topologyVersion, as mongod's do.</summary>
    private void AddTopologyVersion(BsonDocument reply)
    {
        if (_state.Replication is not ReplicaMember member || reply.Contains("topologyVersion"))
        {
            return;
        }

        bool notPrimary = (reply.GetValueOrDefault("code") is BsonValue code && code.IsNumeric && s_notPrimaryCodes.Contains(code.ToInt32()))
            || (reply.GetValueOrDefault("writeConcernError") is BsonDocument wce && wce.GetValueOrDefault("code") is BsonValue wcCode
                && wcCode.IsNumeric && s_notPrimaryCodes.Contains(wcCode.ToInt32()));
        if (notPrimary)
        {
            reply.Add("topologyVersion", member.TopologyVersion());
        }
    }

    /// <summary>
    /// readConcern afterClusterTime on a lagging member: waits until it has applied every write up to that time, as
    /// mongod's waitForReadConcern does (bounded by maxTimeMS: MaxTimeMSExpired). A snapshot read's atClusterTime waits
    /// for that too, and on any member, the primary included, until a majority has applied every write up to it (a
    /// snapshot reads majority-committed data only).
    /// </summary>
    private async ValueTask<CommandException?> WaitForCausalReadAsync(BsonDocument command, CancellationToken cancellationToken)
    {
        if (_state.Replication is not ReplicaMember member
            || command.GetValueOrDefault("readConcern") is not BsonDocument readConcern
            || ReadsThrough(readConcern) is not BsonTimestamp after
            || after.Value > _state.CurrentClusterTime().Value)
        {
            return null; // a time in the future is ReadConcernRules' error to report
        }

        // Only outside transactions: a transaction's snapshot is the primary's, and its commit's write concern decides.
        bool majority = readConcern.GetValueOrDefault("afterClusterTime") is null && !command.Contains("autocommit");
        if (member.IsPrimary && !majority)
        {
            return null;
        }

        long maxTimeMs = command.GetValueOrDefault("maxTimeMS") is BsonValue max && max.IsNumeric ? max.ToInt64() : 0;
        DateTime? deadline = maxTimeMs > 0 ? DateTime.UtcNow.AddMilliseconds(maxTimeMs) : null;
        ReplicaSetCoordinator set = member.Set;
        while (true)
        {
            Task progress = set.Progress;
            if ((member.IsPrimary || set.HasApplied(member, after)) && (!majority || set.MajorityHasApplied(after)))
            {
                return null;
            }

            DateTime? wake = set.NextDelayedApply() is DateTime due ? due.AddMilliseconds(1) : null;
            if (deadline is DateTime end)
            {
                if (DateTime.UtcNow >= end)
                {
                    return new CommandException(ErrorCodes.MaxTimeMsExpired, "MaxTimeMSExpired", "operation exceeded time limit");
                }

                wake = wake is null || end < wake ? end : wake;
            }

            TimeSpan wait = wake is DateTime at ? TimeSpan.FromTicks(Math.Max(0, (at - DateTime.UtcNow).Ticks)) : Timeout.InfiniteTimeSpan;
            try
            {
                await progress.WaitAsync(wait, cancellationToken).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                // Look again.
            }
        }
    }

    /// <summary>
    /// The time a read must have every write up to applied: afterClusterTime, or a snapshot read's atClusterTime (mongod
    /// waits for that time on a secondary before it reads at it).
    /// </summary>
    private static BsonValue? ReadsThrough(BsonDocument readConcern) =>
        readConcern.GetValueOrDefault("afterClusterTime")
        ?? (readConcern.GetValueOrDefault("level") is BsonString { Value: "snapshot" } ? readConcern.GetValueOrDefault("atClusterTime") : null);

    /// <summary>
    /// Enters a command's run: a write on a replica-set member takes the set's lock and must find the member primary
    /// (else NotWritablePrimary); a read pins the member's view. Dispose it when the handler is done.
    /// </summary>
    private ExecutionScope EnterExecution(string name, BsonDocument command, ConnectionInfo connection)
    {
        if (_state.Replication is not ReplicaMember member)
        {
            return default;
        }

        if (!SecondaryRules.IsWrite(name, command))
        {
            return new ExecutionScope(member, null, member.PinView());
        }

        object sync = member.Set.Sync;
        Monitor.Enter(sync);
        if (!member.IsPrimary)
        {
            // Stepped down between the dispatcher's check and now: the write never starts.
            Monitor.Exit(sync);
            throw ReplicaSetCoordinator.NotWritablePrimary(connection.HelloOk);
        }

        return new ExecutionScope(member, sync, default);
    }

    /// <summary>The operationTime of a reply: a lagging member reports the optime it has applied, so a causally consistent client asks it for nothing newer.</summary>
    private BsonTimestamp OperationTime(BsonTimestamp clusterTime) =>
        _state.Replication is ReplicaMember { IsPrimary: false, Lags: true } member ? member.Set.AppliedBy(member).OpTime.Timestamp : clusterTime;

    /// <summary>After a write: waits for its write concern and adds mongod's writeConcernError when it is not satisfied.</summary>
    private async ValueTask WaitForWriteConcernAsync(WriteTicket ticket, string name, BsonDocument command, BsonDocument reply, CancellationToken cancellationToken)
    {
        if (ticket.Member is not ReplicaMember member)
        {
            return;
        }

        BsonDocument? error = await member.Set.WaitForWriteConcernAsync(member, ticket.Index, ticket.Term, command, cancellationToken).ConfigureAwait(false);
        if (error is not null && !reply.Contains("writeConcernError"))
        {
            reply.Set("writeConcernError", error);
            // mongod's ErrorLabelBuilder: a retryable write whose write concern failed retryably (PrimarySteppedDown) is
            // labelled, and a commit's is UnknownTransactionCommitResult.
            if (DefaultLabels(command, name, null, error["code"].ToInt32()) is BsonArray labels && !reply.Contains("errorLabels"))
            {
                reply.Set("errorLabels", labels);
            }
        }
    }

    /// <summary>The write a command made (its log entry), whose write concern the dispatcher waits for.</summary>
    private readonly record struct WriteTicket(ReplicaMember? Member, long Index, long Term);

    /// <summary>See <see cref="EnterExecution"/>.</summary>
    private readonly struct ExecutionScope(ReplicaMember? member, object? sync, ReplicaMember.PinScope pin) : IDisposable
    {
        /// <summary>The write completed: appends its log entry (under the lock still held) and returns its ticket.</summary>
        public WriteTicket Complete()
        {
            if (sync is null || member is null)
            {
                return default;
            }

            (long index, OpTime opTime) = member.Set.AppendLocked();
            return new WriteTicket(member, index, opTime.Term);
        }

        /// <summary>For a retried write answered from the retryable-write table: the write concern applies to the newest entry.</summary>
        public WriteTicket Existing() =>
            sync is not null && member is not null ? new WriteTicket(member, member.Set.LastIndex, member.Set.Term) : default;

        public void Dispose()
        {
            if (sync is not null)
            {
                Monitor.Exit(sync);
            }
            else if (member is not null)
            {
                pin.Dispose();
            }
        }
    }
}
