using Mongo.Bson;

namespace Mongo.Driver.Operations;

/// <summary>A command reply. <see cref="Body"/> is decoded lazily from <see cref="Bytes"/> (a zero-copy RawBsonDocument view comes with bson-rw's RawBsonDocument).</summary>
internal sealed class CommandResponse
{
    private BsonDocument? _body;

    /// <summary>The server that replied.</summary>
    public required MongoServerAddress Server { get; init; }

    /// <summary>The reply body document (owned by this response, not pooled).</summary>
    public required ReadOnlyMemory<byte> Bytes { get; init; }

    /// <summary>The reply materialised as a DOM (on first use).</summary>
    public BsonDocument Body => _body ??= BsonDocument.FromBytes(Bytes.Span);
}
