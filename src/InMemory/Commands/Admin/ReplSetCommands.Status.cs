using Mongo.Bson;
using Mongo.InMemory.Server.Replication;

namespace Mongo.InMemory.Commands.Admin;

/// <summary>replSetGetStatus, in the shape of a MongoDB 8.0 member's answer, as seen from the member it runs on.</summary>
internal static partial class ReplSetCommands
{
    private static BsonDocument GetStatus(CommandContext context)
    {
        ReplicaMember self = Member(context);
        ReplicaSetCoordinator set = self.Set;
        DateTime now = DateTime.UtcNow;
        var nowDate = new BsonDateTime(now);
        OpTime applied = set.AppliedBy(self).OpTime;
        OpTime committed = set.MajorityOpTime();
        if (committed.Timestamp.Value > applied.Timestamp.Value)
        {
            committed = applied;
        }

        ReplicaMember? primary = set.Primary;
        ReplicaMember? syncSource = self.IsPrimary || primary is null ? null : primary;
        var reply = new BsonDocument
        {
            { "set", set.Name },
            { "date", nowDate },
            { "myState", (int)self.State },
            { "term", new BsonInt64(set.Term) },
            { "syncSourceHost", syncSource?.Host ?? string.Empty },
            { "syncSourceId", syncSource?.Id ?? -1 },
            { "heartbeatIntervalMillis", new BsonInt64(2000) },
            { "majorityVoteCount", set.Majority },
            { "writeMajorityCount", set.Majority },
            { "votingMembersCount", set.Members.Count },
            { "writableVotingMembersCount", set.Members.Count },
            {
                "optimes", new BsonDocument
                {
                    { "lastCommittedOpTime", committed.ToDocument() },
                    { "lastCommittedWallTime", committed.WallDate },
                    { "readConcernMajorityOpTime", committed.ToDocument() },
                    { "appliedOpTime", applied.ToDocument() },
                    { "durableOpTime", applied.ToDocument() },
                    { "writtenOpTime", applied.ToDocument() },
                    { "lastAppliedWallTime", applied.WallDate },
                    { "lastDurableWallTime", applied.WallDate },
                    { "lastWrittenWallTime", applied.WallDate },
                }
            },
            { "lastStableRecoveryTimestamp", committed.Timestamp },
        };

        if (self.IsPrimary)
        {
            reply.Add("electionCandidateMetrics", new BsonDocument
            {
                { "lastElectionReason", set.ElectionReason },
                { "lastElectionDate", new BsonDateTime(set.ElectionDate) },
                { "electionTerm", new BsonInt64(set.Term) },
                { "lastCommittedOpTimeAtElection", committed.ToDocument() },
                { "lastSeenOpTimeAtElection", set.ElectionOpTime.ToDocument() },
                { "numVotesNeeded", set.Majority },
                { "priorityAtElection", 1.0 },
                { "electionTimeoutMillis", new BsonInt64((long)set.ElectionTimeout.TotalMilliseconds) },
                { "newTermStartDate", set.ElectionOpTime.WallDate },
                { "wMajorityWriteAvailabilityDate", set.ElectionOpTime.WallDate },
            });
        }

        var members = new BsonArray();
        foreach (ReplicaMember member in set.Members)
        {
            members.Add(MemberStatus(member, self, primary, now));
        }

        reply.Add("members", members);
        return reply;
    }

    private static BsonDocument MemberStatus(ReplicaMember member, ReplicaMember self, ReplicaMember? primary, DateTime now)
    {
        ReplicaSetCoordinator set = member.Set;
        var document = new BsonDocument { { "_id", member.Id }, { "name", member.Host } };
        if (!member.IsRunning)
        {
            // What a member's heartbeats report about a member that refuses connections.
            OpTime none = OpTime.Null;
            document.Add("health", 0.0);
            document.Add("state", (int)MemberState.Down);
            document.Add("stateStr", "(not reachable/healthy)");
            document.Add("uptime", 0);
            document.Add("optime", none.ToDocument());
            document.Add("optimeDurable", none.ToDocument());
            document.Add("optimeWritten", none.ToDocument());
            document.Add("optimeDate", none.WallDate);
            document.Add("optimeDurableDate", none.WallDate);
            document.Add("optimeWrittenDate", none.WallDate);
            document.Add("lastAppliedWallTime", none.WallDate);
            document.Add("lastDurableWallTime", none.WallDate);
            document.Add("lastWrittenWallTime", none.WallDate);
            document.Add("lastHeartbeat", new BsonDateTime(now));
            document.Add("lastHeartbeatRecv", none.WallDate);
            document.Add("pingMs", new BsonInt64(0));
            document.Add("lastHeartbeatMessage", $"Error connecting to {member.Host} :: caused by :: Connection refused");
            document.Add("authenticated", false);
            document.Add("syncSourceHost", string.Empty);
            document.Add("syncSourceId", -1);
            document.Add("infoMessage", string.Empty);
            document.Add("configVersion", -1);
            document.Add("configTerm", -1);
            return document;
        }

        OpTime applied = set.AppliedBy(member).OpTime;
        ReplicaMember? syncSource = member.IsPrimary || primary is null ? null : primary;
        document.Add("health", 1.0);
        document.Add("state", (int)member.State);
        document.Add("stateStr", member.IsPrimary ? "PRIMARY" : "SECONDARY");
        document.Add("uptime", (int)(now - member.StartedAt).TotalSeconds);
        document.Add("optime", applied.ToDocument());
        if (member != self)
        {
            document.Add("optimeDurable", applied.ToDocument());
            document.Add("optimeWritten", applied.ToDocument());
        }

        document.Add("optimeDate", applied.WallDate);
        if (member != self)
        {
            document.Add("optimeDurableDate", applied.WallDate);
            document.Add("optimeWrittenDate", applied.WallDate);
        }

        document.Add("lastAppliedWallTime", applied.WallDate);
        document.Add("lastDurableWallTime", applied.WallDate);
        document.Add("lastWrittenWallTime", applied.WallDate);
        if (member != self)
        {
            document.Add("lastHeartbeat", new BsonDateTime(now));
            document.Add("lastHeartbeatRecv", new BsonDateTime(now));
            document.Add("pingMs", new BsonInt64(0));
            document.Add("lastHeartbeatMessage", string.Empty);
        }

        document.Add("syncSourceHost", syncSource?.Host ?? string.Empty);
        document.Add("syncSourceId", syncSource?.Id ?? -1);
        document.Add("infoMessage", string.Empty);
        if (member.IsPrimary)
        {
            document.Add("electionTime", set.ElectionOpTime.Timestamp);
            document.Add("electionDate", new BsonDateTime(set.ElectionDate));
        }

        document.Add("configVersion", set.ConfigVersion);
        document.Add("configTerm", (int)set.Term);
        if (member == self)
        {
            document.Add("self", true);
            document.Add("lastHeartbeatMessage", string.Empty);
        }

        return document;
    }

    /// <summary>serverStatus's <c>repl</c> section for a member.</summary>
    public static BsonDocument ServerStatusSection(ReplicaMember member)
    {
        ReplicaSetCoordinator set = member.Set;
        var hosts = new BsonArray();
        foreach (ReplicaMember each in set.Members)
        {
            hosts.Add(each.Host);
        }

        var section = new BsonDocument
        {
            { "topologyVersion", member.TopologyVersion() },
            { "hosts", hosts },
            { "setName", set.Name },
            { "setVersion", set.ConfigVersion },
            { "isWritablePrimary", member.IsPrimary },
            { "secondary", !member.IsPrimary },
        };
        if (set.ReportedPrimary is ReplicaMember primary)
        {
            section.Add("primary", primary.Host);
        }

        section.Add("me", member.Host);
        if (member.IsPrimary)
        {
            section.Add("electionId", set.ElectionId);
        }

        section.Add("rbid", 1);
        return section;
    }
}
