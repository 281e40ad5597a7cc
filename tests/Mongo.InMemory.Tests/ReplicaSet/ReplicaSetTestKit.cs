using MongoDB.Driver;
using O = MongoDB.Bson;

namespace Mongo.InMemory.Tests.ReplicaSet;

/// <summary>Helpers shared by the replica-set tests: clients of the official driver and raw commands on one member.</summary>
internal static class ReplicaSetTestKit
{
    /// <summary>A client of the whole set (discovery from the connection string), with short timeouts.</summary>
    public static MongoClient Client(InMemoryReplicaSet set, Action<MongoClientSettings>? configure = null) =>
        Client(set.ConnectionString, configure);

    public static MongoClient Client(string connectionString, Action<MongoClientSettings>? configure = null)
    {
        var settings = MongoClientSettings.FromConnectionString(connectionString);
        settings.ServerSelectionTimeout = TimeSpan.FromSeconds(10);
        settings.ConnectTimeout = TimeSpan.FromSeconds(5);
        configure?.Invoke(settings);
        return new MongoClient(settings);
    }

    /// <summary>
    /// A client talking to one member only (directConnection), as tests that inspect a member's answers need; with
    /// <paramref name="secondaryOk"/> its reads carry readPreference secondaryPreferred, so a secondary answers them.
    /// </summary>
    public static MongoClient Direct(InMemoryReplicaSetMember member, bool secondaryOk = false) =>
        Client(member.DirectConnectionString + (secondaryOk ? "&readPreference=secondaryPreferred" : string.Empty));

    /// <summary>Runs a command on one member and returns its reply, ok or not (no exception for a server error).</summary>
    public static async Task<O.BsonDocument> RawCommandAsync(InMemoryReplicaSetMember member, O.BsonDocument command, string database = "admin")
    {
        using RawWireClient raw = await RawWireClient.ConnectAsync(member.Port);
        command.Set("$db", database);
        await raw.SendAsync(RawWireClient.OpMsg(command));
        RawWireClient.Reply reply = await raw.ReceiveAsync(30_000) ?? throw new InvalidOperationException("no reply from " + member);
        return reply.Document;
    }

    /// <summary>"host:port" of a server the official driver describes (it parses 127.0.0.1 into an IPEndPoint).</summary>
    public static string Endpoint(MongoDB.Driver.Core.Servers.ServerDescription server) =>
        server.EndPoint is System.Net.DnsEndPoint dns ? dns.Host + ":" + dns.Port : server.EndPoint.ToString()!;

    /// <summary>Polls <paramref name="condition"/> until it holds (the driver's monitors notice changes asynchronously).</summary>
    public static async Task EventuallyAsync(Func<bool> condition, string what, int timeoutMs = 60_000)
    {
        var deadline = DateTime.UtcNow.AddMilliseconds(timeoutMs);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("Timed out waiting for: " + what);
            }

            await Task.Delay(20);
        }
    }
}
