using Mongo.Bson.Internal;
using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using System.Text.Unicode;

namespace Mongo.Driver.Wire;

/// <summary>
/// A decoded, fully validated OP_MSG over the message's bytes (no copies): header, flags, the body
/// document and the kind-1 document sequences. Parse once, then read sections freely.
/// </summary>
internal readonly struct OpMsgMessage
{
    private const int FlagsOffset = MessageHeader.Size;
    private const int SectionsOffset = MessageHeader.Size + 4;
    private readonly int _bodyOffset;
    private readonly int _bodyLength;
    private readonly int _sectionsEnd;

    private OpMsgMessage(ReadOnlyMemory<byte> message, MessageHeader header, OpMsgFlags flags, int bodyOffset, int bodyLength, int sectionsEnd, int sequenceCount, uint? checksum)
    {
        Message = message;
        Header = header;
        Flags = flags;
        _bodyOffset = bodyOffset;
        _bodyLength = bodyLength;
        _sectionsEnd = sectionsEnd;
        SequenceCount = sequenceCount;
        Checksum = checksum;
    }

    /// <summary>The whole message, header included.</summary>
    public ReadOnlyMemory<byte> Message { get; }

    public MessageHeader Header { get; }

    public OpMsgFlags Flags { get; }

    public bool MoreToCome => (Flags & OpMsgFlags.MoreToCome) != 0;

    public bool ExhaustAllowed => (Flags & OpMsgFlags.ExhaustAllowed) != 0;

    /// <summary>The verified checksum, when the message carried one.</summary>
    public uint? Checksum { get; }

    /// <summary>The kind-0 body document (raw BSON, framing checked; contents not yet validated).</summary>
    public ReadOnlyMemory<byte> Body => Message.Slice(_bodyOffset, _bodyLength);

    public int SequenceCount { get; }

    /// <summary>The kind-1 sections, in wire order.</summary>
    public SequenceEnumerator Sequences => new(Message, _sectionsEnd);

    /// <summary>The sequence with this identifier, or null.</summary>
    public DocumentSequence? FindSequence(string identifier)
    {
        foreach (DocumentSequence sequence in Sequences)
        {
            if (sequence.IdentifierEquals(identifier))
            {
                return sequence;
            }
        }

        return null;
    }

    /// <summary>
    /// Parses and validates an OP_MSG: the header's length must equal the buffer's, the opcode must be 2013,
    /// no unknown required flag bit may be set, the checksum (if flagged) must match, and the sections must
    /// tile the message exactly: one body, uniquely named sequences, every document well framed.
    /// </summary>
    /// <exception cref="MongoProtocolException">Anything is wrong; the message names the byte offset.</exception>
    public static OpMsgMessage Parse(ReadOnlyMemory<byte> message)
    {
        ReadOnlySpan<byte> span = message.Span;
        MessageHeader header = MessageHeader.Read(span);
        if (header.MessageLength != span.Length)
        {
            throw Error("The OP_MSG header declares " + Num(header.MessageLength) + " bytes but the message has " + Num(span.Length), 0);
        }

        if (header.OpCode != OpCode.Msg)
        {
            throw Error("Expected opcode 2013 (OP_MSG) but found " + Num((int)header.OpCode), 12);
        }

        if (span.Length < SectionsOffset + 1 + 5)
        {
            throw Error("An OP_MSG of " + Num(span.Length) + " bytes is too short to hold flags and a body", span.Length);
        }

        var flags = (OpMsgFlags)BinaryPrimitives.ReadUInt32LittleEndian(span[FlagsOffset..]);
        uint unknownRequired = (uint)flags & (uint)OpMsgFlags.RequiredMask & ~(uint)OpMsgFlags.KnownRequired;
        if (unknownRequired != 0)
        {
            throw Error("The OP_MSG sets required flag bits this driver does not understand (0x" + unknownRequired.ToString("X4", CultureInfo.InvariantCulture) + ")", FlagsOffset);
        }

        int sectionsEnd = span.Length;
        uint? checksum = null;
        if ((flags & OpMsgFlags.ChecksumPresent) != 0)
        {
            sectionsEnd -= 4;
            uint declared = BinaryPrimitives.ReadUInt32LittleEndian(span[sectionsEnd..]);
            uint actual = Crc32C.Compute(span[..sectionsEnd]);
            if (declared != actual)
            {
                throw Error("The OP_MSG checksum does not match: declared 0x" + declared.ToString("X8", CultureInfo.InvariantCulture) + ", computed 0x" + actual.ToString("X8", CultureInfo.InvariantCulture), sectionsEnd);
            }

            checksum = declared;
        }

        int bodyOffset = -1, bodyLength = 0, sequences = 0;
        int offset = SectionsOffset;
        while (offset < sectionsEnd)
        {
            byte kind = span[offset];
            int payload = offset + 1;
            switch (kind)
            {
                case 0:
                    if (bodyOffset >= 0)
                    {
                        throw Error("The OP_MSG has more than one body (kind 0) section", offset);
                    }

                    bodyLength = DocumentLength(span, payload, sectionsEnd, "body document");
                    bodyOffset = payload;
                    offset = payload + bodyLength;
                    break;
                case 1:
                    offset = CheckSequence(span, payload, sectionsEnd);
                    sequences++;
                    break;
                default:
                    throw Error("Unknown OP_MSG section kind " + Num(kind), offset);
            }
        }

        if (bodyOffset < 0)
        {
            throw Error("The OP_MSG has no body (kind 0) section", SectionsOffset);
        }

        var result = new OpMsgMessage(message, header, flags, bodyOffset, bodyLength, sectionsEnd, sequences, checksum);
        if (sequences > 1)
        {
            CheckUniqueIdentifiers(result);
        }

        return result;
    }

    private static int CheckSequence(ReadOnlySpan<byte> span, int start, int end)
    {
        if (end - start < 4)
        {
            throw Error("A document sequence section is truncated", start);
        }

        int size = BinaryPrimitives.ReadInt32LittleEndian(span[start..]);
        if (size < 4 + 2 || size > end - start)
        {
            throw Error("A document sequence declares a size of " + Num(size) + " bytes but " + Num(end - start) + " remain in the message", start);
        }

        int sectionEnd = start + size;
        int nul = span[(start + 4)..sectionEnd].IndexOf((byte)0);
        if (nul <= 0)
        {
            throw Error(nul == 0 ? "A document sequence has an empty identifier" : "A document sequence identifier is not NUL-terminated within the section", start + 4);
        }

        if (!Utf8.IsValid(span.Slice(start + 4, nul)))
        {
            throw Error("A document sequence identifier is not valid UTF-8", start + 4);
        }

        int offset = start + 4 + nul + 1;
        while (offset < sectionEnd)
        {
            offset += DocumentLength(span, offset, sectionEnd, "document in a sequence");
        }

        return sectionEnd;
    }

    private static void CheckUniqueIdentifiers(OpMsgMessage message)
    {
        int i = 0;
        foreach (DocumentSequence a in message.Sequences)
        {
            int j = 0;
            foreach (DocumentSequence b in message.Sequences)
            {
                if (j > i && a.IdentifierUtf8.Span.SequenceEqual(b.IdentifierUtf8.Span))
                {
                    throw Error("The OP_MSG has two document sequences named '" + a.Identifier + "'", MessageHeader.Size + 4);
                }

                j++;
            }

            i++;
        }
    }

    /// <summary>Checks a document's framing (length prefix within bounds, trailing NUL) and returns its length.</summary>
    internal static int DocumentLength(ReadOnlySpan<byte> span, int offset, int end, string what)
    {
        if (end - offset < 5)
        {
            throw Error("The " + what + " is truncated: " + Num(end - offset) + " bytes remain", offset);
        }

        int length = BinaryPrimitives.ReadInt32LittleEndian(span[offset..]);
        if (length < 5 || length > end - offset)
        {
            throw Error("The " + what + " declares a length of " + Num(length) + " bytes but " + Num(end - offset) + " remain", offset);
        }

        if (span[offset + length - 1] != 0)
        {
            throw Error("The " + what + " does not end with a NUL byte", offset + length - 1);
        }

        return length;
    }

    private static MongoProtocolException Error(string message, long offset) => new(message + ".", offset);

    private static string Num(int value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>Walks the kind-1 sections of a validated message.</summary>
    public struct SequenceEnumerator
    {
        private readonly ReadOnlyMemory<byte> _message;
        private readonly int _end;
        private int _offset;

        internal SequenceEnumerator(ReadOnlyMemory<byte> message, int end)
        {
            _message = message;
            _end = end;
            _offset = SectionsOffset;
            Current = default;
        }

        public DocumentSequence Current { get; private set; }

        public readonly SequenceEnumerator GetEnumerator() => this;

        public bool MoveNext()
        {
            ReadOnlySpan<byte> span = _message.Span;
            while (_offset < _end)
            {
                byte kind = span[_offset];
                int payload = _offset + 1;
                int size = BinaryPrimitives.ReadInt32LittleEndian(span[payload..]);
                _offset = payload + size;
                if (kind == 1)
                {
                    int nul = span[(payload + 4)..].IndexOf((byte)0);
                    int docs = payload + 4 + nul + 1;
                    Current = new DocumentSequence(_message.Slice(payload + 4, nul), _message[docs.._offset]);
                    return true;
                }
            }

            return false;
        }
    }
}

/// <summary>One kind-1 section: an identifier and the concatenated documents (already framing-checked).</summary>
internal readonly struct DocumentSequence
{
    internal DocumentSequence(ReadOnlyMemory<byte> identifierUtf8, ReadOnlyMemory<byte> documents)
    {
        IdentifierUtf8 = identifierUtf8;
        Documents = documents;
    }

    public ReadOnlyMemory<byte> IdentifierUtf8 { get; }

    public string Identifier => Encoding.UTF8.GetString(IdentifierUtf8.Span);

    /// <summary>The documents, back to back.</summary>
    public ReadOnlyMemory<byte> Documents { get; }

    /// <summary>Counts the documents (walks the length prefixes).</summary>
    public int Count
    {
        get
        {
            int count = 0;
            foreach (ReadOnlyMemory<byte> unused in this)
            {
                count++;
            }

            return count;
        }
    }

    public bool IdentifierEquals(string identifier)
    {
        Span<byte> utf8 = identifier.Length <= 64 ? stackalloc byte[identifier.Length * 3] : new byte[Encoding.UTF8.GetMaxByteCount(identifier.Length)];
        int written = Encoding.UTF8.GetBytes(identifier, utf8);
        return IdentifierUtf8.Span.SequenceEqual(utf8[..written]);
    }

    public Enumerator GetEnumerator() => new(Documents);

    /// <summary>Yields each document's bytes.</summary>
    public struct Enumerator(ReadOnlyMemory<byte> documents)
    {
        private ReadOnlyMemory<byte> _remaining = documents;

        public ReadOnlyMemory<byte> Current { get; private set; }

        public bool MoveNext()
        {
            if (_remaining.IsEmpty)
            {
                return false;
            }

            int length = BinaryPrimitives.ReadInt32LittleEndian(_remaining.Span);
            Current = _remaining[..length];
            _remaining = _remaining[length..];
            return true;
        }
    }
}
