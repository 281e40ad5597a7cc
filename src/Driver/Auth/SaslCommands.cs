using Mongo.Bson;

namespace Mongo.Driver.Auth;

/// <summary>The authentication command documents (auth spec) and parsing of their replies.</summary>
internal static class SaslCommands
{
    /// <summary><c>{saslStart: 1, mechanism, payload, autoAuthorize: 1, options: {skipEmptyExchange: true}}</c>.</summary>
    public static BsonDocument SaslStart(string mechanism, byte[] payload) => new()
    {
        { "saslStart", 1 },
        { "mechanism", mechanism },
        { "payload", new BsonBinaryData(payload) },
        { "autoAuthorize", 1 },
        { "options", new BsonDocument("skipEmptyExchange", true) },
    };

    /// <summary><c>{saslContinue: 1, conversationId, payload}</c>.</summary>
    public static BsonDocument SaslContinue(BsonValue conversationId, byte[] payload) => new()
    {
        { "saslContinue", 1 },
        { "conversationId", conversationId },
        { "payload", new BsonBinaryData(payload) },
    };

    /// <summary>The <c>speculativeAuthenticate</c> value for hello: the saslStart command plus the authentication database.</summary>
    public static BsonDocument SpeculativeSaslStart(string mechanism, byte[] payload, string database)
    {
        BsonDocument command = SaslStart(mechanism, payload);
        command.Add("db", database);
        return command;
    }

    /// <summary>
    /// <c>{authenticate: 1, mechanism: "MONGODB-X509"}</c>, with <c>user</c> only when the application gave one
    /// (otherwise the server takes the certificate's subject).
    /// </summary>
    public static BsonDocument X509Authenticate(string? username)
    {
        var command = new BsonDocument
        {
            { "authenticate", 1 },
            { "mechanism", AuthMechanisms.X509 },
        };
        if (!string.IsNullOrEmpty(username))
        {
            command.Add("user", username);
        }

        return command;
    }

    /// <summary>The <c>speculativeAuthenticate</c> value for X.509: the authenticate command plus <c>db: "$external"</c>.</summary>
    public static BsonDocument SpeculativeX509(string? username)
    {
        BsonDocument command = X509Authenticate(username);
        command.Add("db", "$external");
        return command;
    }

    /// <summary>Reads a saslStart/saslContinue reply (or a hello's speculativeAuthenticate reply).</summary>
    /// <exception cref="MongoAuthenticationException">The reply reports failure or lacks the expected fields.</exception>
    public static SaslReply ParseReply(BsonDocument reply, string mechanism)
    {
        if (reply.TryGetValue("ok", out BsonValue? ok) && ok.IsNumeric && ok.ToDouble() != 1)
        {
            throw ServerError(reply, mechanism);
        }

        if (!reply.TryGetValue("conversationId", out BsonValue? conversationId) || !conversationId.IsNumeric)
        {
            throw new MongoAuthenticationException(mechanism + " authentication failed: the server reply has no conversationId.");
        }

        bool done = reply.TryGetValue("done", out BsonValue? doneValue) && doneValue.IsBoolean && doneValue.AsBoolean;
        byte[] payload = reply.TryGetValue("payload", out BsonValue? payloadValue) switch
        {
            false => [],
            true when payloadValue is BsonBinaryData binary => binary.Bytes,
            // "a sequence of bytes or a base64 encoded string (depending on input)".
            true when payloadValue is BsonString text => DecodeBase64(text.Value, mechanism),
            _ => throw new MongoAuthenticationException(mechanism + " authentication failed: the server payload is neither binary nor a string."),
        };
        return new SaslReply(conversationId, done, payload);
    }

    /// <summary>The authentication error for a failed reply (ok: 0), with the server's code and message.</summary>
    public static MongoAuthenticationException ServerError(BsonDocument reply, string mechanism)
    {
        string message = reply.TryGetValue("errmsg", out BsonValue? errmsg) && errmsg.IsString ? errmsg.AsString : "no message";
        string code = reply.TryGetValue("code", out BsonValue? codeValue) && codeValue.IsNumeric
            ? " (code " + codeValue.ToInt32().ToString(System.Globalization.CultureInfo.InvariantCulture)
              + (reply.TryGetValue("codeName", out BsonValue? codeName) && codeName.IsString ? " " + codeName.AsString : "") + ")"
            : "";
        return new MongoAuthenticationException(mechanism + " authentication failed: " + message + code + ".");
    }

    private static byte[] DecodeBase64(string text, string mechanism)
    {
        try
        {
            return Convert.FromBase64String(text);
        }
        catch (FormatException e)
        {
            throw new MongoAuthenticationException(mechanism + " authentication failed: the server payload is not valid base64.", e);
        }
    }
}

/// <summary>A SASL reply: the conversation to continue, whether the server is done, and its payload.</summary>
internal readonly record struct SaslReply(BsonValue ConversationId, bool Done, byte[] Payload);
