using System.Globalization;
using System.Security.Cryptography.X509Certificates;
using Mongo.Bson;
using Mongo.InMemory;
using Mongo.Testing;
using Xunit;

namespace Mongo.Driver.Tests.Connections;

/// <summary>MONGODB-X509 over TLS through the public API, against Mongo.InMemory with a CA-issued server and client certificates.</summary>
public sealed class X509AuthenticationTests : IDisposable
{
    private const string Subject = "CN=client,OU=Drivers,O=Mongo Tests,C=US";
    private readonly X509Certificate2 _authority = TestCertificates.CreateAuthority();
    private readonly X509Certificate2 _server;
    private readonly X509Certificate2 _client;
    private readonly string _directory = Directory.CreateTempSubdirectory("mongo-x509-").FullName;
    private readonly string _caFile;

    public X509AuthenticationTests()
    {
        _server = TestCertificates.IssueServer(_authority);
        _client = TestCertificates.IssueClient(_authority, new X500DistinguishedName(Subject));
        _caFile = TestCertificates.WriteCertificatePem(_authority, Path.Combine(_directory, "ca.pem"));
    }

    public void Dispose()
    {
        _authority.Dispose();
        _server.Dispose();
        _client.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    private Task<InMemoryMongoServer> StartAsync(params InMemoryMongoUser[] users)
    {
        var options = new InMemoryMongoServerOptions { TlsCertificate = _server, TlsClientCertificateAuthority = _authority };
        foreach (InMemoryMongoUser user in users)
        {
            options.Users.Add(user);
        }

        return InMemoryMongoServer.StartAsync(options);
    }

    private string Url(InMemoryMongoServer server, string? keyFile, string? password = null, string? user = null)
    {
        string url = "mongodb://" + (user is null ? "" : Uri.EscapeDataString(user) + "@") + "localhost:" + server.Port.ToString(CultureInfo.InvariantCulture)
            + "/?authMechanism=MONGODB-X509&tls=true&serverSelectionTimeoutMS=5000&tlsCAFile=" + Uri.EscapeDataString(_caFile);
        if (keyFile is not null)
        {
            url += "&tlsCertificateKeyFile=" + Uri.EscapeDataString(keyFile);
        }

        return password is null ? url : url + "&tlsCertificateKeyFilePassword=" + Uri.EscapeDataString(password);
    }

    private static async Task<BsonDocument> RunAsync(MongoClient client, bool async, BsonDocument command)
    {
        MongoDatabase admin = client.GetDatabase("admin");
        return async ? await admin.RunCommandAsync(command) : admin.RunCommand(command);
    }

    [Theory]
    [InlineData(false, null)]
    [InlineData(true, null)]
    [InlineData(false, "k3y-pässword")]
    [InlineData(true, "k3y-pässword")]
    public async Task Certificate_subject_authenticates_and_commands_run(bool async, string? keyPassword)
    {
        await using InMemoryMongoServer server = await StartAsync(InMemoryMongoUser.X509(Subject));
        string keyFile = TestCertificates.WriteCertificateKeyPem(_client, Path.Combine(_directory, "client.pem"), keyPassword);
        using var client = new MongoClient(Url(server, keyFile, keyPassword));

        BsonDocument status = await RunAsync(client, async, new BsonDocument("connectionStatus", 1));
        BsonDocument user = Assert.Single(status["authInfo"].AsDocument["authenticatedUsers"].AsArray).AsDocument;
        Assert.Equal(Subject, user["user"].AsString);
        Assert.Equal("$external", user["db"].AsString);

        MongoCollection<BsonDocument> collection = client.GetDatabase("app").GetCollection<BsonDocument>("items");
        if (async)
        {
            await collection.InsertOneAsync(new BsonDocument("x", 1));
        }
        else
        {
            collection.InsertOne(new BsonDocument("x", 1));
        }

        Assert.Equal(1, collection.FindOne(Filter.Empty)!["x"].AsInt32);

        // The hello carried the authentication (speculative): no separate authenticate command was needed.
        Assert.Equal(0, server.Statistics.GetCommandCount("authenticate"));
    }

    [Fact]
    public async Task A_user_name_that_matches_the_subject_is_accepted()
    {
        await using InMemoryMongoServer server = await StartAsync(InMemoryMongoUser.X509(Subject));
        string keyFile = TestCertificates.WriteCertificateKeyPem(_client, Path.Combine(_directory, "client.pem"));
        using var client = new MongoClient(Url(server, keyFile, user: Subject));
        BsonDocument status = await RunAsync(client, true, new BsonDocument("connectionStatus", 1));
        Assert.Equal(Subject, status["authInfo"].AsDocument["authenticatedUsers"].AsArray[0].AsDocument["user"].AsString);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_user_name_that_does_not_match_the_subject_fails(bool async)
    {
        await using InMemoryMongoServer server = await StartAsync(InMemoryMongoUser.X509(Subject), InMemoryMongoUser.X509("CN=someone-else"));
        string keyFile = TestCertificates.WriteCertificateKeyPem(_client, Path.Combine(_directory, "client.pem"));
        using var client = new MongoClient(Url(server, keyFile, user: "CN=someone-else"));
        var ex = await Assert.ThrowsAnyAsync<MongoAuthenticationException>(() => RunAsync(client, async, new BsonDocument("ping", 1)));
        Assert.Contains("MONGODB-X509", ex.Message, StringComparison.Ordinal);
        Assert.Contains("no x.509 client certificate matching the user", ex.Message, StringComparison.Ordinal);
        Assert.Contains("code 18 AuthenticationFailed", ex.Message, StringComparison.Ordinal);

        // The speculative attempt failed silently, then the authenticate command failed.
        Assert.True(server.Statistics.GetCommandCount("authenticate") > 0);
    }

    [Fact]
    public async Task A_subject_without_an_external_user_fails()
    {
        await using InMemoryMongoServer server = await StartAsync(InMemoryMongoUser.X509("CN=another-client"));
        string keyFile = TestCertificates.WriteCertificateKeyPem(_client, Path.Combine(_directory, "client.pem"));
        using var client = new MongoClient(Url(server, keyFile));
        var ex = await Assert.ThrowsAnyAsync<MongoAuthenticationException>(() => RunAsync(client, true, new BsonDocument("ping", 1)));
        Assert.Contains("Could not find user \"" + Subject + "\"", ex.Message, StringComparison.Ordinal);
        Assert.Contains("client certificate's subject", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_a_client_certificate_authentication_fails()
    {
        await using InMemoryMongoServer server = await StartAsync(InMemoryMongoUser.X509(Subject));
        using var client = new MongoClient(Url(server, keyFile: null));
        var ex = await Assert.ThrowsAnyAsync<MongoAuthenticationException>(() => RunAsync(client, false, new BsonDocument("ping", 1)));
        Assert.Contains("presented no TLS certificate", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_client_certificate_from_another_CA_is_refused_in_the_TLS_handshake()
    {
        await using InMemoryMongoServer server = await StartAsync(InMemoryMongoUser.X509(Subject));
        using X509Certificate2 otherAuthority = TestCertificates.CreateAuthority("CN=Other CA");
        using X509Certificate2 forged = TestCertificates.IssueClient(otherAuthority, new X500DistinguishedName(Subject));
        string keyFile = TestCertificates.WriteCertificateKeyPem(forged, Path.Combine(_directory, "forged.pem"));
        using var client = new MongoClient(Url(server, keyFile));
        var ex = await Assert.ThrowsAnyAsync<MongoException>(() => RunAsync(client, true, new BsonDocument("ping", 1)));
        Assert.IsNotType<MongoAuthenticationException>(ex);
    }
}
