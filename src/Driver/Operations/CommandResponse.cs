using Mongo.Bson;

namespace Mongo.Driver.Operations;

/// <summary>A command reply. <see cref="Body"/> is decoded lazily from <see cref="Bytes"/>; <see cref="Raw"/> is a zero-copy view.</summary>
internal sealed class CommandResponse
{
    private BsonDocument? _body;
    private RawBsonDocument? _raw;

    /// <summary>The server that replied.</summary>
    public required MongoServerAddress Server { get; init; }

    /// <summary>The reply body document (owned by this response, not pooled).</summary>
    public required ReadOnlyMemory<byte> Bytes { get; init; }

    /// <summary>
    /// Set when the command asked for <see cref="CommandMessage.LeaseReply"/> and the reply was large: <see cref="Bytes"/>
    /// lives in a pooled buffer the reader must return (and stop reading) when done with the reply.
    /// </summary>
    public Connections.ReplyLease? Lease { get; init; }

    /// <summary>The implicit session of a command sent with <see cref="CommandMessage.KeepSession"/>; the caller now owns it.</summary>
    public Sessions.ServerSession? Session { get; set; }

    /// <summary>The operation span of a cursor-opening command sent with <see cref="CursorFactory.ExecuteAsync"/>; the cursor now owns it.</summary>
    public Diagnostics.OperationSpan? Span { get; set; }

    /// <summary>A lazy view over <see cref="Bytes"/> (no copy; for cursors).</summary>
    public RawBsonDocument Raw => _raw ??= new RawBsonDocument(Bytes);

    /// <summary>The reply materialised as a DOM (on first use).</summary>
    public BsonDocument Body => _body ??= BsonDocument.FromBytes(Bytes.Span);
}
