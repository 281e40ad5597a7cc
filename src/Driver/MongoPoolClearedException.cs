namespace Mongo.Driver;

/// <summary>
/// A connection pool was cleared (its server was marked unknown after an error) while an operation waited for
/// or established a connection. Carries the <c>RetryableWriteError</c> label: the operation may be retried.
/// </summary>
public class MongoPoolClearedException : MongoConnectionException
{
    /// <summary>Creates the exception.</summary>
    public MongoPoolClearedException(string message, Exception? innerException = null) : base(message, innerException)
    {
        AddErrorLabel("RetryableWriteError");
    }
}
