using Mongo.Bson;

namespace Mongo.InMemory.Wire;

/// <summary>Builds complete reply messages (header included) into a pooled buffer.</summary>
internal static class ReplyWriter
{
    /// <summary>OP_REPLY responseFlags: AwaitCapable, which every server since 1.6 sets.</summary>
    private const int AwaitCapable = 8;

    public static void WriteMsg(PooledBuffer output, int requestId, int responseTo, BsonDocument body, bool moreToCome)
    {
        output.Clear();
        WriteHeader(output, requestId, responseTo, OpCode.Msg);
        output.WriteInt32(moreToCome ? (int)OpMsgFlags.MoreToCome : 0);
        output.WriteByte(0); // section kind 0: the body
        BsonCodec.WriteDocument(output, body);
        output.PatchInt32(0, output.Length);
    }

    /// <summary>OP_REPLY responseFlags: QueryFailure (ErrSet), the reply's single document is an error.</summary>
    private const int QueryFailure = 2;

    public static void WriteLegacyReply(PooledBuffer output, int requestId, int responseTo, BsonDocument document) =>
        WriteLegacyReply(output, requestId, responseTo, document, AwaitCapable);

    /// <summary>
    /// mongod 8.0's answer to a legacy OP_QUERY on a collection (a find, not a command): the QueryFailure flag and a
    /// <c>$err</c> document, so an old client raises the error instead of reading it as a result document.
    /// </summary>
    public static void WriteLegacyQueryFailure(PooledBuffer output, int requestId, int responseTo)
    {
        var error = new BsonDocument
        {
            { "$err", "OP_QUERY is no longer supported. The client driver may require an upgrade. For more details see https://dochub.mongodb.org/core/legacy-opcode-removal" },
            { "code", 5739101 },
            { "ok", 0.0 },
        };
        WriteLegacyReply(output, requestId, responseTo, error, QueryFailure);
    }

    private static void WriteLegacyReply(PooledBuffer output, int requestId, int responseTo, BsonDocument document, int flags)
    {
        output.Clear();
        WriteHeader(output, requestId, responseTo, OpCode.Reply);
        output.WriteInt32(flags);
        output.WriteInt64(0); // cursorID
        output.WriteInt32(0); // startingFrom
        output.WriteInt32(1); // numberReturned
        BsonCodec.WriteDocument(output, document);
        output.PatchInt32(0, output.Length);
    }

    /// <summary>Wraps the complete message in <paramref name="message"/> into an OP_COMPRESSED in <paramref name="output"/>.</summary>
    public static void Compress(PooledBuffer message, PooledBuffer output, CompressorId compressor)
    {
        ReadOnlySpan<byte> written = message.WrittenSpan;
        int originalOpCode = System.Buffers.Binary.BinaryPrimitives.ReadInt32LittleEndian(written[12..]);
        output.Clear();
        output.Write(written[..12]); // length (patched below), requestID, responseTo
        output.WriteInt32(OpCode.Compressed);
        output.WriteInt32(originalOpCode);
        output.WriteInt32(written.Length - MessageParser.HeaderLength);
        output.WriteByte((byte)compressor);
        Compression.Compress(compressor, written[MessageParser.HeaderLength..], output);
        output.PatchInt32(0, output.Length);
    }

    private static void WriteHeader(PooledBuffer output, int requestId, int responseTo, int opCode)
    {
        output.WriteInt32(0);
        output.WriteInt32(requestId);
        output.WriteInt32(responseTo);
        output.WriteInt32(opCode);
    }
}
