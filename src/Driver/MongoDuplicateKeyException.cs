using Mongo.Bson;

namespace Mongo.Driver;

/// <summary>
/// A unique index rejected a write (server codes 11000, 11001, 12582): PEP 249's <c>IntegrityError</c>.
/// <see cref="KeyPattern"/> and <see cref="KeyValue"/> name the index and the duplicated value when the server sends them.
/// </summary>
public sealed class MongoDuplicateKeyException : MongoWriteException
{
    /// <summary>Creates the exception from a write error (for command-level errors use index 0).</summary>
    public MongoDuplicateKeyException(WriteError writeError, WriteConcernError? writeConcernError = null, Exception? innerException = null)
        : base(writeError, writeConcernError, innerException)
    {
    }

    /// <summary>The unique index's key pattern, e.g. <c>{email: 1}</c>, when the server sent it.</summary>
    public BsonDocument? KeyPattern => WriteError.KeyPattern;

    /// <summary>The duplicated key, e.g. <c>{email: "a@example.com"}</c>, when the server sent it.</summary>
    public BsonDocument? KeyValue => WriteError.KeyValue;

    /// <summary>The duplicate-key exception for a command that failed with ok:0 and a duplicate key code.</summary>
    public static MongoDuplicateKeyException FromCommandException(MongoCommandException exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        var reply = exception.Reply;
        var error = new WriteError(
            0,
            exception.Code,
            exception.CodeName,
            reply.TryGetValue("errmsg", out var message) && message.IsString ? message.AsString : exception.Message,
            null,
            reply.TryGetValue("keyPattern", out var pattern) && pattern.IsDocument ? pattern.AsDocument : null,
            reply.TryGetValue("keyValue", out var value) && value.IsDocument ? value.AsDocument : null);
        var result = new MongoDuplicateKeyException(error, null, exception);
        foreach (var label in exception.ErrorLabels)
        {
            result.AddErrorLabel(label);
        }

        return result;
    }

    /// <summary>Whether a server error code means a duplicate key.</summary>
    public static bool IsDuplicateKeyCode(int code) => code is 11000 or 11001 or 12582;
}
