using System.Buffers;
using System.Buffers.Binary;
using System.Buffers.Text;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;
using Mongo.Bson.Internal;

namespace Mongo.Bson;

/// <summary>
/// A forward-only BSON writer, shaped like <c>Utf8JsonWriter</c>. It encodes into its own pooled buffer
/// (read it with <see cref="WrittenSpan"/>, <see cref="WrittenMemory"/> or <see cref="ToArray"/>) or, when
/// created over an <see cref="IBufferWriter{T}"/>, copies each completed top-level document there.
/// </summary>
/// <remarks>
/// Document lengths are back-patched when a document ends. Inside arrays the element names "0", "1", … are
/// generated. Element names containing NUL, invalid UTF-16 and documents larger than
/// <see cref="BsonWriterOptions.MaxDocumentSize"/> are rejected with <see cref="BsonException"/>s, as is
/// misuse such as a value without a name. Several top-level documents may be written one after the other.
/// After an exception the writer must be <see cref="Reset"/> before reuse.
/// </remarks>
public sealed partial class BsonWriter : IDisposable
{
    private const int InitialBufferSize = 256;

    // "0".."999" as UTF-8 followed by NUL padding, four bytes each, so an array index name is one store.
    private static readonly uint[] s_indexNames = CreateIndexNames();

    private readonly IBufferWriter<byte>? _output;
    private readonly int _maxDocumentSize;
    private byte[] _buffer;
    private int _pos;
    private long _flushed;
    private int _documentStart;

    private int _depth;
    private int _containerStart;
    private bool _inArray;
    private int _arrayIndex;
    private int _typeOffset = -1;
    private Frame[] _frames = new Frame[8];

    /// <summary>Creates a writer over its own pooled buffer.</summary>
    /// <param name="options">Writer options; the default value gives the documented defaults.</param>
    public BsonWriter(BsonWriterOptions options = default)
    {
        _maxDocumentSize = options.MaxDocumentSize;
        _buffer = ArrayPool<byte>.Shared.Rent(InitialBufferSize);
    }

    /// <summary>Creates a writer that copies each completed top-level document to <paramref name="output"/>.</summary>
    /// <param name="output">The destination.</param>
    /// <param name="options">Writer options; the default value gives the documented defaults.</param>
    public BsonWriter(IBufferWriter<byte> output, BsonWriterOptions options = default)
        : this(options)
    {
        ArgumentNullException.ThrowIfNull(output);
        _output = output;
    }

    /// <summary>The maximum size of a top-level document this writer accepts.</summary>
    public int MaxDocumentSize => _maxDocumentSize;

    /// <summary>The number of bytes written so far, including bytes already copied to the output.</summary>
    public long WrittenCount => _flushed + _pos;

    /// <summary>The current nesting depth: 0 between top-level documents, 1 inside a top-level document.</summary>
    public int CurrentDepth => _depth;

    /// <summary>The bytes written so far (own-buffer mode only); valid until the next write or reset.</summary>
    /// <exception cref="BsonException">The writer was created over an <see cref="IBufferWriter{T}"/>.</exception>
    public ReadOnlySpan<byte> WrittenSpan => OwnBuffer().AsSpan(0, _pos);

    /// <summary>The bytes written so far (own-buffer mode only); valid until the next write or reset.</summary>
    /// <exception cref="BsonException">The writer was created over an <see cref="IBufferWriter{T}"/>.</exception>
    public ReadOnlyMemory<byte> WrittenMemory => OwnBuffer().AsMemory(0, _pos);

    /// <summary>Copies the bytes written so far into a new array (own-buffer mode only).</summary>
    /// <exception cref="BsonException">The writer was created over an <see cref="IBufferWriter{T}"/>.</exception>
    public byte[] ToArray() => WrittenSpan.ToArray();

    /// <summary>Forgets everything written (keeping the buffer) so the writer can be reused.</summary>
    public void Reset()
    {
        _pos = 0;
        _flushed = 0;
        _documentStart = 0;
        _depth = 0;
        _containerStart = 0;
        _inArray = false;
        _arrayIndex = 0;
        _typeOffset = -1;
    }

    /// <summary>Returns the pooled buffer.</summary>
    public void Dispose()
    {
        byte[] buffer = _buffer;
        _buffer = [];
        _pos = 0;
        if (buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>
    /// Starts a document: a new top-level document, an embedded document after <see cref="WriteName(string)"/>,
    /// or a document item of an array.
    /// </summary>
    public void WriteStartDocument()
    {
        if (_depth == 0)
        {
            if (_buffer.Length == 0)
            {
                ThrowMisuse("The writer has been disposed.");
            }

            EnsureCapacity(5);
            _documentStart = _pos;
            _containerStart = _pos;
            _pos += 4;
            _depth = 1;
            _inArray = false;
            return;
        }

        int pos = BeginValue(BsonType.Document, 5);
        PushContainer(pos, isArray: false);
    }

    /// <summary>Starts an embedded document element named <paramref name="name"/>.</summary>
    public void WriteStartDocument(string name)
    {
        WriteName(name);
        WriteStartDocument();
    }

    /// <summary>Ends the current document and back-patches its length.</summary>
    /// <exception cref="BsonSizeException">A top-level document exceeds <see cref="MaxDocumentSize"/>.</exception>
    public void WriteEndDocument()
    {
        if (_depth == 0 || _inArray || _typeOffset >= 0)
        {
            ThrowBadEnd("WriteEndDocument");
        }

        EndContainer();
    }

    /// <summary>Starts an array after <see cref="WriteName(string)"/> or as an item of an array.</summary>
    public void WriteStartArray()
    {
        if (_depth == 0)
        {
            ThrowMisuse("A BSON top-level value must be a document, not an array.");
        }

        int pos = BeginValue(BsonType.Array, 5);
        PushContainer(pos, isArray: true);
    }

    /// <summary>Starts an array element named <paramref name="name"/>.</summary>
    public void WriteStartArray(string name)
    {
        WriteName(name);
        WriteStartArray();
    }

    /// <summary>Ends the current array and back-patches its length.</summary>
    public void WriteEndArray()
    {
        if (!_inArray || _depth == 0)
        {
            ThrowBadEnd("WriteEndArray");
        }

        EndContainer();
    }

    /// <summary>Writes the name of the next element of the current document.</summary>
    /// <exception cref="BsonException">Not inside a document, a name is already pending, or the name contains NUL or invalid UTF-16.</exception>
    public void WriteName(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        CheckCanWriteName();
        if (name.AsSpan().IndexOf('\0') >= 0)
        {
            ThrowInvalidName(name);
        }

        int max = name.Length <= 1024 ? (name.Length * 3) + 2 : Encoding.UTF8.GetByteCount(name) + 2;
        EnsureCapacity(max);
        int pos = _pos;
        int written = EncodeStrict(name, _buffer.AsSpan(pos + 1));
        _buffer[pos + 1 + written] = 0;
        _typeOffset = pos;
        _pos = pos + written + 2;
    }

    /// <summary>Writes the UTF-8 name of the next element of the current document.</summary>
    /// <exception cref="BsonException">Not inside a document, a name is already pending, or the name contains NUL or is not valid UTF-8.</exception>
    public void WriteName(ReadOnlySpan<byte> utf8Name)
    {
        CheckCanWriteName();
        if (utf8Name.IndexOf((byte)0) >= 0 || !System.Text.Unicode.Utf8.IsValid(utf8Name))
        {
            ThrowInvalidName(Encoding.UTF8.GetString(utf8Name));
        }

        EnsureCapacity(utf8Name.Length + 2);
        int pos = _pos;
        utf8Name.CopyTo(_buffer.AsSpan(pos + 1));
        _buffer[pos + 1 + utf8Name.Length] = 0;
        _typeOffset = pos;
        _pos = pos + utf8Name.Length + 2;
    }

    /// <summary>
    /// Writes a UTF-8 name that is already known to be valid (an object model's element names are checked once when the
    /// model is built), so the per-element hot path skips the UTF-8 scan.
    /// </summary>
    internal void WriteTrustedName(ReadOnlySpan<byte> utf8Name)
    {
        CheckCanWriteName();
        EnsureCapacity(utf8Name.Length + 2);
        int pos = _pos;
        utf8Name.CopyTo(_buffer.AsSpan(pos + 1));
        _buffer[pos + 1 + utf8Name.Length] = 0;
        _typeOffset = pos;
        _pos = pos + utf8Name.Length + 2;
    }

    private void CheckCanWriteName()
    {
        if (_depth == 0 || _inArray || _typeOffset >= 0)
        {
            ThrowMisuse(_depth == 0
                ? "WriteName needs an open document; call WriteStartDocument first."
                : _inArray
                    ? "Array items have no names; write the value directly."
                    : "A name has already been written; write its value first.");
        }
    }

    /// <summary>
    /// Writes the type byte and the element name (pending name or the next array index) and makes room for
    /// <paramref name="valueSize"/> value bytes.
    /// </summary>
    /// <returns>The offset where the value goes.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int BeginValue(BsonType type, int valueSize)
    {
        int typeOffset = _typeOffset;
        if (typeOffset >= 0 && _buffer.Length - _pos >= valueSize)
        {
            _buffer[typeOffset] = (byte)type;
            _typeOffset = -1;
            return _pos;
        }

        return BeginValueSlow(type, valueSize);
    }

    private int BeginValueSlow(BsonType type, int valueSize)
    {
        if (_typeOffset >= 0)
        {
            EnsureCapacity(valueSize);
            _buffer[_typeOffset] = (byte)type;
            _typeOffset = -1;
            return _pos;
        }

        if (!_inArray)
        {
            ThrowMisuse(_depth == 0
                ? $"A {type} value needs an open document; a BSON top-level value must be a document."
                : $"A {type} value needs a name; call WriteName first.");
        }

        EnsureCapacity(valueSize + 12);
        int pos = _pos;
        byte[] buffer = _buffer;
        buffer[pos++] = (byte)type;
        int index = _arrayIndex++;
        if ((uint)index < 1000)
        {
            Unsafe.WriteUnaligned(ref buffer[pos], s_indexNames[index]);
            pos += index < 10 ? 2 : index < 100 ? 3 : 4;
        }
        else
        {
            Utf8Formatter.TryFormat(index, buffer.AsSpan(pos), out int written);
            buffer[pos + written] = 0;
            pos += written + 1;
        }

        _pos = pos;
        return pos;
    }

    private void PushContainer(int lengthOffset, bool isArray)
    {
        if (_depth >= _frames.Length)
        {
            Array.Resize(ref _frames, _frames.Length * 2);
        }

        _frames[_depth] = new Frame(_containerStart, _inArray, _arrayIndex);
        _depth++;
        _containerStart = lengthOffset;
        _inArray = isArray;
        _arrayIndex = 0;
        _pos = lengthOffset + 4;
    }

    private void EndContainer()
    {
        EnsureCapacity(1);
        _buffer[_pos++] = 0;
        int length = _pos - _containerStart;
        BinaryPrimitives.WriteInt32LittleEndian(_buffer.AsSpan(_containerStart), length);
        _depth--;
        if (_depth == 0)
        {
            CompleteTopLevel(length);
            return;
        }

        Frame frame = _frames[_depth];
        _containerStart = frame.Start;
        _inArray = frame.InArray;
        _arrayIndex = frame.ArrayIndex;
    }

    private void CompleteTopLevel(int length)
    {
        _inArray = false;
        if (length > _maxDocumentSize)
        {
            ThrowTooLarge(length);
        }

        if (_output is not null)
        {
            _output.Write(_buffer.AsSpan(0, _pos));
            _flushed += _pos;
            _pos = 0;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void EnsureCapacity(int size)
    {
        if (_buffer.Length - _pos < size)
        {
            Grow(size);
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void Grow(int size)
    {
        if (_buffer.Length == 0)
        {
            ThrowMisuse("The writer has been disposed.");
        }

        if (_depth > 0 && _pos - _documentStart > _maxDocumentSize)
        {
            ThrowTooLarge(_pos - _documentStart);
        }

        int newSize = (int)Math.Min(Array.MaxLength, Math.Max((long)_buffer.Length * 2, (long)_pos + size));
        if (newSize - _pos < size)
        {
            ThrowTooLarge((long)_pos + size);
        }

        byte[] bigger = ArrayPool<byte>.Shared.Rent(newSize);
        _buffer.AsSpan(0, _pos).CopyTo(bigger);
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = bigger;
    }

    private byte[] OwnBuffer()
    {
        if (_output is not null)
        {
            ThrowMisuse("This writer copies its documents to an IBufferWriter; read them there.");
        }

        return _buffer;
    }

    private static int EncodeStrict(ReadOnlySpan<char> text, Span<byte> destination)
    {
        try
        {
            return Utf8Util.Strict.GetBytes(text, destination);
        }
        catch (EncoderFallbackException ex)
        {
            throw new BsonException($"The string contains invalid UTF-16 (a lone surrogate at index {ex.Index}).");
        }
    }

    private static uint[] CreateIndexNames()
    {
        var names = new uint[1000];
        Span<byte> bytes = stackalloc byte[4];
        for (int i = 0; i < names.Length; i++)
        {
            bytes.Clear();
            Utf8Formatter.TryFormat(i, bytes, out _);
            names[i] = MemoryMarshal.Read<uint>(bytes);
        }

        return names;
    }

    [DoesNotReturn]
    private static void ThrowMisuse(string message) => throw BsonErrors.Misuse(message);

    [DoesNotReturn]
    private void ThrowBadEnd(string method) =>
        throw BsonErrors.Misuse(_depth == 0
            ? $"{method}: no document or array is open."
            : _typeOffset >= 0
                ? $"{method}: a name was written without a value."
                : _inArray
                    ? $"{method}: the innermost open container is an array; call WriteEndArray."
                    : $"{method}: the innermost open container is a document; call WriteEndDocument.");

    [DoesNotReturn]
    private static void ThrowInvalidName(string name) =>
        throw BsonErrors.Misuse($"Element name '{name.Replace("\0", "\\0", StringComparison.Ordinal)}' contains a NUL character or invalid UTF-8; BSON names are NUL-terminated.");

    [DoesNotReturn]
    private void ThrowTooLarge(long size) =>
        throw BsonErrors.Size($"Document size {size} exceeds the maximum of {_maxDocumentSize} bytes.", _flushed + _documentStart);

    private readonly record struct Frame(int Start, bool InArray, int ArrayIndex);
}
