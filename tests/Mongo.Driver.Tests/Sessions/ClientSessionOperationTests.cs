using Mongo.Bson;
using Mongo.InMemory;
using Mongo.Testing.Monitoring;
using Xunit;
using static Mongo.Driver.Tests.Sessions.SessionTestKit;

namespace Mongo.Driver.Tests.Sessions;

/// <summary>Client-level operations given an explicit session: listDatabases (and its names-only form) and dropDatabase carry it.</summary>
public sealed class ClientSessionOperationTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ListDatabases_and_ListDatabaseNames_carry_the_explicit_session_and_read_after_its_writes(bool async)
    {
        await using InMemoryMongoServer server = await StartAsync(replicaSet: true);
        EventRecorder recorder = Recorder();
        await using MongoClient client = Client(server, recorder);
        await using MongoSession session = async ? await client.StartSessionAsync() : client.StartSession();
        await InsertAsync(client.GetDatabase("listed").GetCollection("c").WithSession(session), async, new BsonDocument("_id", 1));
        BsonTimestamp afterInsert = session.OperationTime!;

        List<string> names = async ? await client.ListDatabaseNamesAsync(session) : client.ListDatabaseNames(session);
        var filter = Filter.Eq("name", "listed");
        List<BsonDocument> databases = async ? await client.ListDatabasesAsync(session, filter) : client.ListDatabases(session, filter);

        Assert.Contains("listed", names);
        Assert.Equal("listed", Assert.Single(databases)["name"].AsString);
        var commands = Started(recorder, "listDatabases");
        Assert.Equal(2, commands.Count);
        Assert.All(commands, command => Assert.Equal(session.Id, command["lsid"]));
        Assert.True(commands[0]["nameOnly"].AsBoolean);
        Assert.Equal(filter.Render(), commands[1]["filter"]);

        // The session's cluster time goes out with the command, and the reply's operation time advances the session.
        Assert.All(commands, command => Assert.True(command.Contains("$clusterTime")));
        Assert.True(session.OperationTime!.Value >= afterInsert.Value);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task DropDatabase_carries_the_explicit_session(bool async)
    {
        await using InMemoryMongoServer server = await StartAsync(replicaSet: true);
        EventRecorder recorder = Recorder();
        await using MongoClient client = Client(server, recorder);
        await using MongoSession session = async ? await client.StartSessionAsync() : client.StartSession();
        await InsertAsync(client.GetDatabase("dropped").GetCollection("c"), async, new BsonDocument("_id", 1));

        if (async)
        {
            await client.DropDatabaseAsync(session, "dropped");
        }
        else
        {
            client.DropDatabase(session, "dropped");
        }

        Assert.Equal(session.Id, Assert.Single(Started(recorder, "dropDatabase"))["lsid"]);
        Assert.DoesNotContain("dropped", client.ListDatabaseNames());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_session_of_another_client_is_refused_before_anything_is_sent(bool async)
    {
        await using InMemoryMongoServer server = await StartAsync(replicaSet: false);
        EventRecorder recorder = Recorder();
        await using MongoClient client = Client(server, recorder);
        await using MongoClient other = Client(server, Recorder());
        await using MongoSession foreign = other.StartSession();

        var ex = async
            ? await Assert.ThrowsAsync<MongoClientException>(() => client.ListDatabaseNamesAsync(foreign))
            : Assert.Throws<MongoClientException>(() => client.ListDatabases(foreign));

        Assert.Contains("another MongoClient", ex.Message, StringComparison.Ordinal);
        Assert.Empty(Started(recorder, "listDatabases"));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_disposed_session_is_refused(bool async)
    {
        await using InMemoryMongoServer server = await StartAsync(replicaSet: false);
        await using MongoClient client = Client(server, Recorder());
        MongoSession session = client.StartSession();
        session.Dispose();

        if (async)
        {
            await Assert.ThrowsAsync<ObjectDisposedException>(() => client.ListDatabasesAsync(session));
        }
        else
        {
            Assert.Throws<ObjectDisposedException>(() => client.ListDatabaseNames(session));
        }
    }
}
