namespace Mongo.Driver.Wire;

/// <summary>The size limits a server announces in its handshake reply (defaults are the server's own defaults).</summary>
internal readonly record struct MessageLimits(int MaxBsonObjectSize, int MaxMessageSizeBytes, int MaxWriteBatchSize)
{
    /// <summary>16 MiB documents, 48 MB messages, 100,000 writes per batch.</summary>
    public static MessageLimits Default { get; } = new(16 * 1024 * 1024, 48_000_000, 100_000);

    /// <summary>How much larger than <see cref="MaxBsonObjectSize"/> a command document may be (room for the command's own fields around a maximum-size document).</summary>
    public const int CommandAllowance = 16 * 1024;
}
