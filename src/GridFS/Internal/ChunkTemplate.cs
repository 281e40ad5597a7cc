using System.Buffers.Binary;
using Mongo.Bson;

namespace Mongo.GridFS.Internal;

/// <summary>
/// The encoded prefix of a chunk document <c>{ _id: ObjectId, files_id: id, n: int32, data: binary }</c> up to the
/// binary payload, computed once per upload. Each chunk copies the prefix, patches its own _id, n and lengths, and the
/// caller's bytes land right after it: no per-chunk document or array is built.
/// </summary>
internal sealed class ChunkTemplate
{
    private const int ObjectIdOffset = 4 + 1 + 4; // length, type byte, "_id\0"

    private readonly byte[] _prefix;
    private readonly int _nOffset;
    private readonly int _binaryLengthOffset;

    public ChunkTemplate(BsonValue filesId)
    {
        using var writer = new BsonWriter();
        writer.WriteStartDocument();
        writer.WriteName("_id");
        writer.WriteObjectId(ObjectId.Empty);
        writer.WriteName("files_id");
        writer.WriteValue(filesId);
        writer.WriteName("n");
        writer.WriteInt32(0);
        writer.WriteName("data");
        writer.WriteBinary(ReadOnlySpan<byte>.Empty, BsonBinarySubType.Binary);
        writer.WriteEndDocument();
        byte[] whole = writer.ToArray();

        // Layout from the end: ... n(4) | 0x05 "data\0" (6) | binary length (4) | subtype (1) | 0x00 terminator.
        _prefix = whole[..^1];
        _binaryLengthOffset = whole.Length - 1 - 1 - 4;
        _nOffset = _binaryLengthOffset - 6 - 4;
    }

    /// <summary>Bytes of a chunk document besides its payload.</summary>
    public int Overhead => _prefix.Length + 1;

    /// <summary>Writes the prefix of chunk <paramref name="n"/> at the start of <paramref name="destination"/>.</summary>
    public int WritePrefix(Span<byte> destination, ObjectId chunkId, int n)
    {
        _prefix.CopyTo(destination);
        chunkId.WriteTo(destination[ObjectIdOffset..]);
        BinaryPrimitives.WriteInt32LittleEndian(destination[_nOffset..], n);
        return _prefix.Length;
    }

    /// <summary>Completes a chunk whose payload of <paramref name="dataLength"/> bytes follows the prefix; returns its total size.</summary>
    public int Complete(Span<byte> chunk, int dataLength)
    {
        int total = _prefix.Length + dataLength + 1;
        BinaryPrimitives.WriteInt32LittleEndian(chunk, total);
        BinaryPrimitives.WriteInt32LittleEndian(chunk[_binaryLengthOffset..], dataLength);
        chunk[total - 1] = 0;
        return total;
    }
}
