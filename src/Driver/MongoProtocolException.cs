namespace Mongo.Driver;

/// <summary>
/// The peer sent bytes that violate the MongoDB wire protocol: a bad message length, an unknown opcode or
/// section kind, an unsupported required flag bit, a checksum that does not match, or compressed data that
/// is corrupt or does not decompress to its declared size. The connection cannot be trusted afterwards
/// and is discarded.
/// </summary>
public class MongoProtocolException : MongoConnectionException
{
    /// <summary>Creates an exception with a message.</summary>
    public MongoProtocolException(string message) : base(message) { }

    /// <summary>Creates an exception with a message and the exception that caused it.</summary>
    public MongoProtocolException(string message, Exception? innerException) : base(message, innerException) { }

    /// <summary>Creates an exception with a message and the byte offset (within the message) where the problem was found.</summary>
    public MongoProtocolException(string message, long byteOffset)
        : base(message + " (at byte offset " + byteOffset.ToString(System.Globalization.CultureInfo.InvariantCulture) + ")")
    {
        ByteOffset = byteOffset;
    }

    /// <summary>The byte offset within the message where the problem was found, when known.</summary>
    public long? ByteOffset { get; }
}
