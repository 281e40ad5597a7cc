using Mongo.Bson;

namespace Mongo.InMemory.Commands;

/// <summary>
/// Thrown by handlers for ok:0 replies; the dispatcher renders
/// {ok: 0.0, errmsg, code, codeName, errorLabels?, ...Extra}.
/// </summary>
internal sealed class CommandException : Exception
{
    public CommandException(int code, string codeName, string message, BsonDocument? extra = null)
        : base(message)
    {
        Code = code;
        CodeName = codeName;
        Extra = extra;
    }

    public int Code { get; }

    public string CodeName { get; }

    public BsonDocument? Extra { get; }

    /// <summary>
    /// True for an error that fails the whole write command rather than being one statement's write error: a write
    /// conflict in a transaction, or running out of maxTimeMS (mongod rethrows transient errors and interruptions).
    /// </summary>
    public bool FailsWholeCommand { get; init; }
}
