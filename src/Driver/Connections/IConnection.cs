
namespace Mongo.Driver.Connections;

/// <summary>
/// What the pool and the executor need from a connection. <see cref="Connection"/> is the real one; CMAP
/// unit tests substitute fakes.
/// </summary>
internal interface IConnection : IDisposable
{
    /// <summary>Driver-side id, unique within its pool (CMAP: starts at 1, increases).</summary>
    long Id { get; }

    /// <summary>The pool generation the connection was created in.</summary>
    int Generation { get; }

    MongoServerAddress Address { get; }

    /// <summary>What the server said in the handshake; null before <see cref="OpenAsync"/> completes.</summary>
    ConnectionDescription? Description { get; }

    /// <summary>Broken (an I/O or protocol error happened) or closed: must not be used again.</summary>
    bool IsBroken { get; }

    /// <summary>Stopwatch timestamp of the last check-in (for maxIdleTimeMS).</summary>
    long LastUsedTimestamp { get; set; }

    /// <summary>Connects, handshakes and authenticates.</summary>
    /// <param name="async">Whether to await (else block).</param>
    /// <param name="cancellationToken">Cancels the open.</param>
    /// <param name="operationDeadline">
    /// The timeoutMS deadline of the operation that needs the connection (client-side operations timeout spec): the
    /// handshake must finish by then and socketTimeoutMS does not apply to it. Null: connectTimeoutMS and socketTimeoutMS.
    /// </param>
    ValueTask OpenAsync(bool async, CancellationToken cancellationToken, Deadline? operationDeadline = null);

    /// <summary>Sends a command and reads its reply (null when <see cref="IWireCommand.MoreToCome"/>).</summary>
    ValueTask<CommandReply?> ExecuteAsync(bool async, IWireCommand message, CommandExtras extras, Deadline deadline, CancellationToken cancellationToken);

    /// <summary>Marks the connection unusable and closes its stream; returns <paramref name="reason"/> for <c>throw</c>.</summary>
    Exception Break(Exception reason);
}
