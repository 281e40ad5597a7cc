namespace Mongo.Driver.Operations;

/// <summary>The size limits a server announced in its handshake (used to split write batches).</summary>
/// <param name="MaxBsonObjectSize">The largest document the server accepts.</param>
/// <param name="MaxMessageSize">The largest wire message the server accepts.</param>
/// <param name="MaxWriteBatchSize">The most write operations in one command.</param>
/// <param name="MaxWireVersion">The newest wire protocol version the server speaks.</param>
internal readonly record struct ServerLimits(int MaxBsonObjectSize, int MaxMessageSize, int MaxWriteBatchSize, int MaxWireVersion)
{
    /// <summary>The defaults of a MongoDB 8.0 server (used before any server is known).</summary>
    public static ServerLimits Default { get; } = new(16 * 1024 * 1024, 48_000_000, 100_000, 25);
}
