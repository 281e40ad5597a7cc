namespace Mongo.Bson;

/// <summary>Limits that every part of Mongo.Bson applies alike.</summary>
public static class BsonLimits
{
    /// <summary>
    /// The deepest nesting of documents and arrays (the top-level document counting as 1) that Mongo.Bson reads,
    /// parses, writes, compares, hashes, clones or prints: 200, the server's default <c>maxBSONDepth</c>, above
    /// which no server accepts a document anyway.
    /// </summary>
    /// <remarks>
    /// <para>
    /// <see cref="ExtendedJson"/> parsing and every DOM operation that walks a tree (<see cref="BsonDocument.ToBytes"/>,
    /// <see cref="BsonWriter"/>, <see cref="BsonValue.Equals(BsonValue?)"/>, <see cref="BsonValue.GetHashCode"/>,
    /// <see cref="BsonValue.CompareTo(BsonValue?)"/>, <see cref="BsonValue.DeepClone"/>, <see cref="BsonValue.ToJson"/>,
    /// <see cref="BsonDocument.GetEncodedSize"/>) throw a <see cref="BsonException"/> past this depth, so a DOM built
    /// too deep (or with a cycle) fails cleanly instead of overflowing the stack and killing the process.
    /// </para>
    /// <para>
    /// Decoding BSON applies <see cref="BsonReaderOptions.MaxDepth"/>, which defaults to this limit
    /// (<see cref="BsonReaderOptions.DefaultMaxDepth"/>) and may be lowered for untrusted input, never raised past it.
    /// </para>
    /// </remarks>
    public const int MaxDepth = 200;
}
