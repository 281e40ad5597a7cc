using Mongo.Bson;

namespace Mongo.Driver.Auth;

/// <summary>
/// MONGODB-X509: the TLS client certificate is the credential; one <c>authenticate</c> command on
/// <c>$external</c> (or its speculative twin in hello) completes it. The user name is optional: the server
/// takes it from the certificate's subject.
/// </summary>
internal sealed class X509Authenticator(string? username) : Authenticator
{
    public const string Database = "$external";

    public override string Mechanism => AuthMechanisms.X509;

    /// <summary>The <c>speculativeAuthenticate</c> document for hello.</summary>
    public BsonDocument CreateSpeculativeAuthenticate() => SaslCommands.SpeculativeX509(username);

    public override void CustomizeHello(BsonDocument hello) => hello.Add("speculativeAuthenticate", CreateSpeculativeAuthenticate());

    public override async ValueTask AuthenticateAsync(bool async, AuthCommandRunner run, BsonDocument? helloReply, CancellationToken cancellationToken)
    {
        if (SpeculativeReply(helloReply) is not null)
        {
            // The server authenticated us inside hello.
            return;
        }

        BsonDocument reply = await RunAsync(run, Database, SaslCommands.X509Authenticate(username), async, cancellationToken).ConfigureAwait(false);
        if (reply.TryGetValue("ok", out BsonValue? ok) && ok.IsNumeric && ok.ToDouble() != 1)
        {
            throw SaslCommands.ServerError(reply, AuthMechanisms.X509);
        }
    }
}
