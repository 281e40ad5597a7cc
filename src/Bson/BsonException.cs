namespace Mongo.Bson;

/// <summary>
/// The base of every exception Mongo.Bson throws. Where the error is tied to a place in the input it carries
/// the byte offset (binary input) and the element path (e.g. <c>a.b.0</c>), and the message names both.
/// </summary>
public class BsonException : Exception
{
    /// <summary>Creates an exception with a message.</summary>
    public BsonException(string message) : base(message) => Reason = message;

    /// <summary>Creates an exception with a message and the exception that caused it.</summary>
    public BsonException(string message, Exception? innerException) : base(message, innerException) => Reason = message;

    /// <summary>Creates an exception tied to a position in the input.</summary>
    /// <param name="message">What is wrong.</param>
    /// <param name="byteOffset">The offset of the offending byte from the start of the input, if known.</param>
    /// <param name="path">The dotted path of the element being read or written, if known.</param>
    /// <param name="innerException">The exception that caused this one.</param>
    public BsonException(string message, long? byteOffset, string? path, Exception? innerException = null)
        : base(Describe(message, byteOffset, path), innerException)
    {
        Reason = message;
        ByteOffset = byteOffset;
        Path = path;
    }

    /// <summary>
    /// What is wrong, without the position that <see cref="Exception.Message"/> appends (for wrapping the error in one
    /// that adds context without repeating the position).
    /// </summary>
    public string Reason { get; }

    /// <summary>The offset of the offending byte from the start of the input, when known.</summary>
    public long? ByteOffset { get; }

    /// <summary>The dotted element path where the error occurred (empty for the top-level document), when known.</summary>
    public string? Path { get; }

    private static string Describe(string message, long? byteOffset, string? path)
    {
        if (byteOffset is null && path is null)
        {
            return message;
        }

        string where = byteOffset is { } offset
            ? path is null ? $"at byte {offset}" : $"at byte {offset}, path '{path}'"
            : $"at path '{path}'";
        return $"{message} ({where})";
    }
}
