using Mongo.Bson;

namespace Mongo.Driver.Connections;

/// <summary>SCRAM-SHA-1 / SCRAM-SHA-256 over saslStart/saslContinue, with negotiation and speculative authentication.</summary>
internal sealed class ScramAuthenticator : Authenticator
{
    private readonly string? _configuredMechanism;
    private ScramConversation? _speculative;

    public ScramAuthenticator(MongoCredential credential, MongoServerAddress server, string? mechanism)
        : base(credential, server)
    {
        _configuredMechanism = mechanism;
    }

    public override string MechanismName => _configuredMechanism ?? "SCRAM (negotiated)";

    public override void CustomizeHello(BsonDocument hello)
    {
        if (_configuredMechanism is null)
        {
            hello.Add("saslSupportedMechs", Credential.Source + "." + Credential.Username);
        }

        // Speculate with the configured mechanism, or SCRAM-SHA-256 when negotiating (auth spec).
        _speculative = new ScramConversation(_configuredMechanism ?? MongoAuthMechanism.ScramSha256, Credential.Username!, Credential.Password ?? string.Empty);
        BsonDocument start = SaslStart(_speculative);
        start.Add("db", Credential.Source);
        hello.Add("speculativeAuthenticate", start);
    }

    protected override async ValueTask AuthenticateCoreAsync(bool async, Connection connection, BsonDocument? speculativeReply, Deadline deadline, CancellationToken cancellationToken)
    {
        ScramConversation conversation;
        BsonDocument reply;
        if (speculativeReply is not null && _speculative is not null)
        {
            conversation = _speculative;
            reply = speculativeReply;
        }
        else
        {
            string mechanism = _configuredMechanism ?? Negotiate(connection.SaslSupportedMechs);
            conversation = new ScramConversation(mechanism, Credential.Username!, Credential.Password ?? string.Empty);
            reply = await connection.RunHandshakeCommandAsync(async, Credential.Source, SaslStart(conversation), deadline, cancellationToken).ConfigureAwait(false);
        }

        BsonValue conversationId = reply["conversationId"];
        byte[] clientFinal = conversation.ProcessServerFirst(Payload(reply));
        reply = await connection.RunHandshakeCommandAsync(async, Credential.Source, SaslContinue(conversationId, clientFinal), deadline, cancellationToken).ConfigureAwait(false);
        conversation.VerifyServerFinal(Payload(reply));

        // Servers that do not honour skipEmptyExchange want one more empty round.
        int rounds = 0;
        while (!(reply.TryGetValue("done", out BsonValue? done) && done.ToBoolean()))
        {
            if (++rounds > 2)
            {
                throw new InvalidOperationException("the SCRAM conversation did not complete");
            }

            reply = await connection.RunHandshakeCommandAsync(async, Credential.Source, SaslContinue(conversationId, []), deadline, cancellationToken).ConfigureAwait(false);
        }
    }

    private static string Negotiate(BsonArray? supported)
    {
        if (supported is not null)
        {
            foreach (BsonValue value in supported)
            {
                if (value.IsString && value.AsString == MongoAuthMechanism.ScramSha256)
                {
                    return MongoAuthMechanism.ScramSha256;
                }
            }
        }

        return MongoAuthMechanism.ScramSha1;
    }

    private static BsonDocument SaslStart(ScramConversation conversation) => new()
    {
        { "saslStart", 1 },
        { "mechanism", conversation.Mechanism },
        { "payload", new BsonBinaryData(conversation.ClientFirst()) },
        { "options", new BsonDocument("skipEmptyExchange", true) },
    };

    private static BsonDocument SaslContinue(BsonValue conversationId, byte[] payload) => new()
    {
        { "saslContinue", 1 },
        { "conversationId", conversationId },
        { "payload", new BsonBinaryData(payload) },
    };

    private static byte[] Payload(BsonDocument reply) => reply["payload"].AsBsonBinaryData.Bytes;
}
