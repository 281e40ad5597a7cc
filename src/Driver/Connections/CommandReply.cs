using Mongo.Bson;

namespace Mongo.Driver.Connections;

/// <summary>A command's reply as the connection read it. <see cref="Body"/> is decoded lazily from <see cref="Bytes"/>; <see cref="Raw"/> is a zero-copy view.</summary>
internal sealed class CommandReply
{
    private BsonDocument? _body;
    private RawBsonDocument? _raw;

    /// <summary>The server that replied.</summary>
    public required MongoServerAddress Server { get; init; }

    /// <summary>The reply body document (owned by this reply unless <see cref="Lease"/> is set).</summary>
    public required ReadOnlyMemory<byte> Bytes { get; init; }

    /// <summary>
    /// Set when the command asked for <see cref="IWireCommand.LeaseReply"/> and the reply was large: <see cref="Bytes"/>
    /// lives in a pooled buffer the reader must return (and stop reading) when done with the reply.
    /// </summary>
    public ReplyLease? Lease { get; init; }

    /// <summary>A lazy view over <see cref="Bytes"/> (no copy; for cursors).</summary>
    public RawBsonDocument Raw => _raw ??= new RawBsonDocument(Bytes);

    /// <summary>The reply materialised as a DOM (on first use).</summary>
    public BsonDocument Body => _body ??= BsonDocument.FromBytes(Bytes.Span);
}
