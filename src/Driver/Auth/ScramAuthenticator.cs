using Mongo.Bson;

namespace Mongo.Driver.Auth;

/// <summary>
/// Authenticates a connection with SCRAM-SHA-1 or SCRAM-SHA-256: optionally speculatively (the first
/// message rides in hello), then saslStart/saslContinue until the server is done and has proved itself.
/// Without a configured mechanism it negotiates through hello's <c>saslSupportedMechs</c> (speculating with
/// SCRAM-SHA-256, as the auth spec says). Supports the short (skipEmptyExchange) and long conversations.
/// </summary>
internal sealed class ScramAuthenticator : Authenticator
{
    private const int MaxRounds = 10;
    private readonly ScramAlgorithm? _algorithm;
    private readonly string _source;
    private readonly string _username;
    private readonly string _password;
    private readonly ScramCache? _cache;
    private readonly string? _fixedNonce;
    private readonly int _maximumIterationCount;
    private ScramConversation? _speculative;

    /// <param name="algorithm">SHA-1 or SHA-256; null to negotiate from hello's saslSupportedMechs.</param>
    /// <param name="source">The authentication database.</param>
    /// <param name="username">The user name, sent as given.</param>
    /// <param name="password">The plain password.</param>
    /// <param name="cache">The derived-key cache (default: the shared one).</param>
    /// <param name="fixedNonce">Tests only: the client nonce to use.</param>
    /// <param name="maximumIterationCount">The most PBKDF2 iterations a server may ask for.</param>
    public ScramAuthenticator(ScramAlgorithm? algorithm, string source, string username, string password, ScramCache? cache = null, string? fixedNonce = null,
        int maximumIterationCount = ScramConversation.DefaultMaximumIterationCount)
    {
        _maximumIterationCount = maximumIterationCount;
        _algorithm = algorithm;
        _source = source;
        _username = username;
        _password = password;
        _cache = cache ?? ScramCache.Shared;
        _fixedNonce = fixedNonce;
    }

    public override string Mechanism => _algorithm?.Mechanism ?? "SCRAM";

    /// <summary>The <c>speculativeAuthenticate</c> document for this connection's hello (starts a conversation).</summary>
    public BsonDocument CreateSpeculativeAuthenticate()
    {
        _speculative = NewConversation(_algorithm ?? ScramAlgorithm.Sha256);
        return SaslCommands.SpeculativeSaslStart(_speculative.Mechanism, _speculative.GetClientFirstMessage(), _source);
    }

    public override void CustomizeHello(BsonDocument hello)
    {
        if (_algorithm is null)
        {
            hello.Add("saslSupportedMechs", AuthMechanisms.SaslSupportedMechsArgument(_source, _username));
        }

        hello.Add("speculativeAuthenticate", CreateSpeculativeAuthenticate());
    }

    public override async ValueTask AuthenticateAsync(bool async, AuthCommandRunner run, BsonDocument? helloReply, CancellationToken cancellationToken)
    {
        ScramConversation conversation;
        SaslReply reply;
        if (SpeculativeReply(helloReply) is { } speculativeReply && _speculative is not null)
        {
            conversation = _speculative;
            reply = SaslCommands.ParseReply(speculativeReply, conversation.Mechanism);
        }
        else
        {
            // No speculative reply: the server ignored it (older server, or the user lacks that mechanism); start over.
            ScramAlgorithm algorithm = _algorithm
                ?? ScramAlgorithm.FromMechanism(AuthMechanisms.SelectDefault(helloReply?.GetValueOrDefault("saslSupportedMechs")))!;
            conversation = NewConversation(algorithm);
            BsonDocument start = SaslCommands.SaslStart(conversation.Mechanism, conversation.GetClientFirstMessage());
            reply = SaslCommands.ParseReply(await RunAsync(run, _source, start, async, cancellationToken).ConfigureAwait(false), conversation.Mechanism);
        }

        _speculative = null;
        for (int round = 0; round < MaxRounds; round++)
        {
            byte[] next = conversation.Step(reply.Payload, cancellationToken);
            if (reply.Done)
            {
                conversation.EnsureVerified();
                return;
            }

            BsonDocument command = SaslCommands.SaslContinue(reply.ConversationId, next);
            reply = SaslCommands.ParseReply(await RunAsync(run, _source, command, async, cancellationToken).ConfigureAwait(false), conversation.Mechanism);
        }

        throw new MongoAuthenticationException(conversation.Mechanism + " authentication failed: the server did not finish the conversation after " + MaxRounds + " rounds.");
    }

    private ScramConversation NewConversation(ScramAlgorithm algorithm) => ScramConversation.Create(algorithm, _username, _password, _cache, _fixedNonce, _maximumIterationCount);
}
