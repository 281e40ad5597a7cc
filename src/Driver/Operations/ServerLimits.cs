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

    /// <summary>Reads the limits from a hello reply (defaults for missing fields).</summary>
    public static ServerLimits FromHello(Mongo.Bson.BsonDocument? hello) => hello is null
        ? Default
        : new(
            Connections.ConnectionDescription.GetInt(hello, "maxBsonObjectSize", Default.MaxBsonObjectSize),
            Connections.ConnectionDescription.GetInt(hello, "maxMessageSizeBytes", Default.MaxMessageSize),
            Connections.ConnectionDescription.GetInt(hello, "maxWriteBatchSize", Default.MaxWriteBatchSize),
            Connections.ConnectionDescription.GetInt(hello, "maxWireVersion", 0));
}
