using Mongo.Driver.Wire;

namespace Mongo.Driver.Operations;

/// <summary>
/// The seam between the public API (which builds commands and parses replies) and the machinery that owns
/// topology, pools and connections. <c>OperationExecutor</c> implements it; unit tests substitute a fake.
/// </summary>
internal interface IOperationExecutor : IAsyncDisposable
{
    /// <summary>The size limits of the server the next write batch will go to (for batch splitting).</summary>
    ValueTask<ServerLimits> GetWriteLimitsAsync(bool async, CancellationToken ct);

    /// <summary>
    /// Sends one command. An ok:0 reply is thrown as a <see cref="MongoCommandException"/> (or a subclass);
    /// a writeConcernError in an ok:1 reply is returned for the write operation to interpret.
    /// </summary>
    ValueTask<CommandResponse> ExecuteAsync(bool async, CommandOperation message, CancellationToken ct);

    /// <summary>Whether the client traces its operations (<see cref="MongoClientSettings.TracingEnabled"/>); spans also need a listener.</summary>
    bool Tracing => true;

    /// <summary>Ends pooled sessions and closes everything; <paramref name="async"/>: false blocks no thread on a task.</summary>
    ValueTask CloseAsync(bool async) => DisposeAsync();
}
