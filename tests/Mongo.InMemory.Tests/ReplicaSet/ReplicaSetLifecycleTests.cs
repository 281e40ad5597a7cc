using System.Diagnostics;
using System.Net.Sockets;
using MongoDB.Driver;
using Xunit;
using static Mongo.InMemory.Tests.ReplicaSet.ReplicaSetTestKit;
using O = MongoDB.Bson;

namespace Mongo.InMemory.Tests.ReplicaSet;

/// <summary>Stopping and restarting members: refused connections, elections after the timeout, lost majorities.</summary>
public sealed class ReplicaSetLifecycleTests
{
    private static InMemoryReplicaSetOptions Fast() => new() { ElectionTimeout = TimeSpan.FromMilliseconds(300) };

    [Fact]
    public async Task A_stopped_member_refuses_connections_and_closes_open_ones()
    {
        await using var set = await InMemoryReplicaSet.StartAsync(members: 3);
        InMemoryReplicaSetMember member = set.Members[1];
        using RawWireClient open = await RawWireClient.ConnectAsync(member.Port);
        await open.SendAsync(RawWireClient.OpMsg(new O.BsonDocument { { "ping", 1 }, { "$db", "admin" } }));
        Assert.NotNull(await open.ReceiveAsync());
        Assert.Equal(1, member.Statistics.CurrentConnections);

        await member.StopAsync();
        Assert.False(member.IsRunning);
        Assert.Equal(InMemoryReplicaSetMemberState.Down, member.State);
        Assert.True(await open.IsClosedByServerAsync());
        using var refused = new TcpClient();
        var ex = await Assert.ThrowsAnyAsync<SocketException>(() => refused.ConnectAsync("127.0.0.1", member.Port));
        Assert.Equal(SocketError.ConnectionRefused, ex.SocketErrorCode);
        Assert.Equal(0, member.Statistics.CurrentConnections);
        await member.StopAsync(); // stopping twice is harmless
    }

    [Fact]
    public async Task A_restarted_member_comes_back_on_its_port_as_a_new_process_and_catches_up()
    {
        await using var set = await InMemoryReplicaSet.StartAsync(members: 3);
        InMemoryReplicaSetMember member = set.Members[2];
        int port = member.Port;
        O.BsonDocument before = await RawCommandAsync(member, new O.BsonDocument("hello", 1));
        await member.StopAsync();

        using (var client = Client(set))
        {
            // Two of three members are a majority: w:"majority" writes go on.
            await client.GetDatabase("test").GetCollection<O.BsonDocument>("c").InsertOneAsync(new O.BsonDocument("_id", "while down"));
        }

        Assert.Throws<InvalidOperationException>(() => set.Members[0].Restart());
        await member.RestartAsync();
        Assert.Equal(port, member.Port);
        Assert.Equal(InMemoryReplicaSetMemberState.Secondary, member.State);
        O.BsonDocument after = await RawCommandAsync(member, new O.BsonDocument("hello", 1));
        Assert.NotEqual(before["topologyVersion"]["processId"], after["topologyVersion"]["processId"]);
        Assert.Equal(1L, after["topologyVersion"]["counter"].AsInt64); // a new process: from 0, bumped once by becoming SECONDARY
        Assert.True(after["secondary"].AsBoolean);

        using var direct = Direct(member, secondaryOk: true);
        var found = await direct.GetDatabase("test").GetCollection<O.BsonDocument>("c").Find(new O.BsonDocument()).ToListAsync();
        Assert.Equal("while down", Assert.Single(found)["_id"].AsString);
    }

    [Fact]
    public async Task A_stopped_primary_is_replaced_after_the_election_timeout()
    {
        await using var set = await InMemoryReplicaSet.StartAsync(members: 3, Fast());
        using var client = Client(set);
        var collection = client.GetDatabase("test").GetCollection<O.BsonDocument>("c");
        await collection.InsertOneAsync(new O.BsonDocument("_id", 1));

        var clock = Stopwatch.StartNew();
        await set.Members[0].StopAsync();
        Assert.Null(set.Primary);
        // Until the timeout the others still name the old primary, as their heartbeats have not given up yet.
        O.BsonDocument hello = await RawCommandAsync(set.Members[1], new O.BsonDocument("hello", 1));
        Assert.Equal(set.Members[0].Host, hello["primary"].AsString);

        InMemoryReplicaSetMember primary = await set.WaitForPrimaryAsync(TimeSpan.FromSeconds(30));
        Assert.InRange(clock.Elapsed, TimeSpan.FromMilliseconds(250), TimeSpan.FromSeconds(30));
        Assert.NotEqual(0, primary.Id);
        Assert.Equal(2, set.Term);

        await collection.InsertOneAsync(new O.BsonDocument("_id", 2));
        Assert.Equal(2, await collection.CountDocumentsAsync(new O.BsonDocument()));
    }

    [Fact]
    public async Task A_primary_without_a_majority_steps_down_and_the_set_elects_when_it_is_back()
    {
        await using var set = await InMemoryReplicaSet.StartAsync(members: 3, Fast());
        await set.Members[1].StopAsync();
        await set.Members[2].StopAsync();
        await EventuallyAsync(() => set.Primary is null, "the lone primary steps down");
        Assert.Equal(InMemoryReplicaSetMemberState.Secondary, set.Members[0].State);
        O.BsonDocument hello = await RawCommandAsync(set.Members[0], new O.BsonDocument("hello", 1));
        Assert.False(hello["isWritablePrimary"].AsBoolean);
        Assert.False(hello.Contains("primary"));

        await set.Members[2].RestartAsync();
        InMemoryReplicaSetMember primary = set.WaitForPrimary(TimeSpan.FromSeconds(10)); // the sync twin
        Assert.True(primary.Id is 0 or 2);
    }

    [Fact]
    public async Task Disposing_the_set_closes_every_port()
    {
        var set = await InMemoryReplicaSet.StartAsync(members: 2);
        int[] ports = set.Members.Select(m => m.Port).ToArray();
        await set.DisposeAsync();
        foreach (int port in ports)
        {
            using var client = new TcpClient();
            await Assert.ThrowsAnyAsync<SocketException>(() => client.ConnectAsync("127.0.0.1", port));
        }

        Assert.Throws<ObjectDisposedException>(() => set.StepDown());
    }

    [Fact]
    public async Task Start_checks_its_arguments()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => InMemoryReplicaSet.Start(members: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => InMemoryReplicaSet.Start(members: 8));
        var ex = Assert.Throws<ArgumentException>(() => InMemoryReplicaSet.Start(3, new InMemoryReplicaSetOptions { Name = "a/b" }));
        Assert.Contains("Name", ex.Message);
        ex = Assert.Throws<ArgumentException>(() => InMemoryReplicaSet.Start(3, new InMemoryReplicaSetOptions { Server = new InMemoryMongoServerOptions { ReplicaSetName = "x" } }));
        Assert.Contains("Server", ex.Message);
        ex = Assert.Throws<ArgumentException>(() => InMemoryReplicaSet.Start(3, new InMemoryReplicaSetOptions { ElectionTimeout = TimeSpan.Zero }));
        Assert.Contains("ElectionTimeout", ex.Message);

        // Consecutive ports from Port. A free port found by probing can be taken by a parallel test before the set
        // binds it (or its neighbour), so fresh probes are allowed (up to 20: a CI run under the full suite lost five in a row).
        for (int attempt = 1; ; attempt++)
        {
            using var probe = new TcpListener(System.Net.IPAddress.Loopback, 0);
            probe.Start();
            int basePort = ((System.Net.IPEndPoint)probe.LocalEndpoint).Port;
            probe.Stop();
            InMemoryReplicaSet set;
            try
            {
                set = await InMemoryReplicaSet.StartAsync(members: 2, new InMemoryReplicaSetOptions { Port = basePort, Name = "fixed" });
            }
            catch (SocketException busy) when (busy.SocketErrorCode == SocketError.AddressAlreadyInUse && attempt < 20)
            {
                continue;
            }

            await using (set)
            {
                Assert.Equal([basePort, basePort + 1], set.Members.Select(m => m.Port));
                Assert.EndsWith("/?replicaSet=fixed", set.ConnectionString);
            }

            break;
        }
    }

    [Fact]
    public async Task Users_are_replicated_to_every_member()
    {
        var options = new InMemoryReplicaSetOptions();
        options.Server.Users.Add(new InMemoryMongoUser("root", "secret"));
        await using var set = await InMemoryReplicaSet.StartAsync(members: 3, options);
        string url = set.ConnectionString.Replace("mongodb://", "mongodb://root:secret@", StringComparison.Ordinal);
        using var client = Client(url);
        await client.GetDatabase("admin").RunCommandAsync<O.BsonDocument>(new O.BsonDocument
        {
            { "createUser", "reader" }, { "pwd", "pw" }, { "roles", new O.BsonArray() },
        });

        // A user created on the primary authenticates on a secondary, as admin.system.users replicates.
        using var onSecondary = Client(set.Members[2].DirectConnectionString.Replace("mongodb://", "mongodb://reader:pw@", StringComparison.Ordinal) + "&readPreference=secondaryPreferred");
        O.BsonDocument status = await onSecondary.GetDatabase("admin").RunCommandAsync<O.BsonDocument>(new O.BsonDocument("connectionStatus", 1));
        Assert.Equal("reader", status["authInfo"]["authenticatedUsers"][0]["user"].AsString);
        using var anonymous = Client(set.Members[1].DirectConnectionString + "&readPreference=secondaryPreferred");
        var ex = await Assert.ThrowsAsync<MongoCommandException>(() => anonymous.GetDatabase("test").GetCollection<O.BsonDocument>("c").Find(new O.BsonDocument()).ToListAsync());
        Assert.Equal(13, ex.Code);
    }

    [Fact]
    public async Task A_single_member_set_from_the_server_option_still_works_alone()
    {
        await using var server = await InMemoryMongoServer.StartAsync(new InMemoryMongoServerOptions { ReplicaSetName = "rs0" });
        using var client = Client(server.ConnectionString);
        await client.GetDatabase("test").GetCollection<O.BsonDocument>("c").InsertOneAsync(new O.BsonDocument("_id", 1), new InsertOneOptions());
        O.BsonDocument hello = await client.GetDatabase("admin").RunCommandAsync<O.BsonDocument>(new O.BsonDocument("hello", 1));
        Assert.Equal(new O.BsonArray { server.State.HostAndPort }, hello["hosts"].AsBsonArray);
        Assert.Equal(server.State.HostAndPort, hello["primary"].AsString);
        Assert.Equal(new O.ObjectId("7fffffff0000000000000001"), hello["electionId"].AsObjectId);
        O.BsonDocument status = await client.GetDatabase("admin").RunCommandAsync<O.BsonDocument>(new O.BsonDocument("replSetGetStatus", 1));
        Assert.Equal("PRIMARY", Assert.Single(status["members"].AsBsonArray)["stateStr"].AsString);
    }
}
