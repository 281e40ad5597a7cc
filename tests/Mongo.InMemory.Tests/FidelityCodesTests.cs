using System.Buffers.Binary;
using MongoDB.Driver;
using Xunit;
using M = Mongo.Bson;
using O = MongoDB.Bson;

namespace Mongo.InMemory.Tests;

/// <summary>Error codes and reply shapes issue 15 found different from mongod 8.0, each checked against mongod's source.</summary>
public sealed class FidelityCodesTests : IAsyncLifetime
{
    private InMemoryMongoServer _server = null!;

    public async Task InitializeAsync()
    {
        var options = new InMemoryMongoServerOptions();
        options.Users.Add(new InMemoryMongoUser("root", "pw"));
        var sha256Only = new InMemoryMongoUser("dave", "pw");
        sha256Only.Mechanisms.Remove("SCRAM-SHA-1");
        options.Users.Add(sha256Only);
        _server = await InMemoryMongoServer.StartAsync(options);
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private MongoClient Client(string user = "root", string? mechanism = null)
    {
        var settings = MongoClientSettings.FromConnectionString(_server.ConnectionString);
        settings.Credential = mechanism is null
            ? MongoCredential.CreateCredential("admin", user, "pw")
            : new MongoCredential(mechanism, new MongoInternalIdentity("admin", user), new PasswordEvidence("pw"));
        settings.ServerSelectionTimeout = TimeSpan.FromSeconds(5);
        return new MongoClient(settings);
    }

    /// <summary>Encodes with Mongo.Bson, allowing documents past 16 MiB (these tests send oversized ones on purpose).</summary>
    private static byte[] Encode(M.BsonDocument document)
    {
        using var writer = new M.BsonWriter(new M.BsonWriterOptions { MaxDocumentSize = 48 * 1024 * 1024 });
        writer.WriteDocument(document);
        return writer.ToArray();
    }

    private static byte[] OpMsg(M.BsonDocument body, (string Id, M.BsonDocument[] Docs)? sequence = null)
    {
        byte[] encoded = Encode(body);
        byte[][] docs = sequence?.Docs.Select(Encode).ToArray() ?? [];
        byte[] id = sequence is null ? [] : System.Text.Encoding.UTF8.GetBytes(sequence.Value.Id);
        int sequenceLength = sequence is null ? 0 : 1 + 4 + id.Length + 1 + docs.Sum(d => d.Length);
        byte[] message = new byte[21 + encoded.Length + sequenceLength];
        BinaryPrimitives.WriteInt32LittleEndian(message, message.Length);
        BinaryPrimitives.WriteInt32LittleEndian(message.AsSpan(4), RawWireClient.NextRequestId());
        BinaryPrimitives.WriteInt32LittleEndian(message.AsSpan(12), 2013);
        encoded.CopyTo(message, 21);
        int pos = 21 + encoded.Length;
        if (sequence is not null)
        {
            message[pos++] = 1;
            BinaryPrimitives.WriteInt32LittleEndian(message.AsSpan(pos), sequenceLength - 1);
            pos += 4;
            id.CopyTo(message, pos);
            pos += id.Length + 1;
            foreach (byte[] d in docs)
            {
                d.CopyTo(message, pos);
                pos += d.Length;
            }
        }

        return message;
    }

    [Fact]
    public async Task Sizes_insert_over_16MiB_is_2_message_over_16MiB_plus_16KiB_is_10334_update_growing_is_10334()
    {
        await using var open = await InMemoryMongoServer.StartAsync();
        using var raw = await RawWireClient.ConnectAsync(open.Port);
        const int Max = 16 * 1024 * 1024;

        // A document one byte over 16 MiB in a document sequence: a write error, BadValue, as mongod 8.0's insert.
        var big = new M.BsonDocument { { "_id", 1 }, { "s", new string('x', Max - 21) } };
        Assert.Equal(Max + 1, Encode(big).Length);
        await raw.SendAsync(OpMsg(new M.BsonDocument { { "insert", "c" }, { "$db", "t" } }, ("documents", [big])));
        var reply = (await raw.ReceiveAsync(30_000))!.Document;
        Assert.Equal(1.0, reply["ok"].ToDouble());
        Assert.Equal(2, reply["writeErrors"][0]["code"].AsInt32);
        Assert.Equal("object to insert too large. size in bytes: " + (Max + 1) + ", max size: " + Max, reply["writeErrors"][0]["errmsg"].AsString);

        // A command body over 16 MiB + 16 KiB is refused as a whole with BSONObjectTooLarge.
        var huge = new M.BsonDocument { { "insert", "c" }, { "documents", new M.BsonArray { new M.BsonDocument("s", new string('y', Max + (17 * 1024))) } }, { "$db", "t" } };
        await raw.SendAsync(OpMsg(huge));
        reply = (await raw.ReceiveAsync(30_000))!.Document;
        Assert.Equal(0.0, reply["ok"].ToDouble());
        Assert.Equal(10334, reply["code"].AsInt32);
        Assert.Equal("BSONObjectTooLarge", reply["codeName"].AsString);

        // An update that grows a document past 16 MiB: BSONObjectTooLarge with the update's own message.
        using var client = new MongoClient(open.ConnectionString);
        var c = client.GetDatabase("t").GetCollection<O.BsonDocument>("c");
        await c.InsertOneAsync(new O.BsonDocument { { "_id", 2 }, { "a", new string('a', 9 * 1024 * 1024) } });
        var error = await Assert.ThrowsAsync<MongoWriteException>(() =>
            c.UpdateOneAsync(new O.BsonDocument("_id", 2), new O.BsonDocument("$set", new O.BsonDocument("b", new string('b', 8 * 1024 * 1024)))));
        Assert.Equal(10334, error.WriteError.Code);
        Assert.Equal("Resulting document after update is larger than " + Max, error.WriteError.Message);
    }

    [Fact]
    public async Task Scram_sha1_for_a_sha256_only_user_is_MechanismUnavailable()
    {
        using var client = Client("dave", "SCRAM-SHA-1");
        var error = await Assert.ThrowsAsync<MongoAuthenticationException>(() =>
            client.GetDatabase("admin").RunCommandAsync<O.BsonDocument>(new O.BsonDocument("ping", 1)));
        var inner = Assert.IsType<MongoCommandException>(error.InnerException);
        Assert.Equal(334, inner.Code);
        Assert.Equal("Unable to use SCRAM-SHA-1 based authentication for user without any SCRAM-SHA-1 credentials registered", inner.ErrorMessage);

        using var sha256 = Client("dave", "SCRAM-SHA-256");
        await sha256.GetDatabase("admin").RunCommandAsync<O.BsonDocument>(new O.BsonDocument("ping", 1));
    }

    [Fact]
    public async Task Standalone_answers_replSetGetStatus_76_and_a_change_stream_40573()
    {
        using var client = Client();
        var status = await Assert.ThrowsAsync<MongoCommandException>(() =>
            client.GetDatabase("admin").RunCommandAsync<O.BsonDocument>(new O.BsonDocument("replSetGetStatus", 1)));
        Assert.Equal(76, status.Code);
        Assert.Equal("not running with --replSet", status.ErrorMessage);

        var stream = await Assert.ThrowsAsync<MongoCommandException>(() => client.GetDatabase("t").GetCollection<O.BsonDocument>("c").WatchAsync());
        Assert.Equal(40573, stream.Code);
        Assert.Equal("The $changeStream stage is only supported on replica sets", stream.ErrorMessage);
    }

    [Fact]
    public async Task Tailable_find_on_a_non_capped_collection_is_BadValue()
    {
        using var client = Client();
        var db = client.GetDatabase("t");
        await db.GetCollection<O.BsonDocument>("plain").InsertOneAsync(new O.BsonDocument("a", 1));
        var error = await Assert.ThrowsAsync<MongoCommandException>(() =>
            db.RunCommandAsync<O.BsonDocument>(O.BsonDocument.Parse("{find: 'plain', tailable: true}")));
        Assert.Equal(2, error.Code);
        Assert.Contains("tailable cursor requested on non capped collection", error.ErrorMessage);
    }

    [Fact]
    public async Task BuildInfo_has_target_arch_and_serverStatus_has_mem()
    {
        using var client = Client();
        var admin = client.GetDatabase("admin");
        var build = await admin.RunCommandAsync<O.BsonDocument>(new O.BsonDocument("buildInfo", 1));
        string arch = build["buildEnvironment"]["target_arch"].AsString;
        Assert.Contains(arch, new[] { "x86_64", "aarch64", "i386", "arm", "s390x", "ppc64le" });
        Assert.Equal(arch, build["buildEnvironment"]["distarch"].AsString);

        var status = await admin.RunCommandAsync<O.BsonDocument>(new O.BsonDocument("serverStatus", 1));
        var mem = status["mem"].AsBsonDocument;
        Assert.Equal(64, mem["bits"].AsInt32);
        Assert.True(mem["resident"].AsInt32 > 0);
        Assert.True(mem["virtual"].AsInt32 >= mem["resident"].AsInt32);
        Assert.True(mem["supported"].AsBoolean);
    }
}
