using Mongo.Bson;

namespace Mongo.GridFS;

/// <summary>Options of one upload.</summary>
public sealed class GridFSUploadOptions
{
    /// <summary>The chunk size of this file; the bucket's when null.</summary>
    public int? ChunkSizeBytes { get; init; }

    /// <summary>User data stored in the files document's <c>metadata</c> field.</summary>
    public BsonDocument? Metadata { get; init; }
}
