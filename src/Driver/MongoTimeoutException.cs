namespace Mongo.Driver;

/// <summary>
/// An operation, server selection, connection checkout or socket read ran out of time. Unlike the official
/// driver's bare <see cref="TimeoutException"/>, this is a <see cref="MongoException"/> so one catch covers it.
/// The message says what the driver was doing when time ran out.
/// </summary>
public class MongoTimeoutException : MongoException
{
    /// <summary>Creates an exception with a message.</summary>
    public MongoTimeoutException(string message) : base(message) { }

    /// <summary>Creates an exception with a message and the exception that caused it.</summary>
    public MongoTimeoutException(string message, Exception? innerException) : base(message, innerException) { }

    /// <summary>A timeout may clear up on retry.</summary>
    public override bool IsTransient => true;
}
