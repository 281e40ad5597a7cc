namespace Mongo.Driver.Compression;

/// <summary>Looks compressors up by id (decompression) and by name (configuration and handshake negotiation).</summary>
internal static class Compressors
{
    /// <summary>The names this driver supports, in its order of preference.</summary>
    public static IReadOnlyList<string> SupportedNames { get; } = ["snappy", "zlib", "zstd"];

    /// <summary>The compressor for an id read from an OP_COMPRESSED header.</summary>
    /// <exception cref="MongoProtocolException">The id is reserved or unknown.</exception>
    public static Compressor ForId(byte id) => id switch
    {
        (byte)CompressorId.Noop => NoopCompressor.Instance,
        (byte)CompressorId.Snappy => SnappyCompressor.Instance,
        (byte)CompressorId.Zlib => ZlibCompressor.Default,
        (byte)CompressorId.Zstd => ZstdCompressor.Instance,
        _ => throw new MongoProtocolException("OP_COMPRESSED uses compressor id " + id + ", which is unknown (0 noop, 1 snappy, 2 zlib and 3 zstd are defined)."),
    };

    /// <summary>Whether a name (case-insensitive) is one we can negotiate.</summary>
    public static bool IsSupported(string name) => TryGetId(name, out _);

    /// <summary>Maps a handshake/connection-string name to its id. "noop" is not negotiable.</summary>
    public static bool TryGetId(string name, out CompressorId id)
    {
        if (string.Equals(name, "snappy", StringComparison.OrdinalIgnoreCase))
        {
            id = CompressorId.Snappy;
            return true;
        }

        if (string.Equals(name, "zlib", StringComparison.OrdinalIgnoreCase))
        {
            id = CompressorId.Zlib;
            return true;
        }

        if (string.Equals(name, "zstd", StringComparison.OrdinalIgnoreCase))
        {
            id = CompressorId.Zstd;
            return true;
        }

        id = default;
        return false;
    }

    /// <summary>The compressor to send with, for a configured name and zlib level.</summary>
    /// <exception cref="MongoConfigurationException">The name is unknown or the zlib level is out of range.</exception>
    public static Compressor Create(string name, int zlibCompressionLevel = ZlibCompressor.DefaultLevel)
    {
        if (!TryGetId(name, out CompressorId id))
        {
            throw new MongoConfigurationException("Unsupported compressor '" + name + "': supported compressors are snappy, zlib and zstd.");
        }

        return id switch
        {
            CompressorId.Snappy => SnappyCompressor.Instance,
            CompressorId.Zlib => ZlibCompressor.ForLevel(zlibCompressionLevel),
            _ => ZstdCompressor.Instance,
        };
    }

    /// <summary>
    /// Picks the compressor for a connection: the first of the client's configured compressors that the
    /// server also listed in its handshake reply (OP_COMPRESSED spec), or null to send uncompressed.
    /// Unknown names on either side are ignored.
    /// </summary>
    public static Compressor? Negotiate(IReadOnlyList<string> clientConfigured, IReadOnlyList<string>? serverReplied, int zlibCompressionLevel = ZlibCompressor.DefaultLevel)
    {
        if (serverReplied is null || serverReplied.Count == 0)
        {
            return null;
        }

        for (int i = 0; i < clientConfigured.Count; i++)
        {
            string candidate = clientConfigured[i];
            if (!IsSupported(candidate))
            {
                continue;
            }

            for (int j = 0; j < serverReplied.Count; j++)
            {
                if (string.Equals(candidate, serverReplied[j], StringComparison.OrdinalIgnoreCase))
                {
                    return Create(candidate, zlibCompressionLevel);
                }
            }
        }

        return null;
    }
}
