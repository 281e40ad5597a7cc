using Mongo.Bson;
using Mongo.Driver.Compression;
using Mongo.Driver.Wire;

namespace Mongo.Driver.Connections;

/// <summary>What a server announced in a connection's handshake reply.</summary>
internal sealed class ConnectionDescription
{
    public ConnectionDescription(BsonDocument hello, Compressor? compressor)
    {
        Hello = hello;
        Compressor = compressor;
        MaxWireVersion = GetInt(hello, "maxWireVersion", 0);
        MinWireVersion = GetInt(hello, "minWireVersion", 0);
        // Checked here, so a connection whose server announced nonsense limits fails its handshake and never joins the pool.
        Limits = ServerLimits.FromHello(hello);
        LogicalSessionTimeoutMinutes = hello.TryGetValue("logicalSessionTimeoutMinutes", out BsonValue? timeout) && timeout.IsNumeric ? timeout.ToInt32() : null;
        ServerConnectionId = hello.TryGetValue("connectionId", out BsonValue? id) && id.IsNumeric ? id.ToInt64() : null;
        if (hello.TryGetValue("serviceId", out BsonValue? serviceId) && serviceId.IsObjectId)
        {
            ServiceId = serviceId.AsObjectId;
        }
    }

    public BsonDocument Hello { get; }

    /// <summary>The negotiated compressor, or null to send uncompressed.</summary>
    public Compressor? Compressor { get; }

    public int MaxWireVersion { get; }

    public int MinWireVersion { get; }

    public ServerLimits Limits { get; }

    /// <summary>Set when the server supports sessions (driver-sessions spec: decided per connection by its handshake).</summary>
    public int? LogicalSessionTimeoutMinutes { get; }

    /// <summary>The server's id for this connection (hello's connectionId).</summary>
    public long? ServerConnectionId { get; }

    /// <summary>Load-balanced mode: the id of the service behind the balancer.</summary>
    public ObjectId? ServiceId { get; }

    internal static int GetInt(BsonDocument document, string name, int defaultValue) =>
        document.TryGetValue(name, out BsonValue? value) && value.IsNumeric ? value.ToInt32() : defaultValue;
}
