using System.Collections.Concurrent;
using Mongo.Bson;
using Mongo.Driver;

namespace Mongo.Testing.Unified;

/// <summary>What runOnRequirements are checked against: the server's version, topology and parameters.</summary>
internal sealed class ServerInfo
{
    private static readonly ConcurrentDictionary<string, Task<ServerInfo>> s_cache = new(StringComparer.Ordinal);

    private ServerInfo(MongoClient client, Version version, string versionText, string topology)
    {
        Version = version;
        VersionText = versionText;
        Topology = topology;
        AuthEnabled = client.Settings.Credential is not null;
    }

    public Version Version { get; }

    public string VersionText { get; }

    public string Topology { get; }

    /// <summary>Whether the runner authenticates to this deployment (the connection string names a user).</summary>
    public bool AuthEnabled { get; }

    public static Task<ServerInfo> GetAsync(MongoClient client) =>
        s_cache.GetOrAdd(client.Settings.Servers[0].ToString(), _ => LoadAsync(client));

    private static async Task<ServerInfo> LoadAsync(MongoClient client)
    {
        var admin = client.GetDatabase("admin");
        var buildInfo = await admin.RunCommandAsync(new BsonDocument("buildInfo", 1));
        var versionText = buildInfo["version"].AsString;
        var hello = await admin.RunCommandAsync(new BsonDocument("hello", 1));
        string topology = client.Settings.LoadBalanced ? "load-balanced"
            : hello.Contains("setName") ? "replicaset"
            : hello.GetValueOrDefault("msg")?.ToString() == "isdbgrid" ? "sharded"
            : "single";
        return new ServerInfo(client, ParseVersion(versionText), versionText, topology);
    }

    public static Version ParseVersion(string text)
    {
        var parts = text.Split('-')[0].Split('.');
        int Part(int i) => i < parts.Length && int.TryParse(parts[i], out var n) ? n : 0;
        return new Version(Part(0), Part(1), Part(2));
    }

    /// <summary>
    /// Throws <see cref="UnifiedSkipException"/> unless at least one requirement is met; a
    /// <see cref="UnifiedDeploymentSkipException"/> when some requirement fails only on the topology or on authentication.
    /// </summary>
    /// <param name="requirements">The runOnRequirements (null or empty: met).</param>
    /// <param name="level">"file" or "test", for the message.</param>
    /// <param name="client">
    /// The calling runner's client, for serverParameters: the information is cached per server, so the client that
    /// first loaded it may be disposed by now.
    /// </param>
    public void CheckRequirements(BsonArray? requirements, string level, MongoClient client)
    {
        if (requirements is null || requirements.Count == 0)
        {
            return;
        }

        var reasons = new List<string>();
        var deployments = new List<(IReadOnlyCollection<string> Topologies, bool Auth)>();
        foreach (var item in requirements)
        {
            var requirement = item.AsDocument;
            var reason = Unmet(requirement, deployment: false, client);
            if (reason is null)
            {
                reason = Unmet(requirement, deployment: true, client);
                if (reason is null)
                {
                    return;
                }

                // Everything but the deployment is met: another deployment of the same server could run it.
                var topologies = (requirement.GetValueOrDefault("topologies") as BsonArray)?.Select(t => t.AsString).ToArray() ?? [Topology, "single", "replicaset", "sharded", "load-balanced"];
                deployments.Add((topologies, requirement.GetValueOrDefault("auth")?.ToBoolean() ?? AuthEnabled));
            }

            reasons.Add(reason);
        }

        var message = $"{level} runOnRequirements not met by {Topology} server {VersionText}{(AuthEnabled ? " with auth" : "")}: " + string.Join(" / ", reasons);
        throw deployments.Count > 0 ? new UnifiedDeploymentSkipException(message, deployments) : new UnifiedSkipException(message);
    }

    /// <summary>The first unmet condition: <paramref name="deployment"/> picks topology and auth, otherwise everything else.</summary>
    private string? Unmet(BsonDocument requirement, bool deployment, MongoClient client)
    {
        foreach (var element in requirement)
        {
            bool isDeployment = element.Name is "topologies" or "auth";
            if (isDeployment != deployment)
            {
                continue;
            }

            switch (element.Name)
            {
                case "minServerVersion" when Version < ParseVersion(element.Value.AsString):
                    return "needs server >= " + element.Value.AsString;
                case "maxServerVersion" when Version > ParseVersion(element.Value.AsString):
                    return "needs server <= " + element.Value.AsString;
                case "topologies" when !element.Value.AsArray.Any(t => t.AsString == Topology || (t.AsString == "sharded-replicaset" && Topology == "sharded")):
                    return "needs topology " + element.Value;
                case "serverless" when element.Value.AsString == "require":
                    return "needs serverless";
                case "auth" when element.Value.ToBoolean() != AuthEnabled:
                    return element.Value.ToBoolean() ? "needs authentication enabled" : "needs authentication disabled";
                case "csfle" when element.Value.ToBoolean():
                    return "needs client-side encryption";
                case "authMechanism":
                    // The deployment's enabled mechanisms are not known here: never assume the requirement is met.
                    return "needs authMechanism " + element.Value + " (this runner cannot tell which mechanisms the deployment enables)";
                case "serverParameters":
                    var parameters = ServerParameters(element.Value.AsDocument, client);
                    if (parameters is not null)
                    {
                        return parameters;
                    }

                    break;
            }
        }

        return null;
    }

    private static string? ServerParameters(BsonDocument expected, MongoClient client)
    {
        var command = new BsonDocument("getParameter", 1);
        foreach (var name in expected.Names)
        {
            command.Add(name, 1);
        }

        BsonDocument actual;
        try
        {
            actual = client.GetDatabase("admin").RunCommand(command);
        }
        catch (MongoException ex)
        {
            return "getParameter failed: " + ex.Message;
        }

        foreach (var element in expected)
        {
            if (!actual.TryGetValue(element.Name, out var value) || !(value.Equals(element.Value) || (value.IsNumeric && element.Value.IsNumeric && value.ToDouble() == element.Value.ToDouble())))
            {
                return "needs server parameter " + element.Name + "=" + element.Value;
            }
        }

        return null;
    }
}
