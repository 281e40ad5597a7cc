namespace Mongo.Driver;

/// <summary>Authentication failed: wrong credentials, an unsupported mechanism, or a server proof that did not verify.</summary>
public class MongoAuthenticationException : MongoConnectionException
{
    /// <summary>Creates an exception with a message.</summary>
    public MongoAuthenticationException(string message) : base(message) { }

    /// <summary>Creates an exception with a message and the exception that caused it.</summary>
    public MongoAuthenticationException(string message, Exception? innerException) : base(message, innerException) { }

    /// <summary>Bad credentials do not get better by retrying.</summary>
    public override bool IsTransient => false;
}
