using Mongo.Bson;

namespace Mongo.Driver;

/// <summary>
/// The server applied a write but could not satisfy its write concern (e.g. replication timed out).
/// The write itself may have succeeded: see <see cref="Reply"/>.
/// </summary>
public sealed class MongoWriteConcernException : MongoServerException
{
    /// <summary>Creates the exception for a write concern error and the reply that carried it.</summary>
    public MongoWriteConcernException(WriteConcernError writeConcernError, BsonDocument? reply = null)
        : base("The write concern could not be satisfied: " + writeConcernError?.Message, writeConcernError?.Code ?? 0, writeConcernError?.CodeName)
    {
        WriteConcernError = writeConcernError ?? throw new ArgumentNullException(nameof(writeConcernError));
        Reply = reply;
        foreach (var label in writeConcernError.ErrorLabels)
        {
            AddErrorLabel(label);
        }
    }

    /// <summary>The write concern error.</summary>
    public WriteConcernError WriteConcernError { get; }

    /// <summary>The server's reply, when available.</summary>
    public BsonDocument? Reply { get; }
}
