namespace Mongo.InMemory.Commands;

/// <summary>
/// The registry of data commands; the dispatcher registers DataCommands.All() plus its own admin commands.
/// (Created empty by the wire side; the engine owns it.)
/// </summary>
internal static class DataCommands
{
    public static IEnumerable<ICommandHandler> All() => [];
}
