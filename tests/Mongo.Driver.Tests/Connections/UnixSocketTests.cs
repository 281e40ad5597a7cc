using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using Mongo.Bson;
using Mongo.Driver.Connections;
using Mongo.InMemory;
using Mongo.Testing;
using Xunit;

namespace Mongo.Driver.Tests.Connections;

/// <summary>Connections over unix domain sockets (<c>mongodb://%2Ftmp%2Fx.sock</c>), plain and with TLS, against Mongo.InMemory.</summary>
public sealed class UnixSocketTests : IDisposable
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), "mongo-" + Guid.NewGuid().ToString("N")[..12] + ".sock");

    public void Dispose() => File.Delete(_path);

    private static void SkipUnlessSupported() => Skip.IfNot(Socket.OSSupportsUnixDomainSockets, "This OS has no unix domain sockets.");

    private Task<InMemoryMongoServer> StartAsync(X509Certificate2? certificate = null) =>
        InMemoryMongoServer.StartAsync(new InMemoryMongoServerOptions { UnixSocketPath = _path, ListenOnTcp = false, TlsCertificate = certificate });

    private static async Task<BsonDocument> RunAsync(MongoClient client, bool async, BsonDocument command)
    {
        MongoDatabase admin = client.GetDatabase("admin");
        return async ? await admin.RunCommandAsync(command) : admin.RunCommand(command);
    }

    [SkippableTheory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Commands_run_over_a_percent_encoded_socket_path(bool async)
    {
        SkipUnlessSupported();
        await using InMemoryMongoServer server = await StartAsync();
        string url = "mongodb://" + _path.Replace("/", "%2F", StringComparison.Ordinal) + "/?serverSelectionTimeoutMS=5000";
        Assert.Equal(url[..url.IndexOf('?', StringComparison.Ordinal)], server.ConnectionString);
        using var client = new MongoClient(url);

        Assert.Equal(1.0, (await RunAsync(client, async, new BsonDocument("ping", 1)))["ok"].ToDouble());
        MongoCollection<BsonDocument> collection = client.GetDatabase("app").GetCollection<BsonDocument>("items");
        if (async)
        {
            await collection.InsertOneAsync(new BsonDocument { { "_id", 1 }, { "via", "unix" } });
            Assert.Equal("unix", (await collection.FindOneAsync(Filter.Eq("_id", 1)))!["via"].AsString);
        }
        else
        {
            collection.InsertOne(new BsonDocument { { "_id", 1 }, { "via", "unix" } });
            Assert.Equal("unix", collection.FindOne(Filter.Eq("_id", 1))!["via"].AsString);
        }

        Assert.True(server.Statistics.ConnectionsAccepted > 0);
    }

    [SkippableFact]
    public async Task The_pool_opens_several_connections_and_reuses_them()
    {
        SkipUnlessSupported();
        await using InMemoryMongoServer server = await StartAsync();
        using var client = new MongoClient(server.ConnectionString + "?maxPoolSize=4&serverSelectionTimeoutMS=5000");
        MongoCollection<BsonDocument> collection = client.GetDatabase("app").GetCollection<BsonDocument>("pool");
        for (int round = 0; round < 3; round++)
        {
            await Task.WhenAll(Enumerable.Range(0, 16).Select(i => collection.InsertOneAsync(new BsonDocument { { "round", round }, { "i", i } })));
        }

        Assert.Equal(48, await collection.CountDocumentsAsync(Filter.Empty));

        // At most four pooled connections plus the monitor's (and its RTT connection), however many operations ran.
        Assert.InRange(server.Statistics.ConnectionsAccepted, 2, 4 + 2);
    }

    [SkippableTheory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_missing_socket_is_a_connection_error_naming_the_path(bool async)
    {
        SkipUnlessSupported();
        using var connection = new Connection(1, MongoServerAddress.ForUnixSocket(_path), 0, new ConnectionSettings { ConnectTimeout = TimeSpan.FromSeconds(5) });
        var ex = await Assert.ThrowsAsync<MongoConnectionException>(async () =>
        {
            if (async)
            {
                await connection.OpenAsync(true, CancellationToken.None);
            }
            else
            {
                connection.OpenAsync(false, CancellationToken.None).GetAwaiter().GetResult();
            }
        });
        Assert.Contains(_path, ex.Message, StringComparison.Ordinal);

        // Through the client, server selection gives up and names the socket and why.
        using var client = new MongoClient("mongodb://" + Uri.EscapeDataString(_path) + "/?serverSelectionTimeoutMS=300");
        var timeout = await Assert.ThrowsAsync<MongoTimeoutException>(() => RunAsync(client, async, new BsonDocument("ping", 1)));
        Assert.Contains(_path, timeout.Message, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task Tls_works_over_a_socket()
    {
        SkipUnlessSupported();
        using X509Certificate2 authority = TestCertificates.CreateAuthority();
        using X509Certificate2 certificate = TestCertificates.IssueServer(authority);
        string caFile = TestCertificates.WriteCertificatePem(authority, _path + ".ca.pem");
        try
        {
            await using InMemoryMongoServer server = await StartAsync(certificate);
            using var client = new MongoClient(server.ConnectionString + "?tls=true&serverSelectionTimeoutMS=5000&tlsCAFile=" + Uri.EscapeDataString(caFile));
            Assert.Equal(1.0, (await RunAsync(client, true, new BsonDocument("ping", 1)))["ok"].ToDouble());

            using var plain = new MongoClient(server.ConnectionString + "?serverSelectionTimeoutMS=300");
            await Assert.ThrowsAsync<MongoTimeoutException>(() => RunAsync(plain, true, new BsonDocument("ping", 1)));
        }
        finally
        {
            File.Delete(caFile);
        }
    }
}
