using System.Runtime.CompilerServices;
using Mongo.Bson;

namespace Mongo.InMemory.Engine;

/// <summary>
/// Private copies of stored documents for query results, made from their encoded bytes. A stored document arrives
/// encoded and stays so until a filter, sort or index reads its fields; after that a plain <c>DeepClone</c> would copy
/// its whole object graph on every find and the reply would encode it again. Instead its bytes are encoded once and
/// kept beside it, and each result is a still-encoded document over them, which the reply copies as it is.
/// </summary>
/// <remarks>
/// This relies on what transaction snapshots already rely on: a stored document is never changed in place. An
/// update replaces it with a changed copy (<see cref="CollectionData.Replace"/>), so new content is a new object,
/// with no bytes kept until it is read; the kept bytes of the old one go when it is collected. Keyed by identity.
/// </remarks>
internal static class StoredDocumentBytes
{
    private static readonly ConditionalWeakTable<BsonDocument, byte[]> s_bytes = new();

    /// <summary>A copy of <paramref name="stored"/> that nothing else holds, sharing its (immutable) encoded bytes.</summary>
    public static BsonDocument ResultCopy(BsonDocument stored)
    {
        if (!stored.UnmaterializedBytes.IsEmpty)
        {
            // Still encoded: the clone shares the bytes.
            return (BsonDocument)stored.DeepClone();
        }

        if (!s_bytes.TryGetValue(stored, out byte[]? bytes))
        {
            try
            {
                bytes = s_bytes.GetValue(stored, static d => d.ToBytes());
            }
            catch (BsonException)
            {
                // Not encodable as one document by the default writer (over its size limit): copy the objects instead.
                return (BsonDocument)stored.DeepClone();
            }
        }

        return new BsonDocument(bytes, 0);
    }

    /// <summary>Whether bytes are kept for <paramref name="stored"/> (for tests).</summary>
    internal static bool HasBytes(BsonDocument stored) => s_bytes.TryGetValue(stored, out _);
}
