using Mongo.Bson;

namespace Mongo.Driver.Auth;

/// <summary>
/// Authenticates a connection with SCRAM-SHA-1 or SCRAM-SHA-256: optionally speculatively (the first
/// message rides in hello), then saslStart/saslContinue until the server is done and has proved itself.
/// Supports the short (skipEmptyExchange) and long conversations.
/// </summary>
internal sealed class ScramAuthenticator
{
    private const int MaxRounds = 10;
    private readonly ScramAlgorithm _algorithm;
    private readonly string _source;
    private readonly string _username;
    private readonly string _password;
    private readonly ScramCache? _cache;
    private readonly string? _fixedNonce;
    private ScramConversation? _speculative;

    /// <param name="algorithm">SHA-1 or SHA-256.</param>
    /// <param name="source">The authentication database.</param>
    /// <param name="username">The user name, sent as given.</param>
    /// <param name="password">The plain password.</param>
    /// <param name="cache">The derived-key cache (default: the shared one).</param>
    /// <param name="fixedNonce">Tests only: the client nonce to use.</param>
    public ScramAuthenticator(ScramAlgorithm algorithm, string source, string username, string password, ScramCache? cache = null, string? fixedNonce = null)
    {
        _algorithm = algorithm;
        _source = source;
        _username = username;
        _password = password;
        _cache = cache ?? ScramCache.Shared;
        _fixedNonce = fixedNonce;
    }

    public string Mechanism => _algorithm.Mechanism;

    /// <summary>The <c>speculativeAuthenticate</c> document for this connection's hello (starts a conversation).</summary>
    public BsonDocument CreateSpeculativeAuthenticate()
    {
        _speculative = NewConversation();
        return SaslCommands.SpeculativeSaslStart(Mechanism, _speculative.GetClientFirstMessage(), _source);
    }

    /// <summary>Authenticates, continuing from the hello's <c>speculativeAuthenticate</c> reply when there is one.</summary>
    public void Authenticate(AuthCommandRunner run, BsonDocument? speculativeReply, CancellationToken cancellationToken = default) =>
        AuthenticateCore(run, speculativeReply, async: false, cancellationToken).GetAwaiter().GetResult();

    /// <summary>Authenticates, continuing from the hello's <c>speculativeAuthenticate</c> reply when there is one.</summary>
    public Task AuthenticateAsync(AuthCommandRunner run, BsonDocument? speculativeReply, CancellationToken cancellationToken = default) =>
        AuthenticateCore(run, speculativeReply, async: true, cancellationToken).AsTask();

    private async ValueTask AuthenticateCore(AuthCommandRunner run, BsonDocument? speculativeReply, bool async, CancellationToken cancellationToken)
    {
        ScramConversation conversation;
        SaslReply reply;
        if (speculativeReply is not null && _speculative is not null)
        {
            conversation = _speculative;
            reply = SaslCommands.ParseReply(speculativeReply, Mechanism);
        }
        else
        {
            // No speculative reply: the server ignored it (older server) and we start over.
            conversation = NewConversation();
            BsonDocument start = SaslCommands.SaslStart(Mechanism, conversation.GetClientFirstMessage());
            reply = SaslCommands.ParseReply(await RunAsync(run, start, async, cancellationToken).ConfigureAwait(false), Mechanism);
        }

        _speculative = null;
        for (int round = 0; round < MaxRounds; round++)
        {
            byte[] next = conversation.Step(reply.Payload);
            if (reply.Done)
            {
                conversation.EnsureVerified();
                return;
            }

            BsonDocument command = SaslCommands.SaslContinue(reply.ConversationId, next);
            reply = SaslCommands.ParseReply(await RunAsync(run, command, async, cancellationToken).ConfigureAwait(false), Mechanism);
        }

        throw new MongoAuthenticationException(Mechanism + " authentication failed: the server did not finish the conversation after " + MaxRounds + " rounds.");
    }

    private async ValueTask<BsonDocument> RunAsync(AuthCommandRunner run, BsonDocument command, bool async, CancellationToken cancellationToken)
    {
        try
        {
            return await run(_source, command, async, cancellationToken).ConfigureAwait(false);
        }
        catch (MongoException e) when (e is not MongoConnectionException)
        {
            // A command error during authentication is an authentication error (auth spec).
            throw new MongoAuthenticationException(Mechanism + " authentication failed: " + e.Message, e);
        }
    }

    private ScramConversation NewConversation() => ScramConversation.Create(_algorithm, _username, _password, _cache, _fixedNonce);
}
