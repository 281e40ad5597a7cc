using Mongo.Bson;
using Mongo.Driver.Events;

namespace Mongo.Driver.Diagnostics;

/// <summary>Command monitoring events and the <c>command</c> log component's messages.</summary>
internal sealed partial class EventPublisher
{
    private static readonly HashSet<string> s_sensitiveCommands = new(StringComparer.OrdinalIgnoreCase)
    {
        "authenticate", "saslStart", "saslContinue", "getnonce", "createUser", "updateUser", "copydbgetnonce", "copydbsaslstart", "copydb",
    };

    private readonly Action<CommandStartedEvent>? _commandStarted;
    private readonly Action<CommandSucceededEvent>? _commandSucceeded;
    private readonly Action<CommandFailedEvent>? _commandFailed;

    /// <summary>Whether anyone observes commands; when false, connections skip building the command document and timing.</summary>
    public bool CommandsEnabled => _commandStarted is not null || _commandSucceeded is not null || _commandFailed is not null || On(_commandLog);

    /// <summary>
    /// Command monitoring's sensitive commands: authentication and user management, and hello / legacy hello carrying
    /// speculativeAuthenticate. Their command, reply and server error details are never published.
    /// </summary>
    public static bool IsSensitive(string commandName, BsonDocument? command) =>
        s_sensitiveCommands.Contains(commandName)
        || (command is not null && command.Contains("speculativeAuthenticate")
            && (commandName.Equals("hello", StringComparison.OrdinalIgnoreCase) || commandName.Equals("isMaster", StringComparison.OrdinalIgnoreCase)));

    /// <summary>A server error reduced to code, code name and labels (command monitoring's redaction rule); other errors pass unchanged.</summary>
    public static Exception Redact(Exception failure, string commandName, MongoServerAddress address)
    {
        if (failure is not MongoCommandException command)
        {
            return failure;
        }

        var reply = new BsonDocument { { "ok", 0.0 }, { "code", command.Code } };
        if (command.CodeName is not null)
        {
            reply.Add("codeName", command.CodeName);
        }

        if (command.ErrorLabels.Count > 0)
        {
            var labels = new BsonArray();
            foreach (string label in command.ErrorLabels)
            {
                labels.Add(label);
            }

            reply.Add("errorLabels", labels);
        }

        var redacted = new MongoCommandException("Command " + commandName + " failed on " + address + " (details redacted: sensitive command).", command.Code, command.CodeName, commandName, reply);
        foreach (string label in command.ErrorLabels)
        {
            redacted.AddErrorLabel(label);
        }

        return redacted;
    }

    public void CommandStarted(in CommandStartedEvent e)
    {
        if (_commandStarted is not null)
        {
            Invoke(_commandStarted, e);
        }

        if (On(_commandLog))
        {
            string json = Json(e.Command);
            Write(_commandLog!, 1300, CommandMessage("Command started", e.CommandName, e.DatabaseName, e.RequestId, e.OperationId, e.ServerAddress, e.ConnectionId, e.ServerConnectionId, e.ServiceId)
                .Add("command", json)
                .Text(Sentence("started", e.CommandName, e.DatabaseName, null, e.ConnectionId, e.ServerConnectionId, e.ServerAddress, e.ServiceId, e.RequestId, e.OperationId) + " Command: " + json));
        }
    }

    public void CommandSucceeded(in CommandSucceededEvent e)
    {
        if (_commandSucceeded is not null)
        {
            Invoke(_commandSucceeded, e);
        }

        if (On(_commandLog))
        {
            string json = Json(e.Reply);
            Write(_commandLog!, 1301, CommandMessage("Command succeeded", e.CommandName, e.DatabaseName, e.RequestId, e.OperationId, e.ServerAddress, e.ConnectionId, e.ServerConnectionId, e.ServiceId)
                .Add("durationMS", e.Duration.TotalMilliseconds).Add("reply", json)
                .Text(Sentence("succeeded", e.CommandName, e.DatabaseName, e.Duration, e.ConnectionId, e.ServerConnectionId, e.ServerAddress, e.ServiceId, e.RequestId, e.OperationId) + " Command reply: " + json));
        }
    }

    public void CommandFailed(in CommandFailedEvent e)
    {
        if (_commandFailed is not null)
        {
            Invoke(_commandFailed, e);
        }

        if (On(_commandLog))
        {
            string failure = Describe(e.Failure);
            if (e.Failure is MongoCommandException command)
            {
                failure += " Reply: " + Json(command.Reply);
            }

            Write(_commandLog!, 1302, CommandMessage("Command failed", e.CommandName, e.DatabaseName, e.RequestId, e.OperationId, e.ServerAddress, e.ConnectionId, e.ServerConnectionId, e.ServiceId)
                .Add("durationMS", e.Duration.TotalMilliseconds).Add("failure", failure)
                .Text(Sentence("failed", e.CommandName, e.DatabaseName, e.Duration, e.ConnectionId, e.ServerConnectionId, e.ServerAddress, e.ServiceId, e.RequestId, e.OperationId) + " Error: " + failure), e.Failure);
        }
    }

    private static LogMessage CommandMessage(string message, string commandName, string databaseName, int requestId, long operationId,
        MongoServerAddress address, long connectionId, long? serverConnectionId, ObjectId? serviceId) =>
        new LogMessage(message).Add("commandName", commandName).Add("databaseName", databaseName).Add("requestId", requestId)
            .Add("operationId", operationId).Add("driverConnectionId", connectionId).Server(address)
            .Add("serverConnectionId", serverConnectionId).Add("serviceId", serviceId?.ToString());

    private static string Sentence(string what, string commandName, string databaseName, TimeSpan? duration, long connectionId, long? serverConnectionId,
        MongoServerAddress address, ObjectId? serviceId, int requestId, long operationId) =>
        $"Command \"{commandName}\" {what} on database \"{databaseName}\"" + (duration is { } d ? " in " + LogMessage.Ms(d) + " ms" : "")
        + $" using a connection with driver-generated ID {connectionId}" + (serverConnectionId is { } s ? $" and server-generated ID {s}" : "")
        + " to " + LogMessage.Endpoint(address) + (serviceId is { } id ? " with service ID " + id : "")
        + $". The requestID is {requestId} and the operation ID is {operationId}.";
}
