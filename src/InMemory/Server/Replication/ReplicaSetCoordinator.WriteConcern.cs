using Mongo.Bson;
using Mongo.InMemory.Commands;

namespace Mongo.InMemory.Server.Replication;

/// <summary>
/// Write concerns: after a write, the primary waits until enough members have applied its entry, as mongod 8.0 does.
/// Without a writeConcern the implicit default of a replica set applies: <c>{ w: "majority" }</c>.
/// </summary>
internal sealed partial class ReplicaSetCoordinator
{
    /// <summary>
    /// Waits until the write at <paramref name="index"/> satisfies the command's write concern; returns the
    /// writeConcernError document mongod would report, or null when it is satisfied.
    /// </summary>
    /// <param name="primary">The member the write ran on.</param>
    /// <param name="index">The write's log entry.</param>
    /// <param name="term">The term the write ran in: a step-down (a new term) ends the wait with PrimarySteppedDown, as on mongod.</param>
    /// <param name="command">The command, for its writeConcern.</param>
    /// <param name="cancellationToken">Cancelled when the member's server stops.</param>
    public async ValueTask<BsonDocument?> WaitForWriteConcernAsync(ReplicaMember primary, long index, long term, BsonDocument command, CancellationToken cancellationToken)
    {
        BsonDocument? given = command.GetValueOrDefault("writeConcern") as BsonDocument;
        BsonValue w = given?.GetValueOrDefault("w") ?? (given is null ? new BsonString("majority") : new BsonInt32(1));
        long wtimeout = given?.GetValueOrDefault("wtimeout") is BsonValue t && t.IsNumeric ? t.ToInt64() : 0;
        string provenance = given is null ? "implicitDefault" : "clientSupplied";

        int needed;
        if (w is BsonString { Value: "majority" })
        {
            needed = Majority;
        }
        else if (w.IsNumeric)
        {
            needed = (int)Math.Max(0, w.ToInt64());
            if (needed > _members.Length)
            {
                return Error(100, "Not enough data-bearing nodes", wtimedOut: false);
            }
        }
        else if (w is BsonString tag)
        {
            return Error(79, $"No write concern mode named '{tag.Value}' found in replica set configuration", wtimedOut: false);
        }
        else
        {
            return null; // a malformed w is the command parser's business; there is nothing to wait for
        }

        if (needed <= 1 || (primary.IsPrimary && Term == term && CountApplied(index) >= needed))
        {
            return null; // the usual case: every member that keeps up has the write already
        }

        DateTime? deadline = wtimeout > 0 ? DateTime.UtcNow.AddMilliseconds(wtimeout) : null;
        while (true)
        {
            Task progress = Progress; // taken before looking, so no change is missed
            if (!primary.IsPrimary || Term != term)
            {
                // mongod fails every waiter when its primary steps down, even one a new primary would satisfy.
                return Error(189, "Primary stepped down while waiting for replication", wtimedOut: false);
            }

            if (CountApplied(index) >= needed)
            {
                return null;
            }

            DateTime now = DateTime.UtcNow;
            if (deadline is DateTime end && now >= end)
            {
                return Error(64, "waiting for replication timed out", wtimedOut: true);
            }

            // Wake for the next change, the next entry a delayed member applies, or the deadline.
            DateTime? wake = NextDelayedApply() is DateTime due ? due.AddMilliseconds(1) : null;
            if (deadline is DateTime limit && (wake is null || limit < wake))
            {
                wake = limit;
            }

            TimeSpan wait = wake is DateTime at ? at - now : Timeout.InfiniteTimeSpan;
            if (wait != Timeout.InfiniteTimeSpan && wait < TimeSpan.Zero)
            {
                wait = TimeSpan.Zero;
            }

            try
            {
                await progress.WaitAsync(wait, cancellationToken).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                // Time to look again.
            }
        }

        BsonDocument Error(int code, string message, bool wtimedOut)
        {
            var writeConcern = new BsonDocument { { "w", w }, { "wtimeout", wtimeout > int.MaxValue ? new BsonInt64(wtimeout) : new BsonInt32((int)wtimeout) } };
            writeConcern.Add("provenance", provenance);
            var errInfo = new BsonDocument();
            if (wtimedOut)
            {
                errInfo.Add("wtimeout", true);
            }

            errInfo.Add("writeConcern", writeConcern);
            return new BsonDocument
            {
                { "code", code },
                { "codeName", ErrorCodes.NameOf(code) },
                { "errmsg", message },
                { "errInfo", errInfo },
            };
        }
    }
}
