using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Mongo.Bson.Internal;

/// <summary>
/// Materialisation of lazy containers. Their bytes were validated in full when they were decoded and are private
/// and immutable, so this walks them by their lengths without checking anything again.
/// </summary>
internal static partial class BsonDecoder
{
    /// <summary>
    /// How many elements (or items) a level collects on the stack before it spills to the per-thread scratch: most
    /// levels are this small, and they then cost neither a thread-static lookup nor writes into long-lived arrays.
    /// </summary>
    private const int StackLimit = 8;

    /// <summary>The elements of the validated document at <paramref name="offset"/> in <paramref name="raw"/>.</summary>
    public static BsonElement[] ReadDocumentLevel(byte[] raw, int offset) => TrustedElements(raw, offset);

    /// <summary>The items of the validated array at <paramref name="offset"/> in <paramref name="raw"/>.</summary>
    public static BsonValue[] ReadArrayLevel(byte[] raw, int offset) => TrustedItems(raw, offset);

    private static BsonElement[] TrustedElements(byte[] raw, int offset)
    {
        int end = offset + ReadInt32(raw, offset) - 1;
        int pos = offset + 4;
        ElementBuffer buffer = default;
        int count = 0;
        while (pos < end)
        {
            if (count == StackLimit)
            {
                return TrustedElementsSpill(raw, pos, end, buffer);
            }

            buffer[count++] = TrustedElement(raw, ref pos, end);
        }

        return count == 0 ? [] : ((ReadOnlySpan<BsonElement>)buffer)[..count].ToArray();
    }

    /// <summary>The rest of a level with more than <see cref="StackLimit"/> elements, collected in the scratch.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static BsonElement[] TrustedElementsSpill(byte[] raw, int pos, int end, ReadOnlySpan<BsonElement> first)
    {
        Scratch scratch = t_scratch ??= new Scratch();
        int start = scratch.ElementTop;
        int top = start;
        try
        {
            foreach (BsonElement element in first)
            {
                scratch.Push(top++, element);
            }

            while (pos < end)
            {
                // Nested levels that spill use the scratch above ours.
                scratch.ElementTop = top;
                BsonElement element = TrustedElement(raw, ref pos, end);
                scratch.Push(top++, element);
            }

            return scratch.Elements.AsSpan(start, top - start).ToArray();
        }
        finally
        {
            // Drop references so the scratch space does not keep decoded values alive.
            scratch.Elements.AsSpan(start, top - start).Clear();
            scratch.ElementTop = start;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static BsonElement TrustedElement(byte[] raw, ref int pos, int end)
    {
        var type = (BsonType)raw[pos];
        int nameStart = pos + 1;
        int nameLength = NameLength(raw, nameStart, end);
        string name = NameCache.Get(raw.AsSpan(nameStart, nameLength));
        pos = nameStart + nameLength + 1;
        return new BsonElement(name, TrustedValue(raw, ref pos, type));
    }

    private static BsonValue[] TrustedItems(byte[] raw, int offset)
    {
        int end = offset + ReadInt32(raw, offset) - 1;
        int pos = offset + 4;
        ValueBuffer buffer = default;
        int count = 0;
        while (pos < end)
        {
            if (count == StackLimit)
            {
                return TrustedItemsSpill(raw, pos, end, buffer);
            }

            buffer[count++] = TrustedItem(raw, ref pos, end);
        }

        return count == 0 ? [] : ((ReadOnlySpan<BsonValue>)buffer)[..count].ToArray();
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static BsonValue[] TrustedItemsSpill(byte[] raw, int pos, int end, ReadOnlySpan<BsonValue> first)
    {
        Scratch scratch = t_scratch ??= new Scratch();
        int start = scratch.ValueTop;
        int top = start;
        try
        {
            foreach (BsonValue value in first)
            {
                scratch.Push(top++, value);
            }

            while (pos < end)
            {
                scratch.ValueTop = top;
                BsonValue value = TrustedItem(raw, ref pos, end);
                scratch.Push(top++, value);
            }

            return scratch.Values.AsSpan(start, top - start).ToArray();
        }
        finally
        {
            scratch.Values.AsSpan(start, top - start).Clear();
            scratch.ValueTop = start;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static BsonValue TrustedItem(byte[] raw, ref int pos, int end)
    {
        // Array keys are not kept: the DOM numbers items by position.
        var type = (BsonType)raw[pos];
        pos += NameLength(raw, pos + 1, end) + 2;
        return TrustedValue(raw, ref pos, type);
    }

    /// <summary>The value at <paramref name="pos"/>, which moves past it. Large containers become lazy views.</summary>
    private static BsonValue TrustedValue(byte[] raw, ref int pos, BsonType type)
    {
        int at = pos;
        switch (type)
        {
            case BsonType.String:
                // The commonest value first: length prefix, content, NUL.
                int length = ReadInt32(raw, at);
                pos = at + 4 + length;
                return length == 1 ? BsonString.Empty : new BsonString(raw, at + 4, length - 1);
            case BsonType.Document:
                int size = ReadInt32(raw, at);
                pos = at + size;
                return size > EagerLimit ? new BsonDocument(raw, at) : new BsonDocument(TrustedElements(raw, at));
            case BsonType.Array:
                size = ReadInt32(raw, at);
                pos = at + size;
                return size > EagerLimit ? new BsonArray(raw, at) : new BsonArray(TrustedItems(raw, at));
            case BsonType.Int32:
                pos = at + 4;
                return BsonInt32.Create(ReadInt32(raw, at));
            case BsonType.Boolean:
                pos = at + 1;
                return raw[at] != 0 ? BsonBoolean.True : BsonBoolean.False;
            case BsonType.JavaScriptWithScope:
                // Total length, code string, scope document.
                pos = at + ReadInt32(raw, at);
                int codeLength = ReadInt32(raw, at + 4);
                int scopeOffset = at + 8 + codeLength;
                BsonDocument scope = ReadInt32(raw, scopeOffset) > EagerLimit
                    ? new BsonDocument(raw, scopeOffset)
                    : new BsonDocument(TrustedElements(raw, scopeOffset));
                return new BsonJavaScriptWithScope(Utf8Util.GetString(raw.AsSpan(at + 8, codeLength - 1)), scope);
            default:
                size = ScalarSize(raw, at, type);
                pos = at + size;
                return CreateScalar(type, raw.AsSpan(at, size), ascii: false);
        }
    }

    /// <summary>The length of the (terminated) name at <paramref name="start"/>: short ASCII names, the usual ones, by two word reads.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int NameLength(byte[] raw, int start, int end)
    {
        int length = end - start >= 16 ? BsonReader.ShortAsciiNameLength(raw, start) : -1;
        return length >= 0 ? length : raw.AsSpan(start, end - start).IndexOf((byte)0);
    }

    /// <summary>A little-endian int32 of validated bytes (the walk never reads past a length it has checked).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int ReadInt32(byte[] raw, int offset)
    {
        int value = Unsafe.ReadUnaligned<int>(ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(raw), offset));
        return BitConverter.IsLittleEndian ? value : BinaryPrimitives.ReverseEndianness(value);
    }

    private static int ScalarSize(byte[] raw, int pos, BsonType type)
    {
        switch (type)
        {
            case BsonType.Double:
            case BsonType.Int64:
            case BsonType.DateTime:
            case BsonType.Timestamp:
                return 8;
            case BsonType.Int32:
                return 4;
            case BsonType.Boolean:
                return 1;
            case BsonType.ObjectId:
                return 12;
            case BsonType.Decimal128:
                return 16;
            case BsonType.Null:
            case BsonType.Undefined:
            case BsonType.MinKey:
            case BsonType.MaxKey:
                return 0;
            case BsonType.String:
            case BsonType.JavaScript:
            case BsonType.Symbol:
                return 4 + BinaryPrimitives.ReadInt32LittleEndian(raw.AsSpan(pos));
            case BsonType.Binary:
                return 5 + BinaryPrimitives.ReadInt32LittleEndian(raw.AsSpan(pos));
            case BsonType.DBPointer:
                return 4 + BinaryPrimitives.ReadInt32LittleEndian(raw.AsSpan(pos)) + 12;
            case BsonType.RegularExpression:
                // Two C strings: pattern and options.
                int pattern = raw.AsSpan(pos).IndexOf((byte)0) + 1;
                return pattern + raw.AsSpan(pos + pattern).IndexOf((byte)0) + 1;
            default:
                throw BsonErrors.Misuse($"Unexpected element type {type} in validated bytes.");
        }
    }

    /// <summary>Stack room for the elements of a small level.</summary>
    [InlineArray(StackLimit)]
    private struct ElementBuffer
    {
        private BsonElement _first;
    }

    /// <summary>Stack room for the items of a small array.</summary>
    [InlineArray(StackLimit)]
    private struct ValueBuffer
    {
        private BsonValue _first;
    }
}
