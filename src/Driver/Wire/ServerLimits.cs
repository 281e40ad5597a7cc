using System.Globalization;
using Mongo.Bson;

namespace Mongo.Driver.Wire;

/// <summary>
/// The size limits a server announced in its handshake: what the connection checks outgoing and incoming messages
/// against, and what write batches are split by. The one limits type of the driver (the wire layer owns it, so connections
/// and operations both use it without the wire layer knowing operations).
/// </summary>
/// <param name="MaxBsonObjectSize">The largest document the server accepts.</param>
/// <param name="MaxMessageSize">The largest wire message the server accepts.</param>
/// <param name="MaxWriteBatchSize">The most write operations in one command.</param>
/// <param name="MaxWireVersion">The newest wire protocol version the server speaks.</param>
internal readonly record struct ServerLimits(int MaxBsonObjectSize, int MaxMessageSize, int MaxWriteBatchSize, int MaxWireVersion = 0)
{
    /// <summary>How much larger than <see cref="MaxBsonObjectSize"/> a command document may be (room for the command's own fields around a maximum-size document).</summary>
    public const int CommandAllowance = 16 * 1024;

    // What a hello may announce. Real servers say 16 MiB / 48,000,000 / 100,000; the bounds only keep out values no
    // server sends (0, -1, 2^31-1 messages), which would break every command or size a receive buffer by them.
    private const int MinObjectSize = 1024;
    private const int MaxObjectSize = 256 * 1024 * 1024;
    private const int MaxMessageSizeBound = 1024 * 1024 * 1024;
    private const int MaxBatchSizeBound = 100_000_000;

    /// <summary>The defaults of a MongoDB 8.0 server (used before any server is known).</summary>
    public static ServerLimits Default { get; } = new(16 * 1024 * 1024, 48_000_000, 100_000, 25);

    /// <summary>Reads the limits from a hello reply (defaults for missing fields).</summary>
    /// <exception cref="MongoProtocolException">A limit is present but not a sane whole number: the server's hello cannot be trusted.</exception>
    public static ServerLimits FromHello(BsonDocument? hello)
    {
        if (hello is null)
        {
            return Default;
        }

        int maxBson = Read(hello, "maxBsonObjectSize", Default.MaxBsonObjectSize, MinObjectSize, MaxObjectSize);
        // A message must be able to carry at least one largest document (plus headers).
        int maxMessage = Read(hello, "maxMessageSizeBytes", Default.MaxMessageSize, Math.Min(maxBson + 16 * 1024, MaxMessageSizeBound), MaxMessageSizeBound);
        int maxBatch = Read(hello, "maxWriteBatchSize", Default.MaxWriteBatchSize, 1, MaxBatchSizeBound);
        return new(maxBson, maxMessage, maxBatch, hello.TryGetValue("maxWireVersion", out BsonValue? wire) && wire.IsNumeric ? wire.ToInt32() : 0);
    }

    private static int Read(BsonDocument hello, string name, int defaultValue, int min, int max)
    {
        if (!hello.TryGetValue(name, out BsonValue? value) || value.IsBsonNull)
        {
            return defaultValue;
        }

        double number = value.IsNumeric ? value.ToDouble() : double.NaN;
        if (double.IsNaN(number) || number != Math.Floor(number) || number < min || number > max)
        {
            throw new MongoProtocolException("The server's hello announced " + name + " " + value.ToString()
                + ", outside the sane range " + min.ToString(CultureInfo.InvariantCulture) + " to " + max.ToString(CultureInfo.InvariantCulture)
                + "; the server is misconfigured or not a MongoDB server.");
        }

        return (int)number;
    }
}
