using Mongo.Driver;

namespace Mongo.GridFS;

/// <summary>The base of GridFS errors: a file that is missing, corrupt or misused.</summary>
public class GridFSException : MongoException
{
    /// <summary>Creates an exception with a message.</summary>
    public GridFSException(string message) : base(message) { }

    /// <summary>Creates an exception with a message and the exception that caused it.</summary>
    public GridFSException(string message, Exception? innerException) : base(message, innerException) { }
}
