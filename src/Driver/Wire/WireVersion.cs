namespace Mongo.Driver.Wire;

/// <summary>
/// Wire versions at which features the driver gates appeared (a server's <c>maxWireVersion</c> in its hello reply),
/// with the release a user would recognise, for "not supported by this server" messages.
/// </summary>
internal static class WireVersion
{
    /// <summary>MongoDB 4.4: servers label retryable write errors themselves (RetryableWriteError).</summary>
    public const int Server44 = 9;

    /// <summary>MongoDB 8.0: the admin <c>bulkWrite</c> command (client-level bulk writes).</summary>
    public const int Server80 = 25;

    /// <summary>MongoDB 8.2: the <c>rawData</c> option on CRUD commands.</summary>
    public const int Server82 = 27;

    /// <summary>The MongoDB release that introduced a wire version, e.g. "8.0", or the number itself when unknown.</summary>
    public static string ServerRelease(int wireVersion) => wireVersion switch
    {
        Server80 => "8.0",
        26 => "8.1",
        Server82 => "8.2",
        _ => "wire version " + wireVersion,
    };
}
