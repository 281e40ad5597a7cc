using System.Buffers.Binary;
using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Unicode;
using Mongo.Bson.Internal;

namespace Mongo.Bson;

/// <summary>
/// A forward-only, validating, non-allocating reader over one BSON document held in memory, shaped like
/// <c>Utf8JsonReader</c>: call <see cref="Read"/> to move from token to token, inspect <see cref="TokenType"/>,
/// <see cref="CurrentType"/>, <see cref="NameSpan"/> and <see cref="ValueSpan"/>, and use the typed getters.
/// </summary>
/// <remarks>
/// Every element is validated when it is read: declared lengths against the enclosing document and the buffer,
/// terminators, UTF-8 of names and strings, boolean bytes, binary subtype 2 inner lengths, code-with-scope
/// lengths (and its scope document), the nesting depth and unknown type bytes. Invalid input raises a
/// <see cref="BsonFormatException"/> carrying the byte offset and the element path. Pass the reader by
/// <see langword="ref"/>; copies advance independently.
/// </remarks>
public ref partial struct BsonReader
{
    private const int ArrayBit = int.MinValue;

    private readonly ReadOnlySpan<byte> _buffer;
    private readonly ReadOnlyMemory<byte> _memory;
    private readonly int _maxDepth;
    private readonly bool _allowTrailingBytes;
    private readonly bool _hasMemory;
    private readonly int _origin;

    private int _pos;
    private int _end;
    private bool _inArray;
    private int _depth;
    private bool _finished;
    private BsonTokenType _tokenType;
    private BsonType _type;
    private int _nameStart;
    private int _nameLength;
    private int _valueStart;
    private int _valueLength;
    private bool _valueIsAscii;
    private InlineFrames _frames;
    private ContainerFrame[]? _overflowFrames;

    /// <summary>Creates a reader over a buffer that holds one BSON document.</summary>
    /// <param name="bson">The encoded document.</param>
    /// <param name="options">Reader options; the default value gives the documented defaults.</param>
    public BsonReader(ReadOnlySpan<byte> bson, BsonReaderOptions options = default)
    {
        _buffer = bson;
        _maxDepth = options.MaxDepth;
        _allowTrailingBytes = options.AllowTrailingBytes;
        _nameStart = -1;
    }

    /// <summary>
    /// Creates a reader over memory that holds one BSON document; <see cref="GetRawDocumentMemory"/> can then
    /// slice embedded documents without copying.
    /// </summary>
    /// <param name="bson">The encoded document.</param>
    /// <param name="options">Reader options; the default value gives the documented defaults.</param>
    public BsonReader(ReadOnlyMemory<byte> bson, BsonReaderOptions options = default)
        : this(bson.Span, options)
    {
        _memory = bson;
        _hasMemory = true;
    }

    /// <summary>A reader over a document that starts at <paramref name="origin"/> and ends at the buffer's end.</summary>
    private BsonReader(ReadOnlySpan<byte> buffer, int origin, int maxDepth)
    {
        _buffer = buffer;
        _origin = origin;
        _maxDepth = maxDepth;
        _nameStart = -1;
    }

    /// <summary>The token the reader is positioned on.</summary>
    public readonly BsonTokenType TokenType => _tokenType;

    /// <summary>
    /// The BSON type of the current element (<see cref="BsonType.Document"/> or <see cref="BsonType.Array"/>
    /// on start and end tokens).
    /// </summary>
    public readonly BsonType CurrentType => _type;

    /// <summary>
    /// The nesting depth of the current token: 0 for the top-level document's start and end, 1 for its
    /// elements (including the start and end of embedded containers), and so on.
    /// </summary>
    public readonly int CurrentDepth =>
        _tokenType is BsonTokenType.StartDocument or BsonTokenType.StartArray ? _depth - 1 : _depth;

    /// <summary>The number of bytes consumed so far (the offset of the next unread byte).</summary>
    public readonly long BytesConsumed => _pos;

    /// <summary>
    /// The UTF-8 name of the current element; empty on the top-level start, on end tokens and before reading.
    /// </summary>
    public readonly ReadOnlySpan<byte> NameSpan => _buffer.Slice(_nameStart < 0 ? 0 : _nameStart, _nameLength);

    /// <summary>
    /// The encoded value of the current element exactly as it appears in the buffer (for strings including
    /// the length prefix and the terminating NUL; for start tokens the whole embedded document). Empty on
    /// end tokens.
    /// </summary>
    public readonly ReadOnlySpan<byte> ValueSpan => _buffer.Slice(_valueStart, _valueLength);

    /// <summary>
    /// Whether the current element (for end tokens, the container just closed) is an item of an array, so that
    /// its name is a decimal index.
    /// </summary>
    public readonly bool IsInArray => _tokenType switch
    {
        // On a start token the reader has already entered the new container; its parent is in the frame.
        BsonTokenType.StartDocument or BsonTokenType.StartArray => _depth > 1 && (GetFrame(_depth - 2).ParentEnd & ArrayBit) != 0,
        BsonTokenType.None => false,
        _ => _inArray && _depth > 0,
    };

    /// <summary>The offset of the current value (for error reports).</summary>
    internal readonly int ValueOffset => _valueStart;

    /// <summary>The current element's name as a string (names are cached, so repeated names rarely allocate).</summary>
    public readonly string GetName() => _nameLength == 0 ? string.Empty : NameCache.Get(NameSpan);

    /// <summary>Compares the current element's name with a UTF-8 name without allocating.</summary>
    public readonly bool NameEquals(ReadOnlySpan<byte> utf8) => NameSpan.SequenceEqual(utf8);

    /// <summary>Compares the current element's name with a name without allocating.</summary>
    public readonly bool NameEquals(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return Utf8Util.EqualsString(NameSpan, name);
    }

    /// <summary>Moves to the next token.</summary>
    /// <returns><see langword="false"/> when the top-level document has been fully read.</returns>
    /// <exception cref="BsonFormatException">The input is not valid BSON.</exception>
    public bool Read()
    {
        if (_depth == 0)
        {
            return ReadTopLevelStart();
        }

        ReadOnlySpan<byte> buffer = _buffer;
        int pos = _pos;
        int end = _end;
        if (pos >= end)
        {
            return ReadAtEnd(pos);
        }

        byte type = buffer[pos];
        if (type == 0)
        {
            ThrowFormat(pos, "Document terminator found before the end of the declared document length.", -1);
        }

        int nameStart = pos + 1;
        int nameLength = end - nameStart >= 16 ? ShortAsciiNameLength(buffer, nameStart) : -1;
        if (nameLength < 0)
        {
            nameLength = ReadNameSlow(buffer, nameStart, end);
        }

        int valueStart = nameStart + nameLength + 1;
        int available = end - valueStart;
        int size;
        switch (type)
        {
            case (byte)BsonType.Int32:
                size = 4;
                break;
            case (byte)BsonType.Double:
            case (byte)BsonType.Int64:
            case (byte)BsonType.DateTime:
            case (byte)BsonType.Timestamp:
                size = 8;
                break;
            case (byte)BsonType.String:
            case (byte)BsonType.JavaScript:
            case (byte)BsonType.Symbol:
                size = ValidateString(buffer, valueStart, available, nameStart, out _valueIsAscii);
                break;
            case (byte)BsonType.Boolean:
                size = 1;
                if (available >= 1 && buffer[valueStart] > 1)
                {
                    ThrowFormat(valueStart, $"Invalid boolean byte 0x{buffer[valueStart]:X2}; expected 0x00 or 0x01.", nameStart);
                }

                break;
            case (byte)BsonType.Null:
            case (byte)BsonType.Undefined:
            case (byte)BsonType.MinKey:
            case (byte)BsonType.MaxKey:
                size = 0;
                break;
            case (byte)BsonType.ObjectId:
                size = 12;
                break;
            case (byte)BsonType.Decimal128:
                size = 16;
                break;
            case (byte)BsonType.Document:
            case (byte)BsonType.Array:
                StartContainer(buffer, type, nameStart, nameLength, valueStart, available);
                return true;
            case (byte)BsonType.Binary:
                size = ValidateBinary(buffer, valueStart, available, nameStart);
                break;
            case (byte)BsonType.RegularExpression:
                size = ValidateRegularExpression(buffer, valueStart, available, nameStart);
                break;
            case (byte)BsonType.DBPointer:
                size = ValidateString(buffer, valueStart, available, nameStart, out _) + 12;
                break;
            case (byte)BsonType.JavaScriptWithScope:
                size = ValidateCodeWithScope(buffer, valueStart, available, nameStart);
                break;
            default:
                ThrowFormat(pos, $"Unknown BSON element type 0x{type:X2}.", nameStart);
                return false;
        }

        if (size > available)
        {
            ThrowFormat(valueStart, $"Element of type {(BsonType)type} needs {size} bytes but only {available} remain in its document.", nameStart);
        }

        _tokenType = BsonTokenType.Value;
        _type = (BsonType)type;
        _nameStart = nameStart;
        _nameLength = nameLength;
        _valueStart = valueStart;
        _valueLength = size;
        _pos = valueStart + size;
        return true;
    }

    /// <summary>
    /// The length of an ASCII name of at most 15 bytes starting at <paramref name="start"/>, found with two word
    /// reads (the caller guarantees 16 readable bytes), or -1 when the name is longer or not ASCII.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static int ShortAsciiNameLength(ReadOnlySpan<byte> buffer, int start)
    {
        const ulong Ones = 0x0101010101010101UL;
        const ulong Highs = 0x8080808080808080UL;
        ref byte first = ref Unsafe.Add(ref MemoryMarshal.GetReference(buffer), start);
        ulong word = Unsafe.ReadUnaligned<ulong>(ref first);
        int offset = 0;
        ulong zeros = (word - Ones) & ~word & Highs;
        if (zeros == 0)
        {
            if ((word & Highs) != 0)
            {
                return -1;
            }

            word = Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref first, 8));
            offset = 8;
            zeros = (word - Ones) & ~word & Highs;
            if (zeros == 0)
            {
                return -1;
            }
        }

        // The lowest flagged byte is exactly the first zero byte (borrows only flag bytes above it).
        int zeroIndex = BitOperations.TrailingZeroCount(zeros) >> 3;
        ulong before = zeroIndex == 0 ? 0 : word & (ulong.MaxValue >> (64 - (zeroIndex * 8)));
        return (before & Highs) != 0 ? -1 : offset + zeroIndex;
    }

    private readonly int ReadNameSlow(ReadOnlySpan<byte> buffer, int nameStart, int end)
    {
        int nameLength = buffer.Slice(nameStart, end - nameStart).IndexOf((byte)0);
        if (nameLength < 0)
        {
            ThrowFormat(nameStart, "Element name is not terminated within its document.", -1);
        }

        ReadOnlySpan<byte> name = buffer.Slice(nameStart, nameLength);
        if (!Ascii.IsValid(name) && !Utf8.IsValid(name))
        {
            ThrowFormat(nameStart, "Element name is not valid UTF-8.", -1);
        }

        return nameLength;
    }

    /// <summary>
    /// On a start token, moves to the matching end token using the length prefix (the skipped content is not
    /// validated); on a value token, does nothing.
    /// </summary>
    public void Skip()
    {
        if (_tokenType is not (BsonTokenType.StartDocument or BsonTokenType.StartArray))
        {
            return;
        }

        // The container's terminator position was checked when it was opened.
        _pos = _end;
        bool ok = Read();
        Debug.Assert(ok, "the end token follows");
    }

    private bool ReadTopLevelStart()
    {
        if (_finished || _tokenType != BsonTokenType.None)
        {
            return false;
        }

        ReadOnlySpan<byte> buffer = _buffer;
        int origin = _origin;
        int available = buffer.Length - origin;
        if (available < 5)
        {
            ThrowFormat(origin, $"A BSON document needs at least 5 bytes; {available} are available.", -1);
        }

        int length = BinaryPrimitives.ReadInt32LittleEndian(buffer.Slice(origin));
        if (length < 5)
        {
            ThrowFormat(origin, $"Invalid document length {length}.", -1);
        }

        if (length > available)
        {
            ThrowFormat(origin, $"Document length {length} exceeds the {available} bytes available.", -1);
        }

        if (length < available && !_allowTrailingBytes)
        {
            ThrowFormat(origin + length, $"{available - length} trailing bytes after the document of length {length}.", -1);
        }

        if (buffer[origin + length - 1] != 0)
        {
            ThrowFormat(origin + length - 1, "Document is not terminated by 0x00 at its declared end.", -1);
        }

        if (_maxDepth < 1)
        {
            ThrowFormat(origin, "Maximum nesting depth 0 does not allow a document.", -1);
        }

        _depth = 1;
        _end = origin + length - 1;
        _pos = origin + 4;
        _tokenType = BsonTokenType.StartDocument;
        _type = BsonType.Document;
        _nameStart = -1;
        _nameLength = 0;
        _valueStart = origin;
        _valueLength = length;
        return true;
    }

    private bool ReadAtEnd(int pos)
    {
        // Elements never extend past the container's terminator, so pos == _end here; its byte was checked
        // when the container was opened.
        Debug.Assert(pos == _end, "element reads stop at the terminator");
        bool wasArray = _inArray;
        _tokenType = wasArray ? BsonTokenType.EndArray : BsonTokenType.EndDocument;
        _type = wasArray ? BsonType.Array : BsonType.Document;
        _valueStart = pos;
        _valueLength = 0;
        _nameLength = 0;
        _pos = pos + 1;
        _depth--;
        if (_depth == 0)
        {
            _finished = true;
            _nameStart = -1;
            _inArray = false;
            return true;
        }

        ContainerFrame frame = PopFrame();
        _nameStart = frame.NameStart;
        _end = frame.ParentEnd & ~ArrayBit;
        _inArray = (frame.ParentEnd & ArrayBit) != 0;
        return true;
    }

    private void StartContainer(ReadOnlySpan<byte> buffer, byte type, int nameStart, int nameLength, int valueStart, int available)
    {
        if (available < 5)
        {
            ThrowFormat(valueStart, $"Embedded {(BsonType)type} needs at least 5 bytes but only {Math.Max(available, 0)} remain.", nameStart);
        }

        int length = BinaryPrimitives.ReadInt32LittleEndian(buffer.Slice(valueStart));
        if (length < 5 || length > available)
        {
            ThrowFormat(valueStart, $"Invalid embedded {(BsonType)type} length {length} ({available} bytes remain in the enclosing document).", nameStart);
        }

        int childEnd = valueStart + length - 1;
        if (buffer[childEnd] != 0)
        {
            ThrowFormat(childEnd, $"Embedded {(BsonType)type} is not terminated by 0x00 at its declared end.", nameStart);
        }

        if (_depth >= _maxDepth)
        {
            ThrowFormat(valueStart, $"Maximum nesting depth {_maxDepth} exceeded.", nameStart);
        }

        PushFrame(new ContainerFrame { ParentEnd = _inArray ? _end | ArrayBit : _end, NameStart = nameStart });
        _depth++;
        _end = childEnd;
        bool isArray = type == (byte)BsonType.Array;
        _inArray = isArray;
        _tokenType = isArray ? BsonTokenType.StartArray : BsonTokenType.StartDocument;
        _type = (BsonType)type;
        _nameStart = nameStart;
        _nameLength = nameLength;
        _valueStart = valueStart;
        _valueLength = length;
        _pos = valueStart + 4;
    }

    private void PushFrame(ContainerFrame frame)
    {
        int index = _depth - 1;
        if (index < InlineFrames.InlineCapacity)
        {
            _frames[index] = frame;
            return;
        }

        int overflowIndex = index - InlineFrames.InlineCapacity;
        if (_overflowFrames is null || overflowIndex >= _overflowFrames.Length)
        {
            Array.Resize(ref _overflowFrames, Math.Max(16, overflowIndex * 2));
        }

        _overflowFrames[overflowIndex] = frame;
    }

    private readonly ContainerFrame GetFrame(int index) =>
        index < InlineFrames.InlineCapacity ? _frames[index] : _overflowFrames![index - InlineFrames.InlineCapacity];

    private ContainerFrame PopFrame() => GetFrame(_depth - 1);

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private readonly void ThrowFormat(int offset, string message, int nameStart) =>
        throw BsonErrors.Format(message, offset, BuildPath(nameStart));
}
