using System.Globalization;
using Mongo.Bson;
using Mongo.InMemory.Engine;
using Mongo.InMemory.Server.Replication;

namespace Mongo.InMemory.Commands.Admin;

/// <summary>
/// The replica-set administration commands (replSetGetStatus, replSetGetConfig, replSetStepDown, replSetFreeze,
/// replSetInitiate, replSetReconfig), answered as a MongoDB 8.0 member answers them so that mongosh's <c>rs.status()</c>,
/// <c>rs.conf()</c> and <c>rs.stepDown()</c> work. All run against admin only; a standalone answers NoReplicationEnabled.
/// </summary>
internal static partial class ReplSetCommands
{
    private const int NoReplicationEnabled = 76;
    private const int AlreadyInitialized = 23;
    private const int NotSecondary = 95;

    public static IEnumerable<ICommandHandler> All() =>
    [
        new DelegateCommand(["replSetGetStatus"], GetStatus),
        new DelegateCommand(["replSetGetConfig"], GetConfig),
        new DelegateCommand(["replSetFreeze"], Freeze),
        new DelegateCommand(["replSetInitiate"], Initiate),
        new DelegateCommand(["replSetReconfig"], Reconfig),
        new StepDownCommand(),
    ];

    /// <summary>The member the command runs on; mongod's checks first: admin only, then a replica set at all.</summary>
    private static ReplicaMember Member(CommandContext context, string standaloneMessage = "not running with --replSet")
    {
        if (context.DatabaseName != "admin")
        {
            throw Errors.Of(ErrorCodes.Unauthorized, context.CommandName + " may only be run against the admin database.");
        }

        if (context.Server.IsRouter)
        {
            throw Errors.Of(ErrorCodes.CommandNotFound, $"no such command: '{context.CommandName}'");
        }

        return context.Server.Replication
            ?? throw new CommandException(NoReplicationEnabled, "NoReplicationEnabled", standaloneMessage);
    }

    private static BsonDocument GetConfig(CommandContext context)
    {
        ReplicaMember member = Member(context);
        ReplicaSetCoordinator set = member.Set;
        var members = new BsonArray();
        foreach (ReplicaMember each in set.Members)
        {
            members.Add(new BsonDocument
            {
                { "_id", each.Id },
                { "host", each.Host },
                { "arbiterOnly", false },
                { "buildIndexes", true },
                { "hidden", false },
                { "priority", 1 },
                { "tags", new BsonDocument() },
                { "secondaryDelaySecs", new BsonInt64(0) },
                { "votes", 1 },
            });
        }

        var config = new BsonDocument
        {
            { "_id", set.Name },
            { "version", set.ConfigVersion },
            { "term", (int)set.Term },
            { "members", members },
            { "protocolVersion", new BsonInt64(1) },
            { "writeConcernMajorityJournalDefault", true },
            {
                "settings", new BsonDocument
                {
                    { "chainingAllowed", true },
                    { "heartbeatIntervalMillis", 2000 },
                    { "heartbeatTimeoutSecs", 10 },
                    { "electionTimeoutMillis", (int)set.ElectionTimeout.TotalMilliseconds },
                    { "catchUpTimeoutMillis", -1 },
                    { "catchUpTakeoverDelayMillis", 30000 },
                    { "getLastErrorModes", new BsonDocument() },
                    { "getLastErrorDefaults", new BsonDocument { { "w", 1 }, { "wtimeout", 0 } } },
                    { "replicaSetId", set.ReplicaSetId },
                }
            },
        };

        var reply = new BsonDocument("config", config);
        if (Data.DataCommand.OptionalBool(context.Command, "commitmentStatus", false))
        {
            reply.Add("commitmentStatus", true); // the configuration never changes, so it is always committed
        }

        return reply;
    }

    private static BsonDocument Freeze(CommandContext context)
    {
        ReplicaMember member = Member(context);
        BsonValue first = context.Command[0];
        int seconds = first.IsNumeric ? (int)Math.Clamp(first.ToDouble(), int.MinValue, int.MaxValue) : 0;
        lock (member.Set.Sync)
        {
            if (member.IsPrimary)
            {
                throw new CommandException(NotSecondary, "NotSecondary", "cannot freeze node when primary or running for election. state: Primary");
            }

            var reply = new BsonDocument();
            if (seconds <= 0)
            {
                member.FrozenUntil = default;
                reply.Add("info", "unfreezing");
            }
            else
            {
                member.FrozenUntil = DateTime.UtcNow.AddSeconds(seconds);
                if (seconds == 1)
                {
                    reply.Add("warning", "you really want to freeze for only 1 second?");
                }
            }

            return reply;
        }
    }

    private static BsonDocument Initiate(CommandContext context)
    {
        Member(context, "This node was not started with the replSet option");
        throw new CommandException(AlreadyInitialized, "AlreadyInitialized", "already initialized");
    }

    private static BsonDocument Reconfig(CommandContext context)
    {
        Member(context);
        throw Errors.NotImplemented("replSetReconfig is not supported by Mongo.InMemory: an in-memory replica set keeps the configuration it started with");
    }

    /// <summary>mongod's date in messages such as "No electable secondaries caught up as of ...".</summary>
    private static string IsoDate(DateTime utc) => utc.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'+00:00'", CultureInfo.InvariantCulture);
}
