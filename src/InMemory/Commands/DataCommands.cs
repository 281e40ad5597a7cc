using Mongo.InMemory.Commands.Data;

namespace Mongo.InMemory.Commands;

/// <summary>
/// The registry of data commands; the dispatcher registers DataCommands.All() plus its own admin commands.
/// </summary>
internal static class DataCommands
{
    public static IEnumerable<ICommandHandler> All() =>
    [
        new DataHandler(["find"], ReadCommands.Find),
        new DataHandler(["count"], ReadCommands.Count),
        new DataHandler(["distinct"], ReadCommands.Distinct),
        new DataHandler(["aggregate"], ReadCommands.Aggregate),
        new DataHandler(["insert"], WriteCommands.Insert),
        new DataHandler(["update"], WriteCommands.Update),
        new DataHandler(["delete"], WriteCommands.Delete),
        new DataHandler(["bulkWrite"], WriteCommands.BulkWrite),
        new DataHandler(["findAndModify", "findandmodify"], WriteCommands.FindAndModify),
        new DataHandler(["create"], CatalogCommands.Create),
        new DataHandler(["drop"], CatalogCommands.Drop),
        new DataHandler(["collMod"], CatalogCommands.CollMod),
        new DataHandler(["dropDatabase"], CatalogCommands.DropDatabase),
        new DataHandler(["listCollections"], CatalogCommands.ListCollections),
        new DataHandler(["listDatabases"], CatalogCommands.ListDatabases),
        new DataHandler(["renameCollection"], CatalogCommands.RenameCollection),
        new DataHandler(["createIndexes"], IndexCommands.CreateIndexes),
        new DataHandler(["listIndexes"], IndexCommands.ListIndexes),
        new DataHandler(["dropIndexes", "deleteIndexes"], IndexCommands.DropIndexes),
        new DataHandler(["collStats"], CatalogCommands.CollStats),
        new DataHandler(["dbStats"], CatalogCommands.DbStats),
        new DataHandler(["explain"], ExplainCommands.Explain),
        .. MaintenanceCommands.All(),
    ];
}
