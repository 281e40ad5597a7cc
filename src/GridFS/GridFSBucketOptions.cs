using Mongo.Driver;

namespace Mongo.GridFS;

/// <summary>Options of a <see cref="GridFSBucket"/>.</summary>
public sealed class GridFSBucketOptions
{
    /// <summary>The default chunk size: 255 KiB, so a chunk document stays under 256 KiB.</summary>
    public const int DefaultChunkSizeBytes = 255 * 1024;

    /// <summary>The bucket name: collections are <c>{name}.files</c> and <c>{name}.chunks</c>. Default <c>fs</c>.</summary>
    public string BucketName { get; init; } = "fs";

    /// <summary>The chunk size of new uploads, in bytes. Default 255 KiB.</summary>
    public int ChunkSizeBytes { get; init; } = DefaultChunkSizeBytes;

    /// <summary>The write concern; the database's when null.</summary>
    public WriteConcern? WriteConcern { get; init; }

    /// <summary>The read concern; the database's when null.</summary>
    public ReadConcern? ReadConcern { get; init; }

    /// <summary>The read preference; the database's when null.</summary>
    public ReadPreference? ReadPreference { get; init; }
}
