namespace Mongo.Driver;

/// <summary>A server reported an error (an <c>ok: 0</c> reply or a write error), with its numeric code and code name.</summary>
public class MongoServerException : MongoException
{
    /// <summary>Creates an exception for a server error.</summary>
    public MongoServerException(string message, int code, string? codeName, Exception? innerException = null)
        : base(message, innerException)
    {
        Code = code;
        CodeName = codeName;
    }

    /// <summary>The server's error code (e.g. 11000 for a duplicate key).</summary>
    public int Code { get; }

    /// <summary>The server's error code name (e.g. <c>DuplicateKey</c>), when it sent one.</summary>
    public string? CodeName { get; }

    /// <summary>The server address that reported the error, when known.</summary>
    public MongoServerAddress? Server { get; init; }

    /// <inheritdoc />
    public override bool IsTransient => base.IsTransient || ErrorCodes.IsRetryable(Code);
}
