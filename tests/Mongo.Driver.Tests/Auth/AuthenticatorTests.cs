using Mongo.Bson;
using Mongo.Driver.Auth;
using Xunit;

namespace Mongo.Driver.Tests.Auth;

public class AuthenticatorTests
{
    // The auth spec's SCRAM-SHA-1 conversation (user "user", password "pencil").
    private const string Nonce1 = "fyko+d2lbbFgONRv9qkxdawL";
    private const string ServerFirst1 = "cj1meWtvK2QybGJiRmdPTlJ2OXFreGRhd0xIbytWZ2s3cXZVT0tVd3VXTElXZzRsLzlTcmFHTUhFRSxzPXJROVpZM01udEJldVAzRTFURFZDNHc9PSxpPTEwMDAw";
    private const string ClientFinal1 = "Yz1iaXdzLHI9ZnlrbytkMmxiYkZnT05Sdjlxa3hkYXdMSG8rVmdrN3F2VU9LVXd1V0xJV2c0bC85U3JhR01IRUUscD1NQzJUOEJ2Ym1XUmNrRHc4b1dsNUlWZ2h3Q1k9";
    private const string ServerFinal1 = "dj1VTVdlSTI1SkQxeU5ZWlJNcFo0Vkh2aFo5ZTA9";

    /// <summary>A scripted server: checks each command and answers from a queue.</summary>
    private sealed class FakeServer
    {
        private readonly Queue<(Action<string, BsonDocument> Check, BsonDocument Reply)> _script = new();

        public List<(string Database, BsonDocument Command)> Received { get; } = [];

        public FakeServer Expect(Action<string, BsonDocument> check, BsonDocument reply)
        {
            _script.Enqueue((check, reply));
            return this;
        }

        public ValueTask<BsonDocument> Run(string database, BsonDocument command, bool async, CancellationToken cancellationToken)
        {
            Received.Add((database, command));
            Assert.True(_script.Count > 0, "unexpected command " + command.GetElement(0).Name);
            (Action<string, BsonDocument> check, BsonDocument reply) = _script.Dequeue();
            check(database, command);
            return async ? new ValueTask<BsonDocument>(Task.Run(() => reply, cancellationToken)) : new ValueTask<BsonDocument>(reply);
        }

        public void AssertDone() => Assert.Empty(_script);
    }

    private static BsonDocument SaslReply(string payloadBase64, bool done, int conversationId = 1) => new()
    {
        { "conversationId", conversationId },
        { "payload", new BsonBinaryData(Convert.FromBase64String(payloadBase64)) },
        { "done", done },
        { "ok", 1 },
    };

    private static void IsSaslStart(string database, BsonDocument command, string mechanism, string payload)
    {
        Assert.Equal("admin", database);
        Assert.Equal("saslStart", command.GetElement(0).Name);
        Assert.Equal(mechanism, command["mechanism"].AsString);
        Assert.Equal(payload, Convert.ToBase64String(command["payload"].AsBsonBinaryData.Bytes));
        Assert.True(command["options"].AsDocument["skipEmptyExchange"].AsBoolean);
    }

    private static void IsSaslContinue(BsonDocument command, string payload)
    {
        Assert.Equal("saslContinue", command.GetElement(0).Name);
        Assert.Equal(1, command["conversationId"].AsInt32);
        Assert.Equal(payload, Convert.ToBase64String(command["payload"].AsBsonBinaryData.Bytes));
    }

    private static Task Authenticate(Authenticator authenticator, FakeServer server, BsonDocument? helloReply, bool async)
    {
        if (async)
        {
            return authenticator.AuthenticateAsync(server.Run, helloReply);
        }

        authenticator.Authenticate(server.Run, helloReply);
        return Task.CompletedTask;
    }

    private static BsonDocument Hello(BsonDocument speculativeReply) => new() { { "isWritablePrimary", true }, { "speculativeAuthenticate", speculativeReply }, { "ok", 1.0 } };

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Short_conversation_with_skip_empty_exchange(bool async)
    {
        var server = new FakeServer()
            .Expect((db, c) => IsSaslStart(db, c, "SCRAM-SHA-1", "biwsbj11c2VyLHI9ZnlrbytkMmxiYkZnT05Sdjlxa3hkYXdM"), SaslReply(ServerFirst1, done: false))
            .Expect((_, c) => IsSaslContinue(c, ClientFinal1), SaslReply(ServerFinal1, done: true));
        var authenticator = new ScramAuthenticator(ScramAlgorithm.Sha1, "admin", "user", "pencil", new ScramCache(), Nonce1);
        await Authenticate(authenticator, server, null, async);
        server.AssertDone();
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Long_conversation_with_the_extra_empty_round_trip(bool async)
    {
        var server = new FakeServer()
            .Expect((db, c) => IsSaslStart(db, c, "SCRAM-SHA-1", "biwsbj11c2VyLHI9ZnlrbytkMmxiYkZnT05Sdjlxa3hkYXdM"), SaslReply(ServerFirst1, done: false))
            .Expect((_, c) => IsSaslContinue(c, ClientFinal1), SaslReply(ServerFinal1, done: false))
            .Expect((_, c) => IsSaslContinue(c, ""), SaslReply("", done: true));
        var authenticator = new ScramAuthenticator(ScramAlgorithm.Sha1, "admin", "user", "pencil", new ScramCache(), Nonce1);
        await Authenticate(authenticator, server, null, async);
        server.AssertDone();
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Speculative_authentication_continues_from_the_hello_reply(bool async)
    {
        var authenticator = new ScramAuthenticator(ScramAlgorithm.Sha256, "admin", "user", "pencil", new ScramCache(), "rOprNGfwEbeRWgbNEkqO");
        BsonDocument speculative = authenticator.CreateSpeculativeAuthenticate();
        Assert.Equal("saslStart", speculative.GetElement(0).Name);
        Assert.Equal("SCRAM-SHA-256", speculative["mechanism"].AsString);
        Assert.Equal("admin", speculative["db"].AsString);
        Assert.Equal("biwsbj11c2VyLHI9ck9wck5HZndFYmVSV2diTkVrcU8=", Convert.ToBase64String(speculative["payload"].AsBsonBinaryData.Bytes));

        // The hello reply's speculativeAuthenticate has no ok field.
        var helloSpeculativeReply = new BsonDocument
        {
            { "conversationId", 1 },
            { "done", false },
            { "payload", new BsonBinaryData(Convert.FromBase64String("cj1yT3ByTkdmd0ViZVJXZ2JORWtxTyVodllEcFdVYTJSYVRDQWZ1eEZJbGopaE5sRiRrMCxzPVcyMlphSjBTTlk3c29Fc1VFamI2Z1E9PSxpPTQwOTY=")) },
        };
        var server = new FakeServer()
            .Expect((_, c) => IsSaslContinue(c, "Yz1iaXdzLHI9ck9wck5HZndFYmVSV2diTkVrcU8laHZZRHBXVWEyUmFUQ0FmdXhGSWxqKWhObEYkazAscD1kSHpiWmFwV0lrNGpVaE4rVXRlOXl0YWc5empmTUhnc3FtbWl6N0FuZFZRPQ=="),
                SaslReply("dj02cnJpVFJCaTIzV3BSUi93dHVwK21NaFVaVW4vZEI1bkxUSlJzamw5NUc0PQ==", done: true));
        await Authenticate(authenticator, server, Hello(helloSpeculativeReply), async);
        server.AssertDone();
    }

    [Fact]
    public async Task Without_a_speculative_reply_the_conversation_starts_over()
    {
        var authenticator = new ScramAuthenticator(ScramAlgorithm.Sha1, "admin", "user", "pencil", new ScramCache(), Nonce1);
        authenticator.CreateSpeculativeAuthenticate();
        var server = new FakeServer()
            .Expect((db, c) => IsSaslStart(db, c, "SCRAM-SHA-1", "biwsbj11c2VyLHI9ZnlrbytkMmxiYkZnT05Sdjlxa3hkYXdM"), SaslReply(ServerFirst1, done: false))
            .Expect((_, c) => IsSaslContinue(c, ClientFinal1), SaslReply(ServerFinal1, done: true));
        await authenticator.AuthenticateAsync(server.Run, helloReply: null);
        server.AssertDone();
    }

    [Fact]
    public void A_server_that_says_done_without_proof_is_rejected()
    {
        var server = new FakeServer()
            .Expect((_, _) => { }, SaslReply(ServerFirst1, done: true));
        var authenticator = new ScramAuthenticator(ScramAlgorithm.Sha1, "admin", "user", "pencil", new ScramCache(), Nonce1);
        var ex = Assert.Throws<MongoAuthenticationException>(() => authenticator.Authenticate(server.Run, null));
        Assert.Contains("without proving", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_wrong_server_signature_is_rejected()
    {
        var server = new FakeServer()
            .Expect((_, _) => { }, SaslReply(ServerFirst1, done: false))
            .Expect((_, _) => { }, SaslReply(Convert.ToBase64String("v=AAAAAAAAAAAAAAAAAAAAAAAAAAA="u8.ToArray()), done: true));
        var authenticator = new ScramAuthenticator(ScramAlgorithm.Sha1, "admin", "user", "pencil", new ScramCache(), Nonce1);
        Assert.Throws<MongoAuthenticationException>(() => authenticator.Authenticate(server.Run, null));
    }

    [Fact]
    public void A_failed_command_becomes_an_authentication_error_with_the_server_code()
    {
        var server = new FakeServer()
            .Expect((_, _) => { }, new BsonDocument { { "ok", 0 }, { "errmsg", "Authentication failed." }, { "code", 18 }, { "codeName", "AuthenticationFailed" } });
        var authenticator = new ScramAuthenticator(ScramAlgorithm.Sha256, "admin", "user", "secret-pw", new ScramCache());
        var ex = Assert.Throws<MongoAuthenticationException>(() => authenticator.Authenticate(server.Run, null));
        Assert.Contains("Authentication failed. (code 18 AuthenticationFailed)", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("secret-pw", ex.Message, StringComparison.Ordinal);
        Assert.False(ex.IsTransient);
    }

    [Fact]
    public void Command_exceptions_are_wrapped_but_network_errors_are_not()
    {
        var authenticator = new ScramAuthenticator(ScramAlgorithm.Sha256, "admin", "user", "pw", new ScramCache());
        ValueTask<BsonDocument> Throws(MongoException e) => throw e;
        var wrapped = Assert.Throws<MongoAuthenticationException>(() => authenticator.Authenticate((_, _, _, _) => Throws(new MongoClientException("boom")), null));
        Assert.IsType<MongoClientException>(wrapped.InnerException);
        var network = new MongoConnectionException("reset");
        Assert.Same(network, Assert.Throws<MongoConnectionException>(() => authenticator.Authenticate((_, _, _, _) => Throws(network), null)));
    }

    [Fact]
    public void Payload_may_come_as_a_base64_string()
    {
        var reply = new BsonDocument { { "conversationId", 3 }, { "done", false }, { "payload", "aGk=" }, { "ok", 1.0 } };
        SaslReply parsed = SaslCommands.ParseReply(reply, "SCRAM-SHA-1");
        Assert.Equal("hi"u8.ToArray(), parsed.Payload);
        Assert.Equal(3, parsed.ConversationId.AsInt32);
        Assert.False(parsed.Done);
        Assert.Throws<MongoAuthenticationException>(() => SaslCommands.ParseReply(new BsonDocument { { "done", true }, { "ok", 1 } }, "SCRAM-SHA-1"));
        Assert.Throws<MongoAuthenticationException>(() => SaslCommands.ParseReply(new BsonDocument { { "conversationId", 1 }, { "payload", 5 } }, "SCRAM-SHA-1"));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task X509_sends_authenticate_on_external_unless_speculation_succeeded(bool async)
    {
        var server = new FakeServer().Expect(
            (db, c) =>
            {
                Assert.Equal("$external", db);
                Assert.Equal(1, c["authenticate"].AsInt32);
                Assert.Equal("MONGODB-X509", c["mechanism"].AsString);
                Assert.False(c.Contains("user"));
            },
            new BsonDocument { { "dbname", "$external" }, { "user", "CN=client" }, { "ok", 1 } });
        var authenticator = new X509Authenticator(null);
        if (async)
        {
            await authenticator.AuthenticateAsync(server.Run, null);
        }
        else
        {
            authenticator.Authenticate(server.Run, null);
        }

        server.AssertDone();

        var noCalls = new FakeServer();
        authenticator.Authenticate(noCalls.Run, Hello(new BsonDocument { { "dbname", "$external" }, { "user", "CN=client" } }));
        Assert.Empty(noCalls.Received);

        var failing = new FakeServer().Expect((_, _) => { }, new BsonDocument { { "ok", 0 }, { "errmsg", "no such user" }, { "code", 11 } });
        Assert.Throws<MongoAuthenticationException>(() => authenticator.Authenticate(failing.Run, null));
    }

    [Fact]
    public void X509_commands_include_the_user_only_when_given()
    {
        BsonDocument withUser = SaslCommands.X509Authenticate("C=IS,CN=client");
        Assert.Equal(["authenticate", "mechanism", "user"], withUser.Names.ToArray());
        Assert.Equal("C=IS,CN=client", withUser["user"].AsString);
        BsonDocument speculative = SaslCommands.SpeculativeX509(null);
        Assert.Equal(["authenticate", "mechanism", "db"], speculative.Names.ToArray());
        Assert.Equal("$external", speculative["db"].AsString);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Negotiating_speculates_with_sha256_and_falls_back_to_what_the_server_lists(bool async)
    {
        var authenticator = new ScramAuthenticator(null, "admin", "user", "pencil", new ScramCache(), Nonce1);
        var hello = new BsonDocument("hello", 1);
        authenticator.CustomizeHello(hello);
        Assert.Equal("admin.user", hello["saslSupportedMechs"].AsString);
        Assert.Equal("SCRAM-SHA-256", hello["speculativeAuthenticate"].AsDocument["mechanism"].AsString);

        // The server did not answer the speculative SHA-256 attempt and lists only SHA-1 for this user.
        var server = new FakeServer()
            .Expect((db, c) => IsSaslStart(db, c, "SCRAM-SHA-1", "biwsbj11c2VyLHI9ZnlrbytkMmxiYkZnT05Sdjlxa3hkYXdM"), SaslReply(ServerFirst1, done: false))
            .Expect((_, c) => IsSaslContinue(c, ClientFinal1), SaslReply(ServerFinal1, done: true));
        await Authenticate(authenticator, server, new BsonDocument { { "saslSupportedMechs", new BsonArray { "SCRAM-SHA-1" } }, { "ok", 1.0 } }, async);
        server.AssertDone();
        Assert.Equal("SCRAM", authenticator.Mechanism);
    }

    [Fact]
    public void Factory_maps_credentials_to_mechanisms_and_rejects_unsupported_ones()
    {
        Assert.Equal("SCRAM-SHA-1", Authenticator.Create(MongoCredential.CreateScramSha1("u", "p")).Mechanism);
        Assert.Equal("SCRAM-SHA-256", Authenticator.Create(MongoCredential.CreateScramSha256("u", "p")).Mechanism);
        Assert.Equal("SCRAM", Authenticator.Create(MongoCredential.CreateCredential("admin", "u", "p")).Mechanism);
        Authenticator x509 = Authenticator.Create(MongoCredential.CreateX509());
        Assert.Equal("MONGODB-X509", x509.Mechanism);
        var hello = new BsonDocument("hello", 1);
        x509.CustomizeHello(hello);
        Assert.Equal("$external", hello["speculativeAuthenticate"].AsDocument["db"].AsString);
        Assert.False(hello.Contains("saslSupportedMechs"));
        Assert.Throws<MongoNotSupportedException>(() => Authenticator.Create(MongoCredential.CreatePlain("u", "p")));
    }

    [Fact]
    public void Negotiation_prefers_scram_sha_256_and_ignores_unknown_mechanisms()
    {
        Assert.Equal("SCRAM-SHA-256", AuthMechanisms.SelectDefault(new BsonDocument("saslSupportedMechs", new BsonArray { "SCRAM-SHA-1", "SCRAM-SHA-256" })));
        Assert.Equal("SCRAM-SHA-256", AuthMechanisms.SelectDefault(new BsonDocument("saslSupportedMechs", new BsonArray { "FOO", "SCRAM-SHA-256" })));
        Assert.Equal("SCRAM-SHA-1", AuthMechanisms.SelectDefault(new BsonDocument("saslSupportedMechs", new BsonArray { "SCRAM-SHA-1" })));
        Assert.Equal("SCRAM-SHA-1", AuthMechanisms.SelectDefault(new BsonDocument("saslSupportedMechs", new BsonArray { "PLAIN" })));
        Assert.Equal("SCRAM-SHA-1", AuthMechanisms.SelectDefault(new BsonDocument("ok", 1)));
        Assert.Equal("SCRAM-SHA-1", AuthMechanisms.SelectDefault(new BsonDocument("saslSupportedMechs", "SCRAM-SHA-256")));
        Assert.Equal("admin.user", AuthMechanisms.SaslSupportedMechsArgument("admin", "user"));
        Assert.Same(ScramAlgorithm.Sha256, ScramAlgorithm.FromMechanism("SCRAM-SHA-256"));
        Assert.Same(ScramAlgorithm.Sha1, ScramAlgorithm.FromMechanism("SCRAM-SHA-1"));
        Assert.Null(ScramAlgorithm.FromMechanism("PLAIN"));
    }
}
