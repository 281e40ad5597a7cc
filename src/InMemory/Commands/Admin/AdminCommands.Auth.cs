using Mongo.Bson;
using Mongo.InMemory.Auth;
using Mongo.InMemory.Server;

namespace Mongo.InMemory.Commands.Admin;

/// <summary>SCRAM authentication: saslStart, saslContinue, logout, and hello's speculativeAuthenticate.</summary>
internal static partial class AdminCommands
{
    private const int ConversationId = 1;

    private static BsonDocument SaslStart(CommandContext context)
    {
        BsonDocument command = context.Command;
        string mechanism = command.TryGetValue("mechanism", out BsonValue? m) && m.IsString ? m.AsString : string.Empty;
        byte[] payload = command.TryGetValue("payload", out BsonValue? p) && p.BsonType == BsonType.Binary ? p.AsBsonBinaryData.Bytes : [];
        return StartConversation(context.Server, context.Connection, context.DatabaseName, mechanism, payload)
            ?? throw AuthenticationFailed();
    }

    /// <summary>Starts a SCRAM conversation; null when the mechanism or the client-first message is unacceptable.</summary>
    internal static BsonDocument? StartConversation(ServerState state, ConnectionInfo connection, string database, string mechanism, byte[] payload)
    {
        if (mechanism is not ("SCRAM-SHA-1" or "SCRAM-SHA-256"))
        {
            if (mechanism.Length == 0)
            {
                return null;
            }

            throw new CommandException(
                334, "MechanismUnavailable", $"Received authentication for mechanism {mechanism} which is not enabled");
        }

        var conversation = new ScramConversation(mechanism, database, state.Users.Find);
        byte[]? serverFirst = conversation.Start(payload);
        if (serverFirst is null)
        {
            return null;
        }

        // A user who exists but has no credentials for this mechanism (SCRAM-SHA-256 only, asked for SCRAM-SHA-1) is
        // told so, as mongod does, rather than failing the proof later.
        if (!conversation.HasCredentials && conversation.UserName is { } userName && state.Users.FindUser(database, userName) is not null)
        {
            throw new CommandException(
                334, "MechanismUnavailable", $"Unable to use {mechanism} based authentication for user without any {mechanism} credentials registered");
        }

        connection.Conversation = conversation;
        return new BsonDocument
        {
            { "conversationId", ConversationId },
            { "done", false },
            { "payload", new BsonBinaryData(serverFirst) },
        };
    }

    private static BsonDocument SaslContinue(CommandContext context)
    {
        ConnectionInfo connection = context.Connection;
        ScramConversation? conversation = connection.Conversation;
        if (conversation is null)
        {
            throw Engine.Errors.Of(ErrorCodes.ProtocolError, "No SASL session state found");
        }

        byte[] payload = context.Command.TryGetValue("payload", out BsonValue? p) && p.BsonType == BsonType.Binary ? p.AsBsonBinaryData.Bytes : [];
        if (conversation.Finished)
        {
            // The final, empty round trip of a client that did not ask to skip it.
            connection.Conversation = null;
            return new BsonDocument { { "conversationId", ConversationId }, { "done", true }, { "payload", new BsonBinaryData([]) } };
        }

        byte[]? serverFinal = conversation.Continue(payload);
        if (serverFinal is null)
        {
            connection.Conversation = null;
            throw AuthenticationFailed();
        }

        connection.AuthenticatedUser = context.DatabaseName + "." + conversation.UserName;
        bool skipEmptyExchange = context.Command.TryGetValue("options", out BsonValue? options) && options.IsDocument
            && options.AsDocument.TryGetValue("skipEmptyExchange", out BsonValue? skip) && skip.ToBoolean();
        if (skipEmptyExchange)
        {
            connection.Conversation = null;
        }

        return new BsonDocument
        {
            { "conversationId", ConversationId },
            { "done", skipEmptyExchange },
            { "payload", new BsonBinaryData(serverFinal) },
        };
    }

    private static BsonDocument Logout(CommandContext context)
    {
        context.Connection.AuthenticatedUser = null;
        context.Connection.Conversation = null;
        return new BsonDocument();
    }

    private static CommandException AuthenticationFailed() =>
        new(18, "AuthenticationFailed", "Authentication failed.");
}
