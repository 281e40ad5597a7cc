namespace Mongo.Bson;

/// <summary>Input bytes or Extended JSON text that are not valid: truncated, inconsistent lengths, bad UTF-8, unknown types.</summary>
public class BsonFormatException : BsonException
{
    /// <summary>Creates an exception with a message.</summary>
    public BsonFormatException(string message) : base(message) { }

    /// <summary>Creates an exception with a message and the exception that caused it.</summary>
    public BsonFormatException(string message, Exception? innerException) : base(message, innerException) { }

    /// <summary>Creates an exception tied to a position in the input.</summary>
    public BsonFormatException(string message, long? byteOffset, string? path, Exception? innerException = null)
        : base(message, byteOffset, path, innerException) { }
}
