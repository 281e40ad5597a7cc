using Mongo.Bson;

namespace Mongo.Driver;

/// <summary>A command failed: the server replied <c>ok: 0</c>. <see cref="Reply"/> holds the whole reply.</summary>
public class MongoCommandException : MongoServerException
{
    /// <summary>Creates an exception from a failed command's reply.</summary>
    public MongoCommandException(string message, int code, string? codeName, string commandName, BsonDocument reply, Exception? innerException = null)
        : base(message, code, codeName, innerException)
    {
        CommandName = commandName;
        Reply = reply;
    }

    /// <summary>The name of the command that failed (e.g. <c>find</c>).</summary>
    public string CommandName { get; }

    /// <summary>The server's reply document.</summary>
    public BsonDocument Reply { get; }

    /// <summary>The server's error message (<c>errmsg</c>).</summary>
    public string ErrorMessage => Reply.TryGetValue("errmsg", out BsonValue? value) && value.IsString ? value.AsString : string.Empty;
}

/// <summary>The server is not (or no longer) the primary: "not writable primary" class of errors (SDAM state-change error).</summary>
public class MongoNotPrimaryException : MongoCommandException
{
    /// <summary>Creates the exception.</summary>
    public MongoNotPrimaryException(string message, int code, string? codeName, string commandName, BsonDocument reply)
        : base(message, code, codeName, commandName, reply) { }
}

/// <summary>The server is starting up, shutting down or recovering (SDAM state-change error).</summary>
public class MongoNodeIsRecoveringException : MongoCommandException
{
    /// <summary>Creates the exception.</summary>
    public MongoNodeIsRecoveringException(string message, int code, string? codeName, string commandName, BsonDocument reply)
        : base(message, code, codeName, commandName, reply) { }

    /// <summary>Whether the node is shutting down (codes 11600, 91): the pool must be cleared.</summary>
    public bool IsShutdown => Code is 11600 or 91;
}
