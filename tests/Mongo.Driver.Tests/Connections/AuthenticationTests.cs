using Mongo.Bson;
using Mongo.Driver.Connections;
using Mongo.Driver.Operations;
using Mongo.InMemory;
using Xunit;
using static Mongo.Driver.Tests.Connections.CoreTestHelpers;

namespace Mongo.Driver.Tests.Connections;

public sealed class AuthenticationTests
{
    private static async Task<InMemoryMongoServer> StartAsync(params string[] mechanisms)
    {
        var options = new InMemoryMongoServerOptions();
        var user = new InMemoryMongoUser("alice", "s3cr3t-pässword");
        if (mechanisms.Length > 0)
        {
            user.Mechanisms.Clear();
            foreach (string mechanism in mechanisms)
            {
                user.Mechanisms.Add(mechanism);
            }
        }

        options.Users.Add(user);
        options.Users.Add(new InMemoryMongoUser("bob", "pw", "app"));
        return await InMemoryMongoServer.StartAsync(options);
    }

    public static TheoryData<string?, bool> Mechanisms() => new()
    {
        { MongoAuthMechanism.ScramSha256, false },
        { MongoAuthMechanism.ScramSha256, true },
        { MongoAuthMechanism.ScramSha1, false },
        { MongoAuthMechanism.ScramSha1, true },
        { null, false },
        { null, true },
    };

    [Theory]
    [MemberData(nameof(Mechanisms))]
    public async Task Authenticated_connection_can_run_commands(string? mechanism, bool async)
    {
        await using InMemoryMongoServer server = await StartAsync();
        var credential = MongoCredential.Create(mechanism, "alice", "s3cr3t-pässword", "admin", null, null);
        using Connection connection = await OpenAsync(server, async, new ConnectionSettings { Credential = credential });

        var status = await RunAsync(connection, async, "admin", new BsonDocument("connectionStatus", 1));
        BsonArray users = status.Body["authInfo"].AsDocument["authenticatedUsers"].AsArray;
        Assert.Equal("alice", Assert.Single(users).AsDocument["user"].AsString);
    }

    [Fact]
    public async Task Negotiation_falls_back_to_sha1_when_the_user_only_has_sha1()
    {
        await using InMemoryMongoServer server = await StartAsync(MongoAuthMechanism.ScramSha1);
        var credential = MongoCredential.CreateCredential("admin", "alice", "s3cr3t-pässword");
        using Connection connection = await OpenAsync(server, true, new ConnectionSettings { Credential = credential });
        var ping = await RunAsync(connection, true, "admin", new BsonDocument("ping", 1));
        Assert.True(ExceptionFactory.IsOk(ping.Bytes.Span));
        Assert.True(server.Statistics.GetCommandCount("saslStart") + server.Statistics.GetCommandCount("saslContinue") > 0);
    }

    [Theory]
    [InlineData(MongoAuthMechanism.ScramSha256, false)]
    [InlineData(MongoAuthMechanism.ScramSha1, true)]
    public async Task Wrong_password_fails_with_MongoAuthenticationException_without_the_password(string mechanism, bool async)
    {
        await using InMemoryMongoServer server = await StartAsync();
        var credential = MongoCredential.Create(mechanism, "alice", "not-the-password", "admin", null, null);
        var ex = await Assert.ThrowsAsync<MongoAuthenticationException>(() => OpenAsync(server, async, new ConnectionSettings { Credential = credential }));
        Assert.DoesNotContain("not-the-password", ex.ToString(), StringComparison.Ordinal);
        Assert.Contains("alice", ex.Message, StringComparison.Ordinal);
        Assert.Contains("code 18 AuthenticationFailed", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unknown_user_fails()
    {
        await using InMemoryMongoServer server = await StartAsync();
        var credential = MongoCredential.CreateScramSha256("mallory", "x");
        await Assert.ThrowsAsync<MongoAuthenticationException>(() => OpenAsync(server, true, new ConnectionSettings { Credential = credential }));
    }

    [Fact]
    public async Task User_in_another_database_authenticates_against_its_source()
    {
        await using InMemoryMongoServer server = await StartAsync();
        var credential = MongoCredential.CreateScramSha256("bob", "pw", "app");
        using Connection connection = await OpenAsync(server, true, new ConnectionSettings { Credential = credential });
        var ping = await RunAsync(connection, true, "admin", new BsonDocument("ping", 1));
        Assert.True(ExceptionFactory.IsOk(ping.Bytes.Span));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Executor_with_wrong_password_reports_authentication_error_and_pool_stays_consistent(bool async)
    {
        await using InMemoryMongoServer server = await StartAsync();
        var settings = Cluster(server, new ConnectionSettings { Credential = MongoCredential.CreateScramSha256("alice", "wrong") });
        await using var executor = new OperationExecutor(settings);
        await Assert.ThrowsAnyAsync<MongoAuthenticationException>(() => RunAsync(executor, async, "admin", new BsonDocument("ping", 1)));
        Assert.Equal(0, executor.Cluster.Servers[0].Pool.Counts.Total);
    }
}
