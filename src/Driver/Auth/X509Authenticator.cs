using Mongo.Bson;

namespace Mongo.Driver.Auth;

/// <summary>
/// MONGODB-X509: the TLS client certificate is the credential; one <c>authenticate</c> command on
/// <c>$external</c> (or its speculative twin in hello) completes it.
/// </summary>
internal sealed class X509Authenticator(string? username)
{
    public const string Database = "$external";

    /// <summary>The <c>speculativeAuthenticate</c> document for hello.</summary>
    public BsonDocument CreateSpeculativeAuthenticate() => SaslCommands.SpeculativeX509(username);

    public void Authenticate(AuthCommandRunner run, BsonDocument? speculativeReply, CancellationToken cancellationToken = default) =>
        AuthenticateCore(run, speculativeReply, async: false, cancellationToken).GetAwaiter().GetResult();

    public Task AuthenticateAsync(AuthCommandRunner run, BsonDocument? speculativeReply, CancellationToken cancellationToken = default) =>
        AuthenticateCore(run, speculativeReply, async: true, cancellationToken).AsTask();

    private async ValueTask AuthenticateCore(AuthCommandRunner run, BsonDocument? speculativeReply, bool async, CancellationToken cancellationToken)
    {
        if (speculativeReply is not null)
        {
            // The server authenticated us inside hello.
            return;
        }

        BsonDocument reply;
        try
        {
            reply = await run(Database, SaslCommands.X509Authenticate(username), async, cancellationToken).ConfigureAwait(false);
        }
        catch (MongoException e) when (e is not MongoConnectionException)
        {
            throw new MongoAuthenticationException(AuthMechanisms.X509 + " authentication failed: " + e.Message, e);
        }

        if (reply.TryGetValue("ok", out BsonValue? ok) && ok.IsNumeric && ok.ToDouble() != 1)
        {
            throw SaslCommands.ServerError(reply, AuthMechanisms.X509);
        }
    }
}
