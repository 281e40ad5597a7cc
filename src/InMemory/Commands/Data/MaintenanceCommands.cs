using Mongo.Bson;
using Mongo.InMemory.Engine;

namespace Mongo.InMemory.Commands.Data;

/// <summary>
/// Maintenance commands on one collection that mongod 8.0 has: compact, reIndex, convertToCapped,
/// cloneCollectionAsCapped and the plan cache commands. Storage here is a set of in-memory structures, so compacting or
/// rebuilding has nothing to reclaim; the replies carry mongod's fields.
/// </summary>
internal static class MaintenanceCommands
{
    public static IEnumerable<ICommandHandler> All() =>
    [
        new DataHandler(["compact"], Compact),
        new DataHandler(["reIndex"], ReIndex),
        new DataHandler(["convertToCapped"], ConvertToCapped),
        new DataHandler(["cloneCollectionAsCapped"], CloneCollectionAsCapped),
        new DataHandler(["planCacheClear"], PlanCacheClear),
        new DataHandler(["planCacheClearFilters"], PlanCacheClear),
        new DataHandler(["planCacheListFilters"], PlanCacheListFilters),
        new DataHandler(["planCacheSetFilter"], static _ => throw Errors.NotImplemented(
            "planCacheSetFilter is not supported by Mongo.InMemory: its query planner takes no index filters (use hint instead)")),
    ];

    private static CollectionData Existing(CommandContext context, string name, string message)
    {
        var database = context.Storage.GetDatabase(context.DatabaseName);
        if (database?.GetView(name) is not null) throw Errors.NotACollection(context.DatabaseName + "." + name);
        return database?.Get(name) ?? throw Errors.NamespaceNotFound(message);
    }

    private static BsonDocument Compact(CommandContext context)
    {
        var name = DataCommand.CollectionName(context);
        lock (context.Storage.Sync)
        {
            Existing(context, name, "collection does not exist");
        }

        // Nothing is ever left unused in memory: a compaction frees no bytes.
        return new BsonDocument("bytesFreed", 0);
    }

    private static BsonDocument ReIndex(CommandContext context)
    {
        // mongod 8.0 keeps reIndex for standalone servers only.
        if (context.Server.IsReplicaSet || context.Server.IsRouter)
            throw Errors.IllegalOperation("reIndex is only allowed on a standalone mongod instance.");
        var name = DataCommand.CollectionName(context);
        lock (context.Storage.Sync)
        {
            var collection = Existing(context, name, "collection does not exist");
            var specs = new BsonArray(collection.Indexes.Select(i => (BsonValue)i.Spec.DeepClone()));
            return new BsonDocument { { "nIndexesWas", specs.Count }, { "nIndexes", specs.Count }, { "indexes", specs } };
        }
    }

    /// <summary>The size (and max) of a capped copy, checked as create checks them.</summary>
    private static BsonDocument CappedOptions(BsonDocument command, string commandName)
    {
        if (!command.TryGetValue("size", out var size))
            throw Errors.Location(40414, "BSON field '" + commandName + ".size' is missing but a required field");
        var options = new BsonDocument { { "capped", true }, { "size", size } };
        if (command.TryGetValue("max", out var max)) options.Add("max", max);
        CollectionData.NormalizeCappedOptions(options);
        return options;
    }

    private static BsonDocument CloneCollectionAsCapped(CommandContext context)
    {
        var cmd = context.Command;
        var source = DataCommand.CollectionName(context);
        if (!cmd.TryGetValue("toCollection", out var toValue))
            throw Errors.Location(40414, "BSON field 'cloneCollectionAsCapped.toCollection' is missing but a required field");
        if (toValue is not BsonString { Value.Length: > 0 } to)
            throw Errors.TypeMismatch("BSON field 'cloneCollectionAsCapped.toCollection' is the wrong type '" + BsonOrder.TypeName(toValue) + "', expected type 'string'");
        var options = CappedOptions(cmd, "cloneCollectionAsCapped");
        lock (context.Storage.Sync)
        {
            var from = Existing(context, source, "source collection " + context.DatabaseName + "." + source + " does not exist");
            var database = context.Storage.GetOrCreateDatabase(context.DatabaseName);
            if (database.Get(to.Value) is not null || database.GetView(to.Value) is not null)
                throw Errors.NamespaceExists("collection " + context.DatabaseName + "." + to.Value + " already exists");
            CopyInto(database.Create(to.Value, options), from);
        }

        return new BsonDocument();
    }

    /// <summary>
    /// convertToCapped: as mongod, a capped copy (only the _id index) takes the collection's place; when the size
    /// is smaller than the data, the oldest documents are left out as the capped collection evicts them.
    /// </summary>
    private static BsonDocument ConvertToCapped(CommandContext context)
    {
        var name = DataCommand.CollectionName(context);
        var options = CappedOptions(context.Command, "convertToCapped");
        lock (context.Storage.Sync)
        {
            var from = Existing(context, name, "source collection " + context.DatabaseName + "." + name + " does not exist");
            var database = from.Database;
            var temporary = "tmp" + Guid.NewGuid().ToString("N")[..5] + ".convertToCapped." + name;
            var copy = database.Create(temporary, options);
            CopyInto(copy, from);
            database.Drop(name);
            database.Drop(temporary);
            copy.Name = name;
            database.Attach(copy);
        }

        return new BsonDocument();
    }

    private static void CopyInto(CollectionData target, CollectionData source)
    {
        foreach (var document in source.Documents.ToArray())
        {
            target.Insert(CollectionData.PrepareForInsert(document));
        }
    }

    private static BsonDocument PlanCacheClear(CommandContext context)
    {
        var name = DataCommand.CollectionName(context);
        lock (context.Storage.Sync)
        {
            if (context.Storage.GetDatabase(context.DatabaseName)?.GetView(name) is not null)
                throw Errors.NotACollection(context.DatabaseName + "." + name);
        }

        // No plan is cached (every query is planned afresh) and no filter can be set: there is nothing to clear.
        return new BsonDocument();
    }

    private static BsonDocument PlanCacheListFilters(CommandContext context)
    {
        PlanCacheClear(context);
        return new BsonDocument("filters", new BsonArray());
    }
}
