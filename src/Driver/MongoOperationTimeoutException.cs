namespace Mongo.Driver;

/// <summary>
/// An operation run with <c>timeoutMS</c> (client, database, collection, session or the call itself) did not finish in
/// time: the client-side operations timeout spec's "timeout error". It is raised only when timeoutMS is set; without it
/// the driver keeps raising what it raised before. What was blocking when time ran out (server selection, a checkout, a
/// socket read, the server's MaxTimeMSExpired) is the <see cref="Exception.InnerException"/>, and its message is part of
/// this one's.
/// </summary>
public class MongoOperationTimeoutException : MongoTimeoutException
{
    /// <summary>Creates an exception with a message (the deadline passed between blocking steps).</summary>
    public MongoOperationTimeoutException(string message) : base(message) { }

    /// <summary>Creates an exception whose message includes the underlying timeout's.</summary>
    public MongoOperationTimeoutException(string message, Exception? innerException)
        : base(innerException is null ? message : message + " " + innerException.Message, innerException)
    {
        if (innerException is MongoException mongo)
        {
            foreach (string label in mongo.ErrorLabels)
            {
                AddErrorLabel(label);
            }
        }
    }
}
