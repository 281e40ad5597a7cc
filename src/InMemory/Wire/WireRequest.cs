using Mongo.Bson;

namespace Mongo.InMemory.Wire;

/// <summary>One parsed request: the command document plus what the framing said about it.</summary>
internal sealed class WireRequest
{
    public required int RequestId { get; init; }

    /// <summary>The opcode of the message (for OP_COMPRESSED, the original opcode inside it).</summary>
    public required int OpCode { get; init; }

    /// <summary>The compressor the client used, or null for an uncompressed message.</summary>
    public CompressorId? Compressor { get; init; }

    public required BsonDocument Command { get; init; }

    /// <summary>The message's length in bytes (uncompressed, header included): a bound on any document it carries.</summary>
    public int MessageLength { get; init; }

    /// <summary>The database: <c>$db</c> for OP_MSG, the part before <c>.$cmd</c> for OP_QUERY.</summary>
    public string? Database { get; init; }

    public bool MoreToCome { get; init; }

    public bool ExhaustAllowed { get; init; }

    public bool IsLegacyQuery => OpCode == Wire.OpCode.Query;
}
