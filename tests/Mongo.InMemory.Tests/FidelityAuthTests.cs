using MongoDB.Driver;
using Xunit;
using O = MongoDB.Bson;

namespace Mongo.InMemory.Tests;

/// <summary>SCRAM authentication as the official driver performs it (speculative and explicit).</summary>
public sealed class FidelityAuthTests : IAsyncLifetime
{
    private InMemoryMongoServer _server = null!;

    public async Task InitializeAsync()
    {
        var options = new InMemoryMongoServerOptions();
        options.Users.Add(new InMemoryMongoUser("alice", "s3cret,=pw"));
        options.Users.Add(new InMemoryMongoUser("bob", "pässwörd", "appdb"));
        var sha1Only = new InMemoryMongoUser("carol", "pw");
        sha1Only.Mechanisms.Remove("SCRAM-SHA-256");
        options.Users.Add(sha1Only);
        _server = await InMemoryMongoServer.StartAsync(options);
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private MongoClient Client(MongoCredential? credential)
    {
        var settings = MongoClientSettings.FromConnectionString(_server.ConnectionString);
        settings.Credential = credential;
        settings.ServerSelectionTimeout = TimeSpan.FromSeconds(5);
        return new MongoClient(settings);
    }

    [Theory]
    [InlineData("SCRAM-SHA-256")]
    [InlineData("SCRAM-SHA-1")]
    [InlineData(null)] // negotiated through saslSupportedMechs, with speculative authentication
    public async Task Correct_password_authenticates(string? mechanism)
    {
        var credential = mechanism is null
            ? MongoCredential.CreateCredential("admin", "alice", "s3cret,=pw")
            : new MongoCredential(mechanism, new MongoInternalIdentity("admin", "alice"), new PasswordEvidence("s3cret,=pw"));
        using var client = Client(credential);
        var status = await client.GetDatabase("admin").RunCommandAsync<O.BsonDocument>(new O.BsonDocument("connectionStatus", 1));
        Assert.Equal("alice", status["authInfo"]["authenticatedUsers"][0]["user"].AsString);
        await client.GetDatabase("admin").RunCommandAsync<O.BsonDocument>(new O.BsonDocument("serverStatus", 1));
    }

    [Fact]
    public async Task Non_ascii_password_on_another_database_authenticates()
    {
        using var client = Client(MongoCredential.CreateCredential("appdb", "bob", "pässwörd"));
        await client.GetDatabase("admin").RunCommandAsync<O.BsonDocument>(new O.BsonDocument("serverStatus", 1));
    }

    [Fact]
    public async Task Sha1_only_user_is_negotiated_to_sha1()
    {
        using var client = Client(MongoCredential.CreateCredential("admin", "carol", "pw"));
        await client.GetDatabase("admin").RunCommandAsync<O.BsonDocument>(new O.BsonDocument("serverStatus", 1));
        Assert.True(_server.Statistics.GetCommandCount("saslStart") + _server.Statistics.GetCommandCount("saslContinue") > 0);
    }

    [Theory]
    [InlineData("alice", "wrong")]
    [InlineData("nobody", "whatever")]
    public async Task Wrong_password_or_unknown_user_fails(string user, string password)
    {
        using var client = Client(MongoCredential.CreateCredential("admin", user, password));
        var ex = await Assert.ThrowsAnyAsync<Exception>(() =>
            client.GetDatabase("admin").RunCommandAsync<O.BsonDocument>(new O.BsonDocument("serverStatus", 1)));
        Assert.True(ex is MongoAuthenticationException || ex.InnerException is MongoAuthenticationException || ex.ToString().Contains("MongoAuthenticationException"), ex.ToString());
        Assert.DoesNotContain(password, ex.ToString());
    }

    [Fact]
    public async Task Commands_need_authentication_but_the_handshake_and_ping_do_not()
    {
        using var client = Client(null);
        await client.GetDatabase("admin").RunCommandAsync<O.BsonDocument>(new O.BsonDocument("ping", 1));
        var ex = await Assert.ThrowsAsync<MongoCommandException>(() =>
            client.GetDatabase("admin").RunCommandAsync<O.BsonDocument>(new O.BsonDocument("serverStatus", 1)));
        Assert.Equal(13, ex.Code);
        Assert.Contains("requires authentication", ex.Message);
    }
}
