using Mongo.Bson.Internal;
using System.Buffers;
using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using Mongo.Driver.Util;

namespace Mongo.Driver.Wire;

/// <summary>
/// Encodes one OP_MSG at a time into a <see cref="PooledByteBufferWriter"/>: header, flags, one kind-0 body,
/// any number of kind-1 document sequences, and the optional CRC-32C checksum. Lengths are back-patched,
/// so BSON can be written straight into the buffer (<see cref="BeginBody"/>/<see cref="EndBody"/>) without a copy.
/// A connection keeps one writer and reuses it; not thread-safe.
/// </summary>
internal sealed class OpMsgWriter
{
    private const int NotStarted = -1;
    private readonly PooledByteBufferWriter _buffer;
    private int _messageStart = NotStarted;
    private int _sectionStart = NotStarted;
    private byte _openSection;
    private int _bodies;
    private int _sequences;
    private OpMsgFlags _flags;

    public OpMsgWriter(PooledByteBufferWriter buffer) => _buffer = buffer;

    /// <summary>The buffer the message is written to.</summary>
    public PooledByteBufferWriter Buffer => _buffer;

    /// <summary>Starts a message at the buffer's current end.</summary>
    public void Start(int requestId, int responseTo = 0, OpMsgFlags flags = OpMsgFlags.None)
    {
        if (((uint)flags & (uint)OpMsgFlags.RequiredMask & ~(uint)OpMsgFlags.KnownRequired) != 0)
        {
            throw new ArgumentException("Unknown required OP_MSG flag bits.", nameof(flags));
        }

        if (_messageStart != NotStarted)
        {
            throw new InvalidOperationException("The previous OP_MSG was not finished.");
        }

        _messageStart = _buffer.WrittenCount;
        _flags = flags;
        _bodies = 0;
        _sequences = 0;
        Span<byte> span = _buffer.GetSpan(MessageHeader.Size + 4);
        new MessageHeader(0, requestId, responseTo, OpCode.Msg).Write(span);
        BinaryPrimitives.WriteUInt32LittleEndian(span[MessageHeader.Size..], (uint)flags);
        _buffer.Advance(MessageHeader.Size + 4);
    }

    /// <summary>Writes the kind-0 section from an encoded document.</summary>
    public void WriteBody(ReadOnlySpan<byte> document)
    {
        IBufferWriter<byte> output = BeginBody();
        output.Write(document);
        EndBody();
    }

    /// <summary>Opens the kind-0 section; write exactly one BSON document to the returned writer, then call <see cref="EndBody"/>.</summary>
    public IBufferWriter<byte> BeginBody()
    {
        EnsureNoOpenSection();
        if (_bodies != 0)
        {
            throw new InvalidOperationException("An OP_MSG has exactly one body (kind 0) section.");
        }

        _buffer.GetSpan(1)[0] = 0;
        _buffer.Advance(1);
        _sectionStart = _buffer.WrittenCount;
        _openSection = 0;
        return _buffer;
    }

    /// <summary>Closes the kind-0 section, checking that exactly one well-framed document was written.</summary>
    public void EndBody()
    {
        if (_sectionStart == NotStarted || _openSection != 0)
        {
            throw new InvalidOperationException("No body section is open.");
        }

        CheckDocument(_buffer.WrittenSpan[_sectionStart..], exact: true, "body");
        _sectionStart = NotStarted;
        _bodies++;
    }

    /// <summary>Opens a kind-1 section with an identifier such as <c>documents</c>, <c>updates</c> or <c>deletes</c>.</summary>
    public void BeginDocumentSequence(string identifier)
    {
        EnsureNoOpenSection();
        if (identifier.Length == 0 || identifier.Contains('\0', StringComparison.Ordinal))
        {
            throw new ArgumentException("A document sequence identifier must be non-empty and contain no NUL.", nameof(identifier));
        }

        int identifierLength = Encoding.UTF8.GetByteCount(identifier);
        Span<byte> span = _buffer.GetSpan(1 + 4 + identifierLength + 1);
        span[0] = 1;
        Encoding.UTF8.GetBytes(identifier, span[5..]);
        span[5 + identifierLength] = 0;
        _buffer.Advance(1);
        _sectionStart = _buffer.WrittenCount;
        _buffer.Advance(4 + identifierLength + 1);
        _openSection = 1;
    }

    /// <summary>Appends one encoded document to the open document sequence.</summary>
    public void WriteSequenceDocument(ReadOnlySpan<byte> document)
    {
        if (_sectionStart == NotStarted || _openSection != 1)
        {
            throw new InvalidOperationException("No document sequence is open.");
        }

        CheckDocument(document, exact: true, "sequence document");
        _buffer.Write(document);
    }

    /// <summary>The writer to encode a sequence document into directly (no copy); <see cref="EndDocumentSequence"/> validates the framing.</summary>
    public IBufferWriter<byte> SequenceOutput =>
        _sectionStart != NotStarted && _openSection == 1 ? _buffer : throw new InvalidOperationException("No document sequence is open.");

    /// <summary>Closes the open document sequence and back-patches its size.</summary>
    public void EndDocumentSequence()
    {
        if (_sectionStart == NotStarted || _openSection != 1)
        {
            throw new InvalidOperationException("No document sequence is open.");
        }

        Span<byte> section = _buffer.WrittenSpanForPatching[_sectionStart..];
        int identifierEnd = section[4..].IndexOf((byte)0) + 5;
        ReadOnlySpan<byte> documents = section[identifierEnd..];
        while (!documents.IsEmpty)
        {
            int length = CheckDocument(documents, exact: false, "sequence document");
            documents = documents[length..];
        }

        BinaryPrimitives.WriteInt32LittleEndian(section, section.Length);
        _sectionStart = NotStarted;
        _sequences++;
    }

    /// <summary>
    /// Finishes the message: appends the checksum when <see cref="OpMsgFlags.ChecksumPresent"/> was requested and
    /// back-patches the length.
    /// </summary>
    /// <returns>The message's length in bytes.</returns>
    /// <exception cref="MongoClientException">The message is larger than <paramref name="maxMessageSizeBytes"/>; nothing should be sent.</exception>
    public int Finish(int maxMessageSizeBytes)
    {
        if (_messageStart == NotStarted)
        {
            throw new InvalidOperationException("No OP_MSG was started.");
        }

        EnsureNoOpenSection();
        if (_bodies != 1)
        {
            throw new InvalidOperationException("An OP_MSG needs exactly one body (kind 0) section.");
        }

        bool checksum = (_flags & OpMsgFlags.ChecksumPresent) != 0;
        int length = _buffer.WrittenCount - _messageStart + (checksum ? 4 : 0);
        int start = _messageStart;
        _messageStart = NotStarted;
        if (length > maxMessageSizeBytes)
        {
            _buffer.Truncate(start);
            throw new MongoClientException("The command message is " + length.ToString(CultureInfo.InvariantCulture) + " bytes, which exceeds the server's maxMessageSizeBytes of " + maxMessageSizeBytes.ToString(CultureInfo.InvariantCulture) + ".");
        }

        BinaryPrimitives.WriteInt32LittleEndian(_buffer.WrittenSpanForPatching[start..], length);
        if (checksum)
        {
            uint crc = Crc32C.Compute(_buffer.WrittenSpan[start..]);
            BinaryPrimitives.WriteUInt32LittleEndian(_buffer.GetSpan(4), crc);
            _buffer.Advance(4);
        }

        return length;
    }

    /// <summary>Abandons a partly written message (e.g. after an encoding error) so the writer can start again.</summary>
    public void Abandon()
    {
        if (_messageStart != NotStarted)
        {
            _buffer.Truncate(_messageStart);
        }

        _messageStart = NotStarted;
        _sectionStart = NotStarted;
    }

    private void EnsureNoOpenSection()
    {
        if (_messageStart == NotStarted)
        {
            throw new InvalidOperationException("Start must be called first.");
        }

        if (_sectionStart != NotStarted)
        {
            throw new InvalidOperationException("The previous section was not ended.");
        }
    }

    private static int CheckDocument(ReadOnlySpan<byte> bytes, bool exact, string what)
    {
        int length = bytes.Length >= 4 ? BinaryPrimitives.ReadInt32LittleEndian(bytes) : -1;
        if (length < 5 || length > bytes.Length || (exact && length != bytes.Length) || bytes[length - 1] != 0)
        {
            throw new ArgumentException("The " + what + " is not a single well-framed BSON document (" + bytes.Length.ToString(CultureInfo.InvariantCulture) + " bytes written, length prefix " + length.ToString(CultureInfo.InvariantCulture) + ").");
        }

        return length;
    }
}
