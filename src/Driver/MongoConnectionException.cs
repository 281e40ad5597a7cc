namespace Mongo.Driver;

/// <summary>
/// A network-level failure talking to a server: connect, TLS, read or write failed, or the server sent
/// bytes that are not a valid reply (PEP 249's <c>OperationalError</c>). The connection is discarded.
/// </summary>
public class MongoConnectionException : MongoException
{
    /// <summary>Creates an exception with a message.</summary>
    public MongoConnectionException(string message) : base(message) { }

    /// <summary>Creates an exception with a message and the exception that caused it.</summary>
    public MongoConnectionException(string message, Exception? innerException) : base(message, innerException) { }

    /// <summary>Network errors are transient: a retry on a fresh connection may succeed.</summary>
    public override bool IsTransient => true;
}
