namespace Mongo.Bson;

/// <summary>A document or value exceeds a configured size limit (for example the 16 MiB maximum document size).</summary>
public class BsonSizeException : BsonException
{
    /// <summary>Creates an exception with a message.</summary>
    public BsonSizeException(string message) : base(message) { }

    /// <summary>Creates an exception tied to a position in the input.</summary>
    public BsonSizeException(string message, long? byteOffset, string? path) : base(message, byteOffset, path) { }
}
