using Mongo.Bson;

namespace Mongo.Driver.Connections;

/// <summary>
/// Runs one credential's authentication on a freshly handshaken connection (auth spec): mechanism negotiation
/// through hello's <c>saslSupportedMechs</c>, speculative authentication inside hello, then
/// <c>saslStart</c>/<c>saslContinue</c> (or <c>authenticate</c> for MONGODB-X509).
/// </summary>
internal abstract class Authenticator
{
    protected Authenticator(MongoCredential credential, MongoServerAddress server)
    {
        Credential = credential;
        Server = server;
    }

    protected MongoCredential Credential { get; }

    protected MongoServerAddress Server { get; }

    /// <summary>The mechanism as named in errors.</summary>
    public abstract string MechanismName { get; }

    public static Authenticator Create(MongoCredential credential, MongoServerAddress server) => credential.Mechanism switch
    {
        null => new ScramAuthenticator(credential, server, mechanism: null),
        MongoAuthMechanism.ScramSha1 or MongoAuthMechanism.ScramSha256 => new ScramAuthenticator(credential, server, credential.Mechanism),
        MongoAuthMechanism.X509 => new X509Authenticator(credential, server),
        _ => throw new MongoNotSupportedException("Authentication mechanism " + credential.Mechanism + " is not supported by this driver (SCRAM-SHA-1, SCRAM-SHA-256 and MONGODB-X509 are)."),
    };

    /// <summary>Adds saslSupportedMechs and/or speculativeAuthenticate to the hello command.</summary>
    public abstract void CustomizeHello(BsonDocument hello);

    /// <summary>Completes authentication; <paramref name="speculativeReply"/> is hello's speculativeAuthenticate reply, if any.</summary>
    public async ValueTask AuthenticateAsync(bool async, Connection connection, BsonDocument? speculativeReply, Deadline deadline, CancellationToken cancellationToken)
    {
        try
        {
            await AuthenticateCoreAsync(async, connection, speculativeReply, deadline, cancellationToken).ConfigureAwait(false);
        }
        catch (MongoCommandException ex)
        {
            throw new MongoAuthenticationException(
                "Authentication with " + MechanismName + " for user '" + Credential.Username + "' (source '" + Credential.Source + "') on " + Server + " failed: " + ex.ErrorMessage, ex);
        }
        catch (Exception ex) when (ex is FormatException or InvalidOperationException or BsonException or KeyNotFoundException or InvalidCastException)
        {
            throw new MongoAuthenticationException(
                "Authentication with " + MechanismName + " for user '" + Credential.Username + "' on " + Server + " failed: the server's reply was invalid (" + ex.Message + ").", ex);
        }
    }

    protected abstract ValueTask AuthenticateCoreAsync(bool async, Connection connection, BsonDocument? speculativeReply, Deadline deadline, CancellationToken cancellationToken);
}

/// <summary>MONGODB-X509: the server takes the user from the TLS client certificate.</summary>
internal sealed class X509Authenticator(MongoCredential credential, MongoServerAddress server) : Authenticator(credential, server)
{
    public override string MechanismName => MongoAuthMechanism.X509;

    private BsonDocument Command()
    {
        var command = new BsonDocument { { "authenticate", 1 }, { "mechanism", MongoAuthMechanism.X509 } };
        if (Credential.Username is { } user)
        {
            command.Add("user", user);
        }

        return command;
    }

    public override void CustomizeHello(BsonDocument hello)
    {
        BsonDocument speculative = Command();
        speculative.Add("db", "$external");
        hello.Add("speculativeAuthenticate", speculative);
    }

    protected override async ValueTask AuthenticateCoreAsync(bool async, Connection connection, BsonDocument? speculativeReply, Deadline deadline, CancellationToken cancellationToken)
    {
        if (speculativeReply is not null)
        {
            return; // the server authenticated the speculative attempt
        }

        await connection.RunHandshakeCommandAsync(async, "$external", Command(), deadline, cancellationToken).ConfigureAwait(false);
    }
}
