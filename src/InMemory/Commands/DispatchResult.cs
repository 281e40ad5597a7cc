using Mongo.Bson;

namespace Mongo.InMemory.Commands;

/// <summary>The outcome of one command: a reply to send, or an instruction to drop the connection.</summary>
internal readonly struct DispatchResult
{
    private DispatchResult(BsonDocument? reply, bool closeConnection, bool moreToCome)
    {
        Reply = reply;
        CloseConnection = closeConnection;
        MoreToCome = moreToCome;
    }

    public BsonDocument? Reply { get; }

    public bool CloseConnection { get; }

    /// <summary>The reply is one of an exhaust stream: it is sent with moreToCome and another follows without a request.</summary>
    public bool MoreToCome { get; }

    public static DispatchResult Close => new(null, true, false);

    public static DispatchResult Send(BsonDocument reply, bool moreToCome = false) => new(reply, false, moreToCome);
}
