using Mongo.Bson;
using Mongo.Driver.Connections;

namespace Mongo.Driver.Operations;

/// <summary>
/// What the executor returns for one command: the connection's <see cref="CommandReply"/> and, for an operation that
/// keeps its implicit session (a cursor, a bulk write's later batches), that session. A struct over the reply, so the
/// executor allocates nothing beyond what the connection read.
/// </summary>
internal readonly struct CommandResponse
{
    public CommandResponse(CommandReply reply, Sessions.ServerSession? session = null)
    {
        Reply = reply;
        Session = session;
    }

    /// <summary>The reply as read from the connection.</summary>
    public CommandReply Reply { get; }

    /// <summary>The implicit session of an operation that keeps it (<see cref="CommandOperation.KeepSession"/>); the caller now owns it.</summary>
    public Sessions.ServerSession? Session { get; }

    /// <summary>The server that replied.</summary>
    public MongoServerAddress Server => Reply.Server;

    /// <summary>The reply body bytes.</summary>
    public ReadOnlyMemory<byte> Bytes => Reply.Bytes;

    /// <summary>The pooled buffer holding a leased reply (see <see cref="CommandReply.Lease"/>).</summary>
    public ReplyLease? Lease => Reply.Lease;

    /// <summary>The operation span of a cursor-opening command sent with <see cref="CursorFactory.ExecuteAsync"/>; the cursor now owns it.</summary>
    public Diagnostics.OperationSpan? Span { get; init; }

    /// <summary>A lazy view over <see cref="Bytes"/> (no copy).</summary>
    public RawBsonDocument Raw => Reply.Raw;

    /// <summary>The reply materialised as a DOM (on first use).</summary>
    public BsonDocument Body => Reply.Body;
}
