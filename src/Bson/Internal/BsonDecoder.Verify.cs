using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Unicode;

namespace Mongo.Bson.Internal;

/// <summary>
/// A fast check of a large container before it is kept lazy: one recursive pass over its bytes with exactly the
/// rules <see cref="BsonReader.Read"/> applies, but no tokens, frames or paths. It only answers yes or no; on no,
/// the caller runs the reader's pass, which finds the same fault and reports where it is.
/// </summary>
internal static partial class BsonDecoder
{
    /// <summary>
    /// Whether the container (whose length prefix and terminator the reader has checked) is valid BSON at nesting
    /// depth <paramref name="depth"/> of at most <paramref name="maxDepth"/>; <paramref name="canonical"/> turns false
    /// when an array key is not its index or regex options are unsorted (see <see cref="ValidateLevel"/>).
    /// <paramref name="count"/> is the number of elements (or items) of this level, which a lazy container keeps so
    /// that materialising it can fill an exactly sized array.
    /// </summary>
    private static bool TryVerify(ReadOnlySpan<byte> container, bool isArray, int depth, int maxDepth, ref bool canonical, out int count)
    {
        int end = container.Length - 1;
        int pos = 4;
        int index = 0;
        count = 0;
        while (pos < end)
        {
            byte type = container[pos];
            int nameStart = pos + 1;
            int nameLength = end - nameStart >= 16 ? BsonReader.ShortAsciiNameLength(container, nameStart) : -1;
            if (type == 0 || (nameLength < 0 && (nameLength = VerifyName(container[nameStart..end])) < 0))
            {
                return false;
            }

            if (isArray && !IsIndexName(container.Slice(nameStart, nameLength), index))
            {
                canonical = false;
            }

            index++;

            int valueStart = nameStart + nameLength + 1;
            int available = end - valueStart;
            int size = VerifyValue(container, type, valueStart, available, depth, maxDepth, ref canonical);
            if (size < 0 || size > available)
            {
                return false;
            }

            pos = valueStart + size;
        }

        count = index;
        return true;
    }

    /// <summary>The length of a valid name at the start of <paramref name="rest"/> (a long or non-ASCII one), or -1.</summary>
    private static int VerifyName(ReadOnlySpan<byte> rest)
    {
        int length = rest.IndexOf((byte)0);
        return length >= 0 && (Ascii.IsValid(rest[..length]) || Utf8.IsValid(rest[..length])) ? length : -1;
    }

    /// <summary>The size of a valid value, or -1.</summary>
    private static int VerifyValue(ReadOnlySpan<byte> buffer, byte type, int start, int available, int depth, int maxDepth, ref bool canonical)
    {
        switch ((BsonType)type)
        {
            case BsonType.Int32:
                return 4;
            case BsonType.Double:
            case BsonType.Int64:
            case BsonType.DateTime:
            case BsonType.Timestamp:
                return 8;
            case BsonType.String:
            case BsonType.JavaScript:
            case BsonType.Symbol:
                return VerifyString(buffer, start, available);
            case BsonType.Boolean:
                return available >= 1 && buffer[start] > 1 ? -1 : 1;
            case BsonType.Null:
            case BsonType.Undefined:
            case BsonType.MinKey:
            case BsonType.MaxKey:
                return 0;
            case BsonType.ObjectId:
                return 12;
            case BsonType.Decimal128:
                return 16;
            case BsonType.Document:
            case BsonType.Array:
                return VerifyContainer(buffer, start, available, type == (byte)BsonType.Array, depth, maxDepth, ref canonical);
            case BsonType.Binary:
                return VerifyBinary(buffer, start, available);
            case BsonType.RegularExpression:
                return VerifyRegularExpression(buffer, start, available, ref canonical);
            case BsonType.DBPointer:
                int size = VerifyString(buffer, start, available);
                return size < 0 ? -1 : size + 12;
            case BsonType.JavaScriptWithScope:
                return VerifyCodeWithScope(buffer, start, available, depth, maxDepth, ref canonical);
            default:
                return -1;
        }
    }

    private static int VerifyContainer(ReadOnlySpan<byte> buffer, int start, int available, bool isArray, int depth, int maxDepth, ref bool canonical)
    {
        if (available < 5)
        {
            return -1;
        }

        int length = BinaryPrimitives.ReadInt32LittleEndian(buffer[start..]);
        if (length < 5 || length > available || buffer[start + length - 1] != 0 || depth >= maxDepth)
        {
            return -1;
        }

        return TryVerify(buffer.Slice(start, length), isArray, depth + 1, maxDepth, ref canonical, out _) ? length : -1;
    }

    private static int VerifyString(ReadOnlySpan<byte> buffer, int start, int available)
    {
        if (available < 5)
        {
            return -1;
        }

        int length = BinaryPrimitives.ReadInt32LittleEndian(buffer[start..]);
        if (length < 1 || length > available - 4 || buffer[start + 4 + length - 1] != 0)
        {
            return -1;
        }

        ReadOnlySpan<byte> content = buffer.Slice(start + 4, length - 1);
        return IsShortAscii(content) || Ascii.IsValid(content) || Utf8.IsValid(content) ? 4 + length : -1;
    }

    /// <summary>
    /// Whether 4 to 16 bytes are all ASCII, by two overlapping word reads: short strings are common, and for them
    /// the checks above cost more in calling than in checking. False says nothing (the full checks then decide).
    /// </summary>
    private static bool IsShortAscii(ReadOnlySpan<byte> content)
    {
        ref byte start = ref MemoryMarshal.GetReference(content);
        int length = content.Length;
        if ((uint)(length - 8) <= 8)
        {
            ulong words = Unsafe.ReadUnaligned<ulong>(ref start) | Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref start, length - 8));
            return (words & 0x8080808080808080UL) == 0;
        }

        if ((uint)(length - 4) <= 3)
        {
            uint words = Unsafe.ReadUnaligned<uint>(ref start) | Unsafe.ReadUnaligned<uint>(ref Unsafe.Add(ref start, length - 4));
            return (words & 0x80808080U) == 0;
        }

        return false;
    }

    private static int VerifyBinary(ReadOnlySpan<byte> buffer, int start, int available)
    {
        if (available < 5)
        {
            return -1;
        }

        int length = BinaryPrimitives.ReadInt32LittleEndian(buffer[start..]);
        if (length < 0 || length > available - 5)
        {
            return -1;
        }

        // The old binary subtype repeats the length inside the payload.
        if (buffer[start + 4] == (byte)BsonBinarySubType.OldBinary
            && (length < 4 || BinaryPrimitives.ReadInt32LittleEndian(buffer[(start + 5)..]) != length - 4))
        {
            return -1;
        }

        return 5 + length;
    }

    private static int VerifyRegularExpression(ReadOnlySpan<byte> buffer, int start, int available, ref bool canonical)
    {
        int patternLength = available <= 0 ? -1 : buffer.Slice(start, available).IndexOf((byte)0);
        if (patternLength < 0)
        {
            return -1;
        }

        int optionsStart = start + patternLength + 1;
        int optionsLength = buffer.Slice(optionsStart, available - patternLength - 1).IndexOf((byte)0);
        if (optionsLength < 0
            || !Utf8.IsValid(buffer.Slice(start, patternLength))
            || !Utf8.IsValid(buffer.Slice(optionsStart, optionsLength)))
        {
            return -1;
        }

        int size = patternLength + optionsLength + 2;
        if (!HasSortedOptions(buffer.Slice(start, size)))
        {
            canonical = false;
        }

        return size;
    }

    private static int VerifyCodeWithScope(ReadOnlySpan<byte> buffer, int start, int available, int depth, int maxDepth, ref bool canonical)
    {
        // Total length (4), code string (4 + at least 1), scope document (at least 5).
        if (available < 14)
        {
            return -1;
        }

        int total = BinaryPrimitives.ReadInt32LittleEndian(buffer[start..]);
        if (total < 14 || total > available)
        {
            return -1;
        }

        int stringSize = VerifyString(buffer, start + 4, total - 4);
        if (stringSize < 0)
        {
            return -1;
        }

        // The scope must fill the rest exactly and is one level deeper, as the reader's scope reader sees it.
        int scopeStart = start + 4 + stringSize;
        int scopeAvailable = total - 4 - stringSize;
        if (scopeAvailable < 5 || BinaryPrimitives.ReadInt32LittleEndian(buffer[scopeStart..]) != scopeAvailable)
        {
            return -1;
        }

        return VerifyContainer(buffer, scopeStart, scopeAvailable, isArray: false, depth, maxDepth, ref canonical) < 0 ? -1 : total;
    }
}
