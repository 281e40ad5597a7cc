using Mongo.Bson;
using Mongo.InMemory.Auth;
using Mongo.InMemory.Server;
using Mongo.InMemory.Engine;

namespace Mongo.InMemory.Commands.Admin;

/// <summary>MONGODB-X509: the <c>authenticate</c> command and hello's speculative form of it.</summary>
internal static partial class AdminCommands
{
    private static BsonDocument Authenticate(CommandContext context)
    {
        BsonDocument command = context.Command;
        string mechanism = command.TryGetValue("mechanism", out BsonValue? m) && m.IsString ? m.AsString : string.Empty;
        if (mechanism != InMemoryMongoUser.X509Mechanism)
        {
            throw new CommandException(
                ErrorCodes.MechanismUnavailable, "MechanismUnavailable", $"Received authentication for mechanism {mechanism} which is not enabled");
        }

        return AuthenticateX509(context.Server, context.Connection, context.DatabaseName, command);
    }

    /// <summary>
    /// Authenticates the connection as the subject of its TLS client certificate, when a user with that subject
    /// exists in $external and the command's optional <c>user</c> names that same subject. Returns
    /// <c>{dbname: "$external", user: subject}</c>; failures are AuthenticationFailed (18), as on a real server.
    /// </summary>
    internal static BsonDocument AuthenticateX509(ServerState state, ConnectionInfo connection, string database, BsonDocument command)
    {
        if (database != UserStore.ExternalDatabase)
        {
            throw Errors.Of(ErrorCodes.ProtocolError, "X.509 authentication must always use the $external database.");
        }

        string? subject = connection.ClientCertificateSubject;
        if (subject is null)
        {
            throw new CommandException(
                ErrorCodes.AuthenticationFailed,
                "AuthenticationFailed",
                state.Options.TlsCertificate is null
                    ? "MONGODB-X509 needs TLS: this connection does not use it."
                    : "No verified subject name available from client: it presented no TLS certificate.");
        }

        if (command.TryGetValue("user", out BsonValue? user) && user.IsString && user.AsString.Length > 0 && user.AsString != subject)
        {
            throw new CommandException(
                ErrorCodes.AuthenticationFailed, "AuthenticationFailed", "There is no x.509 client certificate matching the user.");
        }

        InMemoryMongoUser? found = state.Users.FindUser(UserStore.ExternalDatabase, subject);
        if (found is null || !found.Mechanisms.Contains(InMemoryMongoUser.X509Mechanism))
        {
            throw new CommandException(
                ErrorCodes.AuthenticationFailed, "AuthenticationFailed", $"Could not find user \"{subject}\" for db \"$external\".");
        }

        connection.Conversation = null;
        connection.AuthenticatedUser = UserStore.ExternalDatabase + "." + subject;
        return new BsonDocument { { "dbname", UserStore.ExternalDatabase }, { "user", subject } };
    }
}
