namespace Mongo.Driver;

/// <summary>The feature or option is not supported by the connected server or by this driver (PEP 249's <c>NotSupportedError</c>).</summary>
public class MongoNotSupportedException : MongoException
{
    /// <summary>Creates an exception with a message.</summary>
    public MongoNotSupportedException(string message) : base(message) { }

    /// <summary>Creates an exception with a message and the exception that caused it.</summary>
    public MongoNotSupportedException(string message, Exception? innerException) : base(message, innerException) { }
}
