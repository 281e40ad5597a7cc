using Mongo.Bson;
using Mongo.InMemory.Server.Replication;

namespace Mongo.InMemory.Commands.Admin;

/// <summary>The replica-set part of hello, in the order and shape a MongoDB 8.0 member answers with.</summary>
internal sealed partial class HelloCommand
{
    private static void AppendReplicaSetFields(BsonDocument reply, ReplicaMember member, string commandName)
    {
        ReplicaSetCoordinator set = member.Set;
        var hosts = new BsonArray();
        foreach (ReplicaMember each in set.Members)
        {
            hosts.Add(each.Host);
        }

        // Read once, under the set's lock: an election may run concurrently, and the reply must be one consistent picture
        // (a state from after a transition with the topologyVersion from before it would hide the change from streaming
        // monitors, which wait for the next counter).
        bool primary;
        ReplicaMember? reportedPrimary;
        BsonDocument topologyVersion;
        ObjectId electionId;
        lock (set.Sync)
        {
            primary = member.IsPrimary;
            reportedPrimary = set.ReportedPrimary;
            topologyVersion = member.TopologyVersion();
            electionId = set.ElectionId;
        }

        (_, OpTime applied) = set.AppliedBy(member);
        OpTime majority = set.MajorityOpTime();
        if (majority.Timestamp.Value > applied.Timestamp.Value)
        {
            majority = applied; // a member cannot know of a commit point past what it has itself applied
        }

        reply.Add("topologyVersion", topologyVersion);
        reply.Add("hosts", hosts);
        reply.Add("setName", set.Name);
        reply.Add("setVersion", set.ConfigVersion);
        reply.Add(commandName == "hello" ? "isWritablePrimary" : "ismaster", primary);
        reply.Add("secondary", !primary);
        if (reportedPrimary is not null)
        {
            reply.Add("primary", reportedPrimary.Host);
        }

        reply.Add("me", member.Host);
        if (primary)
        {
            reply.Add("electionId", electionId); // only the primary reports it, as on mongod
        }

        reply.Add("lastWrite", new BsonDocument
        {
            { "opTime", applied.ToDocument() },
            { "lastWriteDate", applied.WallDate },
            { "majorityOpTime", majority.ToDocument() },
            { "majorityWriteDate", majority.WallDate },
        });
    }
}
