using System.Globalization;
using Mongo.Bson;

namespace Mongo.Driver.Connections;

/// <summary>
/// The one place that turns a server reply into an exception: ok:0 replies become
/// <see cref="MongoCommandException"/> or a more specific subclass, with code, code name and error labels.
/// </summary>
internal static class ExceptionFactory
{
    /// <summary>Whether a reply's top-level <c>ok</c> is 1 (scans the bytes without building a DOM).</summary>
    public static bool IsOk(ReadOnlySpan<byte> reply)
    {
        var reader = new BsonReader(reply);
        reader.Read();
        while (reader.Read())
        {
            if (reader.TokenType == BsonTokenType.EndDocument)
            {
                break;
            }

            if (reader.TokenType is BsonTokenType.StartDocument or BsonTokenType.StartArray)
            {
                reader.Skip();
                continue;
            }

            if (reader.NameEquals("ok"u8))
            {
                return reader.CurrentType switch
                {
                    BsonType.Double => reader.GetDouble() == 1.0,
                    BsonType.Int32 => reader.GetInt32() == 1,
                    BsonType.Int64 => reader.GetInt64() == 1,
                    BsonType.Boolean => reader.GetBoolean(),
                    _ => false,
                };
            }
        }

        return false;
    }

    /// <summary>Throws the exception for an ok:0 reply; returns normally for ok:1.</summary>
    public static void ThrowIfNotOk(CommandReply response, string commandName)
    {
        if (!IsOk(response.Bytes.Span))
        {
            throw CreateCommandException(commandName, response.Body, response.Server);
        }
    }

    /// <summary>Builds the exception for an ok:0 reply.</summary>
    public static MongoCommandException CreateCommandException(string commandName, BsonDocument reply, MongoServerAddress? server)
    {
        int code = reply.TryGetValue("code", out BsonValue? c) && c.IsNumeric ? c.ToInt32() : 0;
        string? codeName = reply.TryGetValue("codeName", out BsonValue? n) && n.IsString ? n.AsString : null;
        string errmsg = reply.TryGetValue("errmsg", out BsonValue? m) && m.IsString ? m.AsString : "(no errmsg)";
        string message = "Command " + commandName + " failed" + (server is null ? "" : " on " + server) + ": " + errmsg
            + " (code " + code.ToString(CultureInfo.InvariantCulture) + (codeName is null ? "" : ", " + codeName) + ").";

        MongoCommandException exception;
        if (code == 0 && IsLegacyStateChangeMessage(errmsg, out bool recovering))
        {
            // Servers that send no code (SDAM: "use the error message" only then).
            exception = recovering
                ? new MongoNodeIsRecoveringException(message, code, codeName, commandName, reply) { Server = server }
                : new MongoNotPrimaryException(message, code, codeName, commandName, reply) { Server = server };
        }
        else if (ErrorCodes.IsNotPrimary(code))
        {
            exception = new MongoNotPrimaryException(message, code, codeName, commandName, reply) { Server = server };
        }
        else if (ErrorCodes.IsNodeIsRecovering(code))
        {
            exception = new MongoNodeIsRecoveringException(message, code, codeName, commandName, reply) { Server = server };
        }
        else
        {
            exception = new MongoCommandException(message, code, codeName, commandName, reply) { Server = server };
        }

        AddErrorLabels(exception, reply);
        return exception;
    }

    /// <summary>The SDAM spec's message checks for a reply without a code: "node is recovering" first, since "not master or secondary" also contains "not master".</summary>
    private static bool IsLegacyStateChangeMessage(string errmsg, out bool recovering)
    {
        recovering = errmsg.Contains("not master or secondary", StringComparison.Ordinal) || errmsg.Contains("node is recovering", StringComparison.Ordinal);
        return recovering || errmsg.Contains("not master", StringComparison.Ordinal);
    }

    /// <summary>Copies a reply's <c>errorLabels</c> onto an exception.</summary>
    public static void AddErrorLabels(MongoException exception, BsonDocument reply)
    {
        if (reply.TryGetValue("errorLabels", out BsonValue? labels) && labels is BsonArray array)
        {
            foreach (BsonValue label in array)
            {
                if (label.IsString)
                {
                    exception.AddErrorLabel(label.AsString);
                }
            }
        }
    }

    /// <summary>The authentication failure for a failed handshake step (never includes the password).</summary>
    public static MongoAuthenticationException CreateAuthenticationException(string mechanism, string? username, MongoServerAddress server, Exception? inner) =>
        new("Authentication with " + mechanism + " for user '" + username + "' on " + server + " failed" + (inner is null ? "." : ": " + inner.Message), inner);
}
