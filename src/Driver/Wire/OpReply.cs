using System.Buffers.Binary;
using System.Globalization;

namespace Mongo.Driver.Wire;

/// <summary>OP_REPLY <c>responseFlags</c>.</summary>
[Flags]
internal enum OpReplyFlags
{
    None = 0,
    CursorNotFound = 1,
    QueryFailure = 2,
    ShardConfigStale = 4,
    AwaitCapable = 8,
}

/// <summary>
/// A validated legacy OP_REPLY (opcode 1): the answer to an OP_QUERY, kept for a legacy-hello handshake
/// fallback. Layout after the header: responseFlags int32, cursorID int64, startingFrom int32,
/// numberReturned int32, then numberReturned documents.
/// </summary>
internal readonly struct OpReply
{
    private const int DocumentsOffset = MessageHeader.Size + 20;

    private OpReply(ReadOnlyMemory<byte> message, MessageHeader header, OpReplyFlags flags, long cursorId, int startingFrom, int numberReturned)
    {
        Message = message;
        Header = header;
        Flags = flags;
        CursorId = cursorId;
        StartingFrom = startingFrom;
        NumberReturned = numberReturned;
    }

    public ReadOnlyMemory<byte> Message { get; }

    public MessageHeader Header { get; }

    public OpReplyFlags Flags { get; }

    public long CursorId { get; }

    public int StartingFrom { get; }

    public int NumberReturned { get; }

    /// <summary>The returned documents, back to back (framing checked).</summary>
    public ReadOnlyMemory<byte> Documents => Message[DocumentsOffset..];

    /// <summary>The documents one by one.</summary>
    public DocumentSequence.Enumerator GetEnumerator() => new(Documents);

    /// <summary>The first document (a command reply has exactly one).</summary>
    /// <exception cref="MongoProtocolException">The reply has no documents.</exception>
    public ReadOnlyMemory<byte> FirstDocument
    {
        get
        {
            if (NumberReturned == 0)
            {
                throw new MongoProtocolException("The OP_REPLY contains no documents.");
            }

            int length = BinaryPrimitives.ReadInt32LittleEndian(Documents.Span);
            return Documents[..length];
        }
    }

    /// <summary>Parses and validates an OP_REPLY; every declared document must be present and well framed, with nothing after them.</summary>
    /// <exception cref="MongoProtocolException">Anything is wrong.</exception>
    public static OpReply Parse(ReadOnlyMemory<byte> message)
    {
        ReadOnlySpan<byte> span = message.Span;
        MessageHeader header = MessageHeader.Read(span);
        if (header.MessageLength != span.Length)
        {
            throw new MongoProtocolException("The OP_REPLY header declares " + Num(header.MessageLength) + " bytes but the message has " + Num(span.Length) + ".", 0);
        }

        if (header.OpCode != OpCode.Reply)
        {
            throw new MongoProtocolException("Expected opcode 1 (OP_REPLY) but found " + Num((int)header.OpCode) + ".", 12);
        }

        if (span.Length < DocumentsOffset)
        {
            throw new MongoProtocolException("An OP_REPLY of " + Num(span.Length) + " bytes is shorter than its 36-byte fixed part.", span.Length);
        }

        var flags = (OpReplyFlags)BinaryPrimitives.ReadInt32LittleEndian(span[16..]);
        long cursorId = BinaryPrimitives.ReadInt64LittleEndian(span[20..]);
        int startingFrom = BinaryPrimitives.ReadInt32LittleEndian(span[28..]);
        int numberReturned = BinaryPrimitives.ReadInt32LittleEndian(span[32..]);
        if (numberReturned < 0)
        {
            throw new MongoProtocolException("The OP_REPLY declares a negative numberReturned (" + Num(numberReturned) + ").", 32);
        }

        int offset = DocumentsOffset;
        for (int i = 0; i < numberReturned; i++)
        {
            offset += OpMsgMessage.DocumentLength(span, offset, span.Length, "OP_REPLY document " + Num(i));
        }

        if (offset != span.Length)
        {
            throw new MongoProtocolException("The OP_REPLY has " + Num(span.Length - offset) + " bytes after its " + Num(numberReturned) + " declared documents.", offset);
        }

        return new OpReply(message, header, flags, cursorId, startingFrom, numberReturned);
    }

    private static string Num(int value) => value.ToString(CultureInfo.InvariantCulture);
}
