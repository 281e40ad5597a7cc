using Mongo.Bson;

namespace Mongo.InMemory.Commands;

/// <summary>
/// A command that waits for something outside itself before answering (replSetStepDown waits for a secondary to catch
/// up). The dispatcher awaits it instead of calling <see cref="ICommandHandler.Execute"/>; such commands never write
/// data, so they run outside the replica set's write lock.
/// </summary>
internal interface IAsyncCommandHandler : ICommandHandler
{
    /// <summary>Runs the command. Returns the reply WITHOUT "ok"; the dispatcher appends ok: 1.0.</summary>
    ValueTask<BsonDocument> ExecuteAsync(CommandContext context, CancellationToken cancellationToken);
}
