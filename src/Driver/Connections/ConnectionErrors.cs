using System.Net.Sockets;
using System.Security.Authentication;

namespace Mongo.Driver.Connections;

/// <summary>How connection failures are classified for SDAM error handling and the CMAP backpressure rule.</summary>
internal static class ConnectionErrors
{
    /// <summary>The label a pool adds to errors that may be the server's connection rate limiter (CMAP "backpressure").</summary>
    public const string SystemOverloadedError = "SystemOverloadedError";

    /// <summary>The label that makes such an error retryable.</summary>
    public const string RetryableError = "RetryableError";

    /// <summary>Whether a low-level exception is a socket or stream timeout.</summary>
    public static bool IsTimeout(Exception ex) =>
        ex is TimeoutException
        || (ex is IOException { InnerException: SocketException { SocketErrorCode: SocketError.TimedOut } })
        || (ex is SocketException { SocketErrorCode: SocketError.TimedOut });

    /// <summary>
    /// Whether a driver exception is a network timeout (socketTimeoutMS, connectTimeoutMS or the operation's
    /// deadline) rather than a broken connection: SDAM leaves the server's description alone after such a timeout
    /// on an established connection, because a slow operation does not mean an unavailable server.
    /// </summary>
    public static bool IsNetworkTimeout(Exception error) =>
        error is MongoTimeoutException
        || (error is MongoConnectionException and not MongoAuthenticationException and not MongoPoolClearedException
            && error.InnerException is { } inner && (inner is OperationCanceledException || IsTimeout(inner)));

    /// <summary>
    /// Labels a network error or timeout met while connecting or running hello (never during authentication) with
    /// SystemOverloadedError and RetryableError (CMAP "backpressure-enabled"): an overloaded server's connection
    /// rate limiter looks like this, and SDAM must then neither mark the server Unknown nor clear the pool. DNS and
    /// TLS failures never come from overload, so they stay unlabelled and still mark the server Unknown.
    /// </summary>
    public static void AddBackpressureLabels(MongoException error)
    {
        bool network = error is MongoTimeoutException || error is MongoConnectionException and not MongoAuthenticationException and not MongoPoolClearedException;
        if (!network || IsDnsFailure(error.InnerException) || error.InnerException is AuthenticationException)
        {
            return;
        }

        error.AddErrorLabel(SystemOverloadedError);
        error.AddErrorLabel(RetryableError);
    }

    private static bool IsDnsFailure(Exception? ex) =>
        ex is SocketException { SocketErrorCode: SocketError.HostNotFound or SocketError.TryAgain or SocketError.NoData };
}
