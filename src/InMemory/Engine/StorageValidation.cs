using System.Buffers.Binary;
using Mongo.Bson;

namespace Mongo.InMemory.Engine;

/// <summary>
/// mongod's checks of a document about to be stored that look inside it: the nesting limit for user documents and
/// the top-level empty timestamps an insert fills in. An unmaterialised (just received) document is read from its
/// bytes, so checking it does not decode it.
/// </summary>
internal static class StorageValidation
{
    /// <summary>
    /// mongod's limit for stored documents: maxBSONDepth (200) less the 20 levels it keeps for its own wrapping
    /// (replies, oplog entries, change events).
    /// </summary>
    public const int MaxUserDepth = 180;

    /// <summary>Refuses a document nested deeper than <see cref="MaxUserDepth"/> as insert does (Overflow, 15).</summary>
    public static void CheckInsertDepth(BsonDocument doc)
    {
        if (ExceedsDepth(doc))
            throw Errors.Overflow("cannot insert document because it exceeds " + MaxUserDepth + " levels of nesting");
    }

    /// <summary>Refuses an update's result nested deeper than <see cref="MaxUserDepth"/> (Overflow, 15).</summary>
    public static void CheckUpdateDepth(BsonDocument doc)
    {
        if (ExceedsDepth(doc))
            throw Errors.Overflow("Document exceeds maximum nesting depth of " + MaxUserDepth);
    }

    /// <summary>
    /// True when the document nests more than <see cref="MaxUserDepth"/> levels (the top level counts as one; an empty
    /// document or array at the bottom does not count, as in mongod).
    /// </summary>
    public static bool ExceedsDepth(BsonDocument doc)
    {
        var raw = doc.UnmaterializedBytes;
        return raw.IsEmpty ? ExceedsDepth(doc, 1) : ExceedsDepth(raw, 1);
    }

    private static bool ExceedsDepth(BsonValue value, int depth)
    {
        switch (value)
        {
            case BsonDocument d:
                {
                    var raw = d.UnmaterializedBytes;
                    if (!raw.IsEmpty) return ExceedsDepth(raw, depth);
                    foreach (var (_, child) in d)
                        if (IsNonEmptyContainer(child) && (depth == MaxUserDepth || ExceedsDepth(child, depth + 1))) return true;
                    return false;
                }
            case BsonArray a:
                foreach (var child in a)
                    if (IsNonEmptyContainer(child) && (depth == MaxUserDepth || ExceedsDepth(child, depth + 1))) return true;
                return false;
            default:
                return false;
        }
    }

    private static bool IsNonEmptyContainer(BsonValue v) => v switch
    {
        BsonDocument d => d.UnmaterializedBytes is { IsEmpty: false } raw ? raw.Length > 5 : d.ElementCount > 0,
        BsonArray a => a.Count > 0,
        _ => false,
    };

    /// <summary>Walks encoded (already validated) document bytes; <paramref name="depth"/> is this document's level.</summary>
    private static bool ExceedsDepth(ReadOnlySpan<byte> document, int depth)
    {
        var pos = 4;
        while (pos < document.Length - 1)
        {
            var type = document[pos++];
            pos += document[pos..].IndexOf((byte)0) + 1;
            if (type is 0x03 or 0x04)
            {
                var length = BinaryPrimitives.ReadInt32LittleEndian(document[pos..]);
                if (length > 5 && (depth == MaxUserDepth || ExceedsDepth(document.Slice(pos, length), depth + 1))) return true;
                pos += length;
            }
            else pos += ValueLength(type, document[pos..]);
        }
        return false;
    }

    /// <summary>The encoded length of a non-container value of BSON <paramref name="type"/> starting at <paramref name="value"/>.</summary>
    private static int ValueLength(byte type, ReadOnlySpan<byte> value) => type switch
    {
        0x01 or 0x09 or 0x11 or 0x12 => 8,
        0x02 or 0x0D or 0x0E => 4 + BinaryPrimitives.ReadInt32LittleEndian(value),
        0x05 => 5 + BinaryPrimitives.ReadInt32LittleEndian(value),
        0x06 or 0x0A or 0x7F or 0xFF => 0,
        0x07 => 12,
        0x08 => 1,
        0x0B => RegexLength(value),
        0x0C => 4 + BinaryPrimitives.ReadInt32LittleEndian(value) + 12,
        0x0F => BinaryPrimitives.ReadInt32LittleEndian(value),
        0x10 => 4,
        0x13 => 16,
        _ => throw new InvalidOperationException("unexpected BSON type " + type + " in a validated document"),
    };

    private static int RegexLength(ReadOnlySpan<byte> value)
    {
        var pattern = value.IndexOf((byte)0) + 1;
        return pattern + value[pattern..].IndexOf((byte)0) + 1;
    }

    /// <summary>
    /// Replaces every top-level <c>Timestamp(0, 0)</c> except <c>_id</c>'s with a fresh cluster time, as mongod's
    /// insert does (each one ticks the clock). A document without one is left untouched (and undecoded).
    /// </summary>
    public static void FillEmptyTimestamps(BsonDocument doc, Func<BsonTimestamp> next)
    {
        var raw = doc.UnmaterializedBytes;
        if (!raw.IsEmpty && !HasTopLevelEmptyTimestamp(raw)) return;
        for (var i = 0; i < doc.ElementCount; i++)
        {
            var e = doc.GetElement(i);
            if (e.Value is BsonTimestamp { Value: 0 } && e.Name != "_id") doc[i] = next();
        }
    }

    private static bool HasTopLevelEmptyTimestamp(ReadOnlySpan<byte> document)
    {
        var pos = 4;
        while (pos < document.Length - 1)
        {
            var type = document[pos++];
            pos += document[pos..].IndexOf((byte)0) + 1;
            if (type == 0x11 && BinaryPrimitives.ReadUInt64LittleEndian(document[pos..]) == 0) return true;
            pos += type is 0x03 or 0x04 ? BinaryPrimitives.ReadInt32LittleEndian(document[pos..]) : ValueLength(type, document[pos..]);
        }
        return false;
    }
}
