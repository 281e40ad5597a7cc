namespace Mongo.Driver;

/// <summary>
/// A programming error detected by the driver before anything was sent: a misuse of the API or an
/// invalid argument (PEP 249's <c>ProgrammingError</c>).
/// </summary>
public class MongoClientException : MongoException
{
    /// <summary>Creates an exception with a message.</summary>
    public MongoClientException(string message) : base(message) { }

    /// <summary>Creates an exception with a message and the exception that caused it.</summary>
    public MongoClientException(string message, Exception? innerException) : base(message, innerException) { }
}
