using Mongo.Bson;

namespace Mongo.InMemory.Commands.Admin;

/// <summary>A handler made of a name list and a function; enough for the small admin commands.</summary>
internal sealed class DelegateCommand(string[] names, Func<CommandContext, BsonDocument> execute) : ICommandHandler
{
    public IReadOnlyList<string> Names { get; } = names;

    public BsonDocument Execute(CommandContext context) => execute(context);
}
