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

    /// <summary>
    /// The elements of the validated document at <paramref name="offset"/> in <paramref name="raw"/>, which has
    /// <paramref name="count"/> elements (0: not known).
    /// </summary>
    public static BsonElement[] ReadDocumentLevel(byte[] raw, int offset, int count) =>
        count > StackLimit ? TrustedElementsCounted(raw, offset, count) : TrustedElements(raw, offset);

    /// <summary>The items of the validated array at <paramref name="offset"/> in <paramref name="raw"/> (see <see cref="ReadDocumentLevel"/>).</summary>
    public static BsonValue[] ReadArrayLevel(byte[] raw, int offset, int count) =>
        count > StackLimit ? TrustedItemsCounted(raw, offset, count) : TrustedItems(raw, offset);

    /// <summary>
    /// A large level whose count the validating pass found: filled straight into its final array, with no
    /// collecting on the side, no copy and no clearing afterwards.
    /// </summary>
    private static BsonElement[] TrustedElementsCounted(byte[] raw, int offset, int count)
    {
        int end = offset + ReadInt32(raw, offset) - 1;
        int pos = offset + 4;
        var elements = new BsonElement[count];
        for (int i = 0; i < elements.Length; i++)
        {
            elements[i] = TrustedElement(raw, ref pos, end);
        }

        return pos == end ? elements : throw BsonErrors.Misuse("A lazy document's element count does not match its bytes.");
    }

    /// <summary>The items of a large array whose count is known (see <see cref="TrustedElementsCounted"/>).</summary>
    private static BsonValue[] TrustedItemsCounted(byte[] raw, int offset, int count)
    {
        int end = offset + ReadInt32(raw, offset) - 1;
        int pos = offset + 4;
        var items = new BsonValue[count];
        ref BsonValue item = ref MemoryMarshal.GetArrayDataReference(items);
        for (int i = 0; i < items.Length; i++)
        {
            // Through a reference: the array is exactly BsonValue[], so the covariance check a store does is moot.
            Unsafe.Add(ref item, i) = TrustedItem(raw, ref pos, end);
        }

        return pos == end ? items : throw BsonErrors.Misuse("A lazy array's item count does not match its bytes.");
    }

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

    /// <summary>
    /// A level with more than <see cref="StackLimit"/> elements: the rest is counted by a skip over their lengths, so
    /// that everything goes straight into an exactly sized array (no scratch, no second copy, no clearing afterwards).
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static BsonElement[] TrustedElementsSpill(byte[] raw, int pos, int end, ReadOnlySpan<BsonElement> first)
    {
        var elements = new BsonElement[first.Length + CountLevel(raw, pos, end)];
        first.CopyTo(elements);
        for (int i = first.Length; i < elements.Length; i++)
        {
            elements[i] = TrustedElement(raw, ref pos, end);
        }

        return elements;
    }

    /// <summary>The number of elements (or items) from <paramref name="pos"/> to the level's end, read from their lengths alone.</summary>
    private static int CountLevel(byte[] raw, int pos, int end)
    {
        int count = 0;
        while (pos < end)
        {
            var type = (BsonType)raw[pos];
            pos += NameLength(raw, pos + 1, end) + 2;
            pos += type is BsonType.Document or BsonType.Array or BsonType.JavaScriptWithScope
                ? ReadInt32(raw, pos)
                : ScalarSize(raw, pos, type);
            count++;
        }

        return count;
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

    /// <summary>The items of an array with more than <see cref="StackLimit"/> items (see <see cref="TrustedElementsSpill"/>).</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static BsonValue[] TrustedItemsSpill(byte[] raw, int pos, int end, ReadOnlySpan<BsonValue> first)
    {
        var items = new BsonValue[first.Length + CountLevel(raw, pos, end)];
        first.CopyTo(items);
        ref BsonValue item = ref MemoryMarshal.GetArrayDataReference(items);
        for (int i = first.Length; i < items.Length; i++)
        {
            // Through a reference: the array is exactly BsonValue[], so the covariance check a store does is moot.
            Unsafe.Add(ref item, i) = TrustedItem(raw, ref pos, end);
        }

        return items;
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
                return new BsonJavaScriptWithScope(raw, at + 8, codeLength - 1, scope);
            case BsonType.Binary:
                // Length, subtype, bytes (the old subtype repeats the length): kept in the buffer until read.
                int binaryLength = ReadInt32(raw, at);
                pos = at + 5 + binaryLength;
                var subType = (BsonBinarySubType)raw[at + 4];
                return subType == BsonBinarySubType.OldBinary
                    ? new BsonBinaryData(raw, at + 9, binaryLength - 4, subType)
                    : new BsonBinaryData(raw, at + 5, binaryLength, subType);
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
