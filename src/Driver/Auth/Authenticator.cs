using Mongo.Bson;

namespace Mongo.Driver.Auth;

/// <summary>
/// Authenticates one connection for one credential (auth spec): adds <c>saslSupportedMechs</c> and
/// <c>speculativeAuthenticate</c> to the handshake's hello, then completes the exchange from the hello reply.
/// The connection supplies an <see cref="AuthCommandRunner"/>; authenticators do no I/O of their own, so they
/// are tested against scripted replies. Every failure is a <see cref="MongoAuthenticationException"/> (network
/// errors stay <see cref="MongoConnectionException"/>s).
/// </summary>
internal abstract class Authenticator
{
    /// <summary>The mechanism as named in errors (SCRAM-SHA-256, MONGODB-X509, or "SCRAM" while negotiating).</summary>
    public abstract string Mechanism { get; }

    /// <summary>The authenticator for a credential.</summary>
    /// <exception cref="MongoNotSupportedException">The mechanism is not implemented.</exception>
    public static Authenticator Create(MongoCredential credential, int maxScramIterations = ScramConversation.DefaultMaximumIterationCount) => credential.Mechanism switch
    {
        null => new ScramAuthenticator(null, credential.Source, credential.Username!, credential.Password ?? string.Empty, maximumIterationCount: maxScramIterations),
        MongoAuthMechanism.ScramSha1 => new ScramAuthenticator(ScramAlgorithm.Sha1, credential.Source, credential.Username!, credential.Password ?? string.Empty, maximumIterationCount: maxScramIterations),
        MongoAuthMechanism.ScramSha256 => new ScramAuthenticator(ScramAlgorithm.Sha256, credential.Source, credential.Username!, credential.Password ?? string.Empty, maximumIterationCount: maxScramIterations),
        MongoAuthMechanism.X509 => new X509Authenticator(credential.Username),
        _ => throw new MongoNotSupportedException(
            "Authentication mechanism " + credential.Mechanism + " is not supported by this driver (SCRAM-SHA-1, SCRAM-SHA-256 and MONGODB-X509 are)."),
    };

    /// <summary>Adds what this mechanism puts in the handshake's hello (saslSupportedMechs, speculativeAuthenticate).</summary>
    public abstract void CustomizeHello(BsonDocument hello);

    /// <summary>Completes authentication after the handshake; <paramref name="helloReply"/> is the hello reply (null: none, e.g. in unit tests).</summary>
    public void Authenticate(AuthCommandRunner run, BsonDocument? helloReply, CancellationToken cancellationToken = default) =>
        AuthenticateAsync(async: false, run, helloReply, cancellationToken).GetAwaiter().GetResult();

    /// <summary>Completes authentication after the handshake; <paramref name="helloReply"/> is the hello reply (null: none, e.g. in unit tests).</summary>
    public Task AuthenticateAsync(AuthCommandRunner run, BsonDocument? helloReply, CancellationToken cancellationToken = default) =>
        AuthenticateAsync(async: true, run, helloReply, cancellationToken).AsTask();

    /// <summary>One code path for both modes: with <paramref name="async"/> false it completes synchronously.</summary>
    public abstract ValueTask AuthenticateAsync(bool async, AuthCommandRunner run, BsonDocument? helloReply, CancellationToken cancellationToken);

    /// <summary>hello's <c>speculativeAuthenticate</c> reply, if the server answered the speculative attempt.</summary>
    protected static BsonDocument? SpeculativeReply(BsonDocument? helloReply) =>
        helloReply is not null && helloReply.TryGetValue("speculativeAuthenticate", out BsonValue? value) ? value as BsonDocument : null;

    /// <summary>Runs an authentication command; command errors thrown by the runner become authentication errors (auth spec).</summary>
    protected async ValueTask<BsonDocument> RunAsync(AuthCommandRunner run, string database, BsonDocument command, bool async, CancellationToken cancellationToken)
    {
        try
        {
            return await run(database, command, async, cancellationToken).ConfigureAwait(false);
        }
        catch (MongoException e) when (e is not MongoConnectionException)
        {
            throw new MongoAuthenticationException(Mechanism + " authentication failed: " + e.Message, e);
        }
    }
}
