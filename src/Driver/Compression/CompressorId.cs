namespace Mongo.Driver.Compression;

/// <summary>The compressor ids of the OP_COMPRESSED specification (4-255 are reserved).</summary>
internal enum CompressorId : byte
{
    /// <summary>The content is not compressed (used for testing).</summary>
    Noop = 0,

    /// <summary>Snappy.</summary>
    Snappy = 1,

    /// <summary>zlib (RFC 1950 framing around deflate).</summary>
    Zlib = 2,

    /// <summary>Zstandard.</summary>
    Zstd = 3,
}
