using Mongo.Bson;

namespace Mongo.InMemory.Commands;

/// <summary>A command implementation. Handlers are stateless singletons; all state is in ServerState.</summary>
internal interface ICommandHandler
{
    /// <summary>The names the command answers to, e.g. ["insert"] or ["hello", "isMaster", "ismaster"].</summary>
    IReadOnlyList<string> Names { get; }

    /// <summary>Runs the command. Returns the reply WITHOUT "ok"; the dispatcher appends ok: 1.0.</summary>
    BsonDocument Execute(CommandContext context);
}
