using System.Formats.Asn1;
using System.Security.Cryptography.X509Certificates;
using Mongo.InMemory.Auth;
using Mongo.Testing;
using MongoDB.Driver;
using Xunit;
using O = MongoDB.Bson;

namespace Mongo.InMemory.Tests;

/// <summary>MONGODB-X509 as the official driver performs it, the subject formatting and the server's own checks.</summary>
public sealed class FidelityX509Tests : IDisposable
{
    private const string Subject = "CN=client,OU=Drivers,O=Mongo Tests,C=US";
    private readonly X509Certificate2 _authority = TestCertificates.CreateAuthority();
    private readonly X509Certificate2 _server;
    private readonly X509Certificate2 _client;

    public FidelityX509Tests()
    {
        _server = TestCertificates.IssueServer(_authority);
        _client = TestCertificates.IssueClient(_authority, new X500DistinguishedName(Subject));
    }

    public void Dispose()
    {
        _authority.Dispose();
        _server.Dispose();
        _client.Dispose();
    }

    private InMemoryMongoServerOptions Options(params InMemoryMongoUser[] users)
    {
        var options = new InMemoryMongoServerOptions { TlsCertificate = _server, TlsClientCertificateAuthority = _authority };
        foreach (InMemoryMongoUser user in users)
        {
            options.Users.Add(user);
        }

        return options;
    }

    private MongoClient Client(InMemoryMongoServer server, MongoCredential? credential, X509Certificate2? certificate, string? applicationName = null)
    {
        var settings = MongoClientSettings.FromConnectionString("mongodb://localhost:" + server.Port + "/");
        settings.ApplicationName = applicationName;
        settings.UseTls = true;
        settings.SslSettings = new SslSettings
        {
            ClientCertificates = certificate is null ? [] : [certificate],
            CheckCertificateRevocation = false,
            ServerCertificateValidationCallback = (_, certificate, _, _) =>
            {
                using var chain = new X509Chain();
                chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
                chain.ChainPolicy.CustomTrustStore.Add(_authority);
                chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
                return certificate is not null && chain.Build(new X509Certificate2(certificate));
            },
        };
        settings.Credential = credential;
        settings.ServerSelectionTimeout = TimeSpan.FromSeconds(5);
        return new MongoClient(settings);
    }

    private static Task<O.BsonDocument> RunAsync(MongoClient client, string command, string database = "admin") =>
        client.GetDatabase(database).RunCommandAsync<O.BsonDocument>(new O.BsonDocument(command, 1));

    [Theory]
    [InlineData(null)]
    [InlineData(Subject)]
    public async Task Official_driver_authenticates_with_its_certificate(string? user)
    {
        await using InMemoryMongoServer server = await InMemoryMongoServer.StartAsync(Options(InMemoryMongoUser.X509(Subject)));
        using MongoClient client = Client(server, MongoCredential.CreateMongoX509Credential(user), _client);
        O.BsonDocument status = await RunAsync(client, "connectionStatus");
        O.BsonDocument authenticated = status["authInfo"]["authenticatedUsers"][0].AsBsonDocument;
        Assert.Equal(Subject, authenticated["user"].AsString);
        Assert.Equal("$external", authenticated["db"].AsString);
        await client.GetDatabase("app").GetCollection<O.BsonDocument>("c").InsertOneAsync(new O.BsonDocument("x", 1));
        Assert.Equal(1, await client.GetDatabase("app").GetCollection<O.BsonDocument>("c").CountDocumentsAsync(FilterDefinition<O.BsonDocument>.Empty));
    }

    [Fact]
    public async Task Official_driver_fails_for_an_unknown_subject_or_without_a_certificate()
    {
        await using InMemoryMongoServer server = await InMemoryMongoServer.StartAsync(Options(InMemoryMongoUser.X509("CN=somebody-else")));
        using MongoClient unknown = Client(server, MongoCredential.CreateMongoX509Credential(), _client);
        var ex = await Assert.ThrowsAnyAsync<Exception>(() => RunAsync(unknown, "serverStatus"));
        Assert.Contains("Could not find user", ex.ToString(), StringComparison.Ordinal);

        using MongoClient noCertificate = Client(server, MongoCredential.CreateMongoX509Credential(), null);
        ex = await Assert.ThrowsAnyAsync<Exception>(() => RunAsync(noCertificate, "serverStatus"));
        Assert.Contains("no TLS certificate", ex.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateUser_on_external_lets_the_certificate_in_and_dropUser_removes_it()
    {
        // No configured users: authentication is not enforced, but users created later can authenticate.
        await using InMemoryMongoServer server = await InMemoryMongoServer.StartAsync(Options());
        using MongoClient admin = Client(server, null, null);
        O.BsonDocument create = new() { { "createUser", Subject }, { "roles", new O.BsonArray { new O.BsonDocument { { "role", "readWrite" }, { "db", "app" } } } } };
        await admin.GetDatabase("$external").RunCommandAsync<O.BsonDocument>(create);
        var duplicate = await Assert.ThrowsAsync<MongoCommandException>(() => admin.GetDatabase("$external").RunCommandAsync<O.BsonDocument>(create));
        Assert.Equal(51003, duplicate.Code);
        var withPassword = await Assert.ThrowsAsync<MongoCommandException>(() => admin.GetDatabase("$external").RunCommandAsync<O.BsonDocument>(
            new O.BsonDocument { { "createUser", "CN=x" }, { "pwd", "p" }, { "roles", new O.BsonArray() } }));
        Assert.Equal(2, withPassword.Code);
        O.BsonDocument info = await admin.GetDatabase("$external").RunCommandAsync<O.BsonDocument>(new O.BsonDocument("usersInfo", Subject));
        Assert.Equal("MONGODB-X509", info["users"][0]["mechanisms"][0].AsString);

        using (MongoClient client = Client(server, MongoCredential.CreateMongoX509Credential(), _client))
        {
            O.BsonDocument status = await RunAsync(client, "connectionStatus");
            Assert.Equal(Subject, status["authInfo"]["authenticatedUsers"][0]["user"].AsString);
        }

        await admin.GetDatabase("$external").RunCommandAsync<O.BsonDocument>(new O.BsonDocument("dropUser", Subject));
        using (MongoClient client = Client(server, MongoCredential.CreateMongoX509Credential(), _client, applicationName: "after-drop"))
        {
            // A new application name, so the official driver does not reuse the first client's authenticated pool.
            var ex = await Assert.ThrowsAnyAsync<Exception>(() => RunAsync(client, "connectionStatus"));
            Assert.Contains("Could not find user", ex.ToString(), StringComparison.Ordinal);
        }

        var missing = await Assert.ThrowsAsync<MongoCommandException>(() => admin.GetDatabase("$external").RunCommandAsync<O.BsonDocument>(new O.BsonDocument("dropUser", Subject)));
        Assert.Equal(11, missing.Code);
    }

    [Fact]
    public async Task Authenticate_checks_the_database_the_mechanism_and_tls()
    {
        await using InMemoryMongoServer plain = await InMemoryMongoServer.StartAsync(new InMemoryMongoServerOptions());
        var settings = MongoClientSettings.FromConnectionString(plain.ConnectionString);
        settings.ServerSelectionTimeout = TimeSpan.FromSeconds(5);
        using var client = new MongoClient(settings);
        var authenticate = new O.BsonDocument { { "authenticate", 1 }, { "mechanism", "MONGODB-X509" } };
        var noTls = await Assert.ThrowsAsync<MongoCommandException>(() => client.GetDatabase("$external").RunCommandAsync<O.BsonDocument>(authenticate));
        Assert.Equal(18, noTls.Code);
        Assert.Contains("needs TLS", noTls.Message, StringComparison.Ordinal);
        var wrongDatabase = await Assert.ThrowsAsync<MongoCommandException>(() => client.GetDatabase("admin").RunCommandAsync<O.BsonDocument>(authenticate));
        Assert.Equal(17, wrongDatabase.Code);
        var wrongMechanism = await Assert.ThrowsAsync<MongoCommandException>(() => client.GetDatabase("$external").RunCommandAsync<O.BsonDocument>(
            new O.BsonDocument { { "authenticate", 1 }, { "mechanism", "PLAIN" } }));
        Assert.Equal(334, wrongMechanism.Code);
    }

    [Fact]
    public async Task A_certificate_from_another_CA_is_refused_when_a_client_CA_is_configured()
    {
        await using InMemoryMongoServer server = await InMemoryMongoServer.StartAsync(Options(InMemoryMongoUser.X509(Subject)));
        using X509Certificate2 other = TestCertificates.CreateAuthority("CN=Other CA");
        using X509Certificate2 forged = TestCertificates.IssueClient(other, new X500DistinguishedName(Subject));
        using MongoClient client = Client(server, MongoCredential.CreateMongoX509Credential(), forged);
        var ex = await Assert.ThrowsAnyAsync<Exception>(() => RunAsync(client, "ping"));
        Assert.IsType<TimeoutException>(ex);
    }

    [Fact]
    public void Options_reject_x509_users_outside_external_and_scram_users_inside()
    {
        var options = new InMemoryMongoServerOptions();
        var wrong = new InMemoryMongoUser("CN=x", "pw", "admin");
        wrong.Mechanisms.Add(InMemoryMongoUser.X509Mechanism);
        options.Users.Add(wrong);
        Assert.Contains("$external", Assert.Throws<ArgumentException>(options.Validate).Message, StringComparison.Ordinal);
        options.Users.Clear();
        options.Users.Add(new InMemoryMongoUser("CN=x", "pw", "$external"));
        Assert.Throws<ArgumentException>(options.Validate);
        options.Users.Clear();
        options.Users.Add(InMemoryMongoUser.X509(Subject));
        options.Validate();
    }

    [Fact]
    public void Subject_is_formatted_as_RFC_2253_most_specific_first()
    {
        // X500DistinguishedNameBuilder encodes the last added RDN first, so this DER starts with C=US as real certificates do.
        var builder = new X500DistinguishedNameBuilder();
        builder.AddCommonName("client");
        builder.AddOrganizationalUnitName("KernelUser");
        builder.AddOrganizationName("MongoDB");
        builder.AddLocalityName("New York City");
        builder.AddStateOrProvinceName("New York");
        builder.AddCountryOrRegion("US");
        Assert.Equal("2.5.4.6", builder.Build().EnumerateRelativeDistinguishedNames(reversed: false).First().GetSingleElementType().Value);
        Assert.Equal("CN=client,OU=KernelUser,O=MongoDB,L=New York City,ST=New York,C=US", X509Subject.Format(builder.Build()));

        var special = new X500DistinguishedNameBuilder();
        special.AddCommonName(" Smith, John+Jr \"Q\" <x>;# ");
        special.AddEmailAddress("a@example.com");
        special.AddDomainComponent("example");
        Assert.Equal(
            "CN=\\ Smith\\, John\\+Jr \\\"Q\\\" \\<x\\>\\;#\\ ,emailAddress=a@example.com,DC=example",
            X509Subject.Format(special.Build()));

        var unicode = new X500DistinguishedNameBuilder();
        unicode.AddCommonName("#1");
        unicode.AddOrganizationName("Ünïcode");
        Assert.Equal("CN=\\#1,O=Ünïcode", X509Subject.Format(unicode.Build()));
    }

    [Fact]
    public void Multi_valued_and_unknown_attributes_follow_RFC_2253()
    {
        // SEQUENCE { SET { CN=a, OU=b } , SET { 1.2.3.4 = INTEGER 5 } } built by hand: .NET has no builder for multi-valued RDNs.
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            using (writer.PushSetOf())
            {
                using (writer.PushSequence())
                {
                    writer.WriteObjectIdentifier("2.5.4.3");
                    writer.WriteCharacterString(UniversalTagNumber.UTF8String, "a");
                }

                using (writer.PushSequence())
                {
                    writer.WriteObjectIdentifier("2.5.4.11");
                    writer.WriteCharacterString(UniversalTagNumber.PrintableString, "b");
                }
            }

            using (writer.PushSetOf())
            {
                using (writer.PushSequence())
                {
                    writer.WriteObjectIdentifier("1.2.3.4");
                    writer.WriteInteger(5);
                }
            }
        }

        Assert.Equal("1.2.3.4=#020105,CN=a+OU=b", X509Subject.Format(new X500DistinguishedName(writer.Encode())));
    }
}
