using Mongo.InMemory;
using MongoDB.Driver;
using Xunit;
using O = MongoDB.Bson;

namespace Mongo.InMemory.Tests;

/// <summary>
/// The server's SASLprep (RFC 4013) for SCRAM-SHA-256: the auth spec's SASLprep users through the official driver,
/// and passwords RFC 4013 prohibits refused by createUser rather than stored in a form no client can produce.
/// </summary>
public sealed class FidelitySaslPrepTests : IAsyncLifetime
{
    private InMemoryMongoServer _server = null!;

    public async Task InitializeAsync()
    {
        var options = new InMemoryMongoServerOptions();
        options.Users.Add(new InMemoryMongoUser("root", "pw"));
        _server = await InMemoryMongoServer.StartAsync(options);
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private MongoClient Client(string user, string password)
    {
        var settings = MongoClientSettings.FromConnectionString(_server.ConnectionString);
        settings.Credential = new MongoCredential("SCRAM-SHA-256", new MongoInternalIdentity("admin", user), new PasswordEvidence(password));
        settings.ServerSelectionTimeout = TimeSpan.FromSeconds(5);
        return new MongoClient(settings);
    }

    private Task<O.BsonDocument> Admin(string command)
    {
        using var root = Client("root", "pw");
        return root.GetDatabase("admin").RunCommandAsync<O.BsonDocument>(O.BsonDocument.Parse(command));
    }

    private async Task Authenticates(string user, string password)
    {
        using var client = Client(user, password);
        var reply = await client.GetDatabase("admin").RunCommandAsync<O.BsonDocument>(new O.BsonDocument("connectionStatus", 1));
        Assert.Equal(user, reply["authInfo"]["authenticatedUsers"][0]["user"].AsString);
    }

    [Fact]
    public async Task Auth_spec_saslprep_users_authenticate_with_either_form()
    {
        // The auth spec's SCRAM-SHA-256 SASLprep cases: stored and given passwords meet after SASLprep.
        await Admin("{createUser: 'IX', pwd: 'IX', roles: [], mechanisms: ['SCRAM-SHA-256']}");
        await Admin("{createUser: '\u2168', pwd: '\u2163', roles: [], mechanisms: ['SCRAM-SHA-256']}");
        await Authenticates("IX", "IX");
        await Authenticates("IX", "I\u00ADX");
        await Authenticates("\u2168", "IV");
        await Authenticates("\u2168", "I\u00ADV");

        // A non-ASCII space and a "mapped to nothing" character (RFC 3454 C.1.2 and B.1) in the stored password.
        await Admin("{createUser: 'spaced', pwd: 'a\u3000b\u200Bc', roles: [], mechanisms: ['SCRAM-SHA-256']}");
        await Authenticates("spaced", "a bc");
    }

    [Theory]
    [InlineData("bell\u0007")]        // RFC 4013 section 3: prohibited ASCII control
    [InlineData("\u0627\u0031")]      // RFC 4013 section 3: RandALCat must also end the string
    [InlineData("a\u0627")]           // mixes left-to-right and right-to-left text
    [InlineData("priv\uE000")]        // C.3 private use
    [InlineData("x\u0221")]           // A.1: unassigned in Unicode 3.2, so not allowed in a stored string
    [InlineData("dir\u200E")]         // C.8 change display properties
    public async Task CreateUser_refuses_passwords_saslprep_prohibits(string password)
    {
        var command = new O.BsonDocument { { "createUser", "bad" }, { "pwd", password }, { "roles", new O.BsonArray() }, { "mechanisms", new O.BsonArray { "SCRAM-SHA-256" } } };
        using var root = Client("root", "pw");
        var e = await Assert.ThrowsAsync<MongoCommandException>(() => root.GetDatabase("admin").RunCommandAsync<O.BsonDocument>(command));
        Assert.Equal(2, e.Code);
        Assert.DoesNotContain(password, e.Message, StringComparison.Ordinal);

        // Nothing half-made: the name is still free.
        await Admin("{createUser: 'bad', pwd: 'fine', roles: [], mechanisms: ['SCRAM-SHA-256']}");
    }
}
