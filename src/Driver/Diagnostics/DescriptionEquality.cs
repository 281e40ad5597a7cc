using Mongo.Driver.Topology;

namespace Mongo.Driver.Diagnostics;

/// <summary>
/// SDAM's "server description equality" (every field from hello that SDAM uses, but not the round trip time nor the
/// last-write and last-update times), which decides whether a change event is published.
/// </summary>
internal static class DescriptionEquality
{
    public static bool Equal(ServerDescription a, ServerDescription b)
    {
        if (ReferenceEquals(a, b))
        {
            return true;
        }

        return a.Address.Equals(b.Address)
            && a.Type == b.Type
            && a.MinWireVersion == b.MinWireVersion
            && a.MaxWireVersion == b.MaxWireVersion
            && a.Me == b.Me
            && SameList(a.Hosts, b.Hosts)
            && SameList(a.Passives, b.Passives)
            && SameList(a.Arbiters, b.Arbiters)
            && SameTags(a.Tags, b.Tags)
            && a.SetName == b.SetName
            && a.SetVersion == b.SetVersion
            && Nullable.Equals(a.ElectionId, b.ElectionId)
            && a.Primary == b.Primary
            && a.LogicalSessionTimeoutMinutes == b.LogicalSessionTimeoutMinutes
            && Equals(a.TopologyVersion, b.TopologyVersion)
            && SameError(a.Error, b.Error);
    }

    public static bool Equal(TopologyDescription a, TopologyDescription b)
    {
        if (ReferenceEquals(a, b))
        {
            return true;
        }

        if (a.Type != b.Type || a.SetName != b.SetName || a.MaxSetVersion != b.MaxSetVersion || !Nullable.Equals(a.MaxElectionId, b.MaxElectionId)
            || a.CompatibilityError != b.CompatibilityError || a.Servers.Count != b.Servers.Count)
        {
            return false;
        }

        foreach (KeyValuePair<MongoServerAddress, ServerDescription> server in a.Servers)
        {
            if (!b.Servers.TryGetValue(server.Key, out ServerDescription? other) || !Equal(server.Value, other))
            {
                return false;
            }
        }

        return true;
    }

    private static bool SameList(IReadOnlyList<string> a, IReadOnlyList<string> b)
    {
        if (a.Count != b.Count)
        {
            return false;
        }

        // Order does not matter: hosts are a set.
        var set = new HashSet<string>(a, StringComparer.Ordinal);
        foreach (string host in b)
        {
            if (!set.Contains(host))
            {
                return false;
            }
        }

        return true;
    }

    private static bool SameTags(IReadOnlyDictionary<string, string> a, IReadOnlyDictionary<string, string> b)
    {
        if (a.Count != b.Count)
        {
            return false;
        }

        foreach (KeyValuePair<string, string> tag in a)
        {
            if (!b.TryGetValue(tag.Key, out string? value) || value != tag.Value)
            {
                return false;
            }
        }

        return true;
    }

    private static bool SameError(Exception? a, Exception? b) =>
        (a is null && b is null) || (a is not null && b is not null && a.GetType() == b.GetType() && a.Message == b.Message);
}
