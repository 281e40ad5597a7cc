namespace Mongo.Driver;

/// <summary>An invalid connection string or client setting. The message names the offending option.</summary>
public class MongoConfigurationException : MongoClientException
{
    /// <summary>Creates an exception with a message.</summary>
    public MongoConfigurationException(string message) : base(message) { }

    /// <summary>Creates an exception with a message and the exception that caused it.</summary>
    public MongoConfigurationException(string message, Exception? innerException) : base(message, innerException) { }
}
