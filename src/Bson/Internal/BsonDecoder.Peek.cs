using System.Buffers.Binary;
using System.Text.Unicode;

namespace Mongo.Bson.Internal;

/// <summary>What a look at the first elements of a lazy document found.</summary>
internal enum PeekResult
{
    /// <summary>The document has no element of that name (it was short enough to look at in full).</summary>
    Absent,

    /// <summary>The element is among the first ones; a scalar value was created for it.</summary>
    FoundScalar,

    /// <summary>The element is among the first ones but holds a container (callers materialise to keep its identity).</summary>
    FoundContainer,

    /// <summary>The name was not among the elements looked at, or cannot be compared as bytes: materialise instead.</summary>
    Unknown,
}

/// <summary>Lookups by name in lazy documents that do not materialise them.</summary>
internal static partial class BsonDecoder
{
    /// <summary>
    /// How many leading elements a lookup on a lazy document reads before it materialises the level instead: the
    /// fields looked up most ("_id", a command's name) come first, and a bounded peek can never cost more than a
    /// small fraction of the materialisation it avoids, however often it is repeated.
    /// </summary>
    internal const int PeekLimit = 16;

    /// <summary>Looks for the first element named <paramref name="name"/> among the first <see cref="PeekLimit"/> elements.</summary>
    /// <param name="raw">Validated bytes.</param>
    /// <param name="offset">Where the document starts in <paramref name="raw"/>.</param>
    /// <param name="name">The element name.</param>
    /// <param name="index">The element's position when found.</param>
    /// <param name="scalar">The element's value when it is a scalar.</param>
    public static PeekResult Peek(byte[] raw, int offset, string name, out int index, out BsonValue? scalar)
    {
        index = -1;
        scalar = null;

        // Names are compared as UTF-8; one that is too long for the stack buffer, or is not valid UTF-16 (and so
        // can only be compared as a string), is left to the materialised lookup.
        Span<byte> utf8 = stackalloc byte[128];
        if (name.Length > utf8.Length / 3
            || Utf8.FromUtf16(name, utf8, out _, out int nameBytes, replaceInvalidSequences: false) != System.Buffers.OperationStatus.Done)
        {
            return PeekResult.Unknown;
        }

        ReadOnlySpan<byte> wanted = utf8[..nameBytes];
        int end = offset + BinaryPrimitives.ReadInt32LittleEndian(raw.AsSpan(offset)) - 1;
        int pos = offset + 4;
        for (int i = 0; pos < end; i++)
        {
            if (i == PeekLimit)
            {
                return PeekResult.Unknown;
            }

            var type = (BsonType)raw[pos];
            int nameStart = pos + 1;
            int nameLength = raw.AsSpan(nameStart, end - nameStart).IndexOf((byte)0);
            pos = nameStart + nameLength + 1;
            int size = type is BsonType.Document or BsonType.Array or BsonType.JavaScriptWithScope
                ? BinaryPrimitives.ReadInt32LittleEndian(raw.AsSpan(pos))
                : ScalarSize(raw, pos, type);
            if (raw.AsSpan(nameStart, nameLength).SequenceEqual(wanted))
            {
                index = i;
                if (type is BsonType.Document or BsonType.Array or BsonType.JavaScriptWithScope)
                {
                    return PeekResult.FoundContainer;
                }

                scalar = CreateScalar(type, raw.AsSpan(pos, size), ascii: false);
                return PeekResult.FoundScalar;
            }

            pos += size;
        }

        return PeekResult.Absent;
    }
}
