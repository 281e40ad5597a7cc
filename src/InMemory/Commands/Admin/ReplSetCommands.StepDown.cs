using Mongo.Bson;
using Mongo.InMemory.Engine;
using Mongo.InMemory.Server.Replication;

namespace Mongo.InMemory.Commands.Admin;

/// <summary>
/// replSetStepDown: <c>{ replSetStepDown: stepDownSecs (0: 60), secondaryCatchUpPeriodSecs (10, or 0 with force),
/// force }</c>. The primary waits up to the catch-up period for an electable secondary that has applied everything,
/// then steps down and hands over to it; without one it fails with ExceededTimeLimit, or with force steps down anyway.
/// It may not be elected again for stepDownSecs. As on mongod 4.2+, connections stay open.
/// </summary>
internal static partial class ReplSetCommands
{
    private sealed class StepDownCommand : IAsyncCommandHandler
    {
        public IReadOnlyList<string> Names { get; } = ["replSetStepDown"];

        public BsonDocument Execute(CommandContext context) => throw new InvalidOperationException("replSetStepDown runs asynchronously");

        public async ValueTask<BsonDocument> ExecuteAsync(CommandContext context, CancellationToken cancellationToken)
        {
            ReplicaMember member = Member(context);
            BsonDocument command = context.Command;
            bool force = command.GetValueOrDefault("force") is BsonValue f && f.ToBoolean();
            long stepDownSecs = command[0].IsNumeric ? (long)command[0].ToDouble() : 0;
            if (stepDownSecs == 0)
            {
                stepDownSecs = 60;
            }
            else if (stepDownSecs < 0)
            {
                throw Errors.BadValue("stepdown period must be a positive integer");
            }

            long catchUpSecs = force ? 0 : 10;
            if (command.GetValueOrDefault("secondaryCatchUpPeriodSecs") is BsonValue catchUp)
            {
                if (!catchUp.IsNumeric)
                {
                    throw Errors.TypeMismatch($"\"secondaryCatchUpPeriodSecs\" had the wrong type. Expected number, found {BsonOrder.TypeName(catchUp)}");
                }

                catchUpSecs = (long)catchUp.ToDouble();
            }

            if (catchUpSecs < 0)
            {
                throw Errors.BadValue("secondaryCatchUpPeriodSecs period must be a positive or absent");
            }

            if (stepDownSecs < catchUpSecs)
            {
                throw Errors.BadValue("stepdown period must be longer than secondaryCatchUpPeriodSecs");
            }

            ReplicaSetCoordinator set = member.Set;
            DateTime deadline = DateTime.UtcNow.AddSeconds(catchUpSecs);
            while (true)
            {
                Task progress = set.Progress;
                lock (set.Sync)
                {
                    if (!member.IsPrimary)
                    {
                        throw Errors.Of(ErrorCodes.NotWritablePrimary, "not primary so can't step down");
                    }

                    if (CaughtUpCandidate(member) is not null || (force && DateTime.UtcNow >= deadline))
                    {
                        set.StepDownLocked(member, TimeSpan.FromSeconds(stepDownSecs), handoff: true);
                        return new BsonDocument();
                    }
                }

                DateTime now = DateTime.UtcNow;
                if (now >= deadline)
                {
                    throw new CommandException(ErrorCodes.ExceededTimeLimit, "ExceededTimeLimit",
                        $"No electable secondaries caught up as of {IsoDate(now)}. Please use the replSetStepDown command with the argument {{force: true}} to force node to step down.");
                }

                DateTime wake = set.NextDelayedApply() is DateTime due && due < deadline ? due.AddMilliseconds(1) : deadline;
                try
                {
                    await progress.WaitAsync(TimeSpan.FromTicks(Math.Max(0, (wake - now).Ticks)), cancellationToken).ConfigureAwait(false);
                }
                catch (TimeoutException)
                {
                    // Look again.
                }
            }
        }

        /// <summary>An electable member that has applied everything the primary has (call under the set's lock).</summary>
        private static ReplicaMember? CaughtUpCandidate(ReplicaMember primary)
        {
            ReplicaSetCoordinator set = primary.Set;
            ReplicaMember? candidate = set.BestCandidate(exclude: primary);
            return candidate is not null && set.AppliedBy(candidate).Index >= set.LastIndex ? candidate : null;
        }
    }
}
