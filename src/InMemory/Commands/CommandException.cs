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
}
