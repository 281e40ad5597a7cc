using Mongo.Bson;
using Mongo.InMemory.Engine;

namespace Mongo.InMemory.Commands.Data;

/// <summary>createIndexes, listIndexes, dropIndexes.</summary>
internal static class IndexCommands
{
    public static BsonDocument CreateIndexes(CommandContext context)
    {
        var cmd = context.Command;
        var name = DataCommand.CollectionName(context);
        if (!cmd.TryGetValue("indexes", out var iv) || iv is not BsonArray specs)
            throw Errors.Location(40414, "BSON field 'createIndexes.indexes' is missing but a required field");
        if (specs.Count == 0) throw Errors.BadValue("Must specify at least one index to create");
        // An index created without a collation takes the collection's default one.
        Engine.Collation.Collator? collectionDefault;
        lock (context.Storage.Sync) collectionDefault = context.Storage.GetCollection(context.DatabaseName, name)?.DefaultCollator;
        var normalized = specs.Select(s => IndexData.NormalizeSpec(s, collectionDefault)).ToList();
        lock (context.Storage.Sync)
        {
            var storage = context.Storage;
            var coll = storage.GetOrCreateCollection(context.DatabaseName, name, out var created);
            var before = coll.Indexes.Count;
            var toAdd = new List<BsonDocument>();
            foreach (var spec in normalized)
            {
                var indexName = spec["name"].AsString;
                var key = spec["key"].AsDocument;
                var byName = coll.FindIndexByName(indexName) ?? Find(toAdd, indexName);
                var existing = byName ?? coll.FindIndexByKey(key);
                if (byName is not null)
                {
                    if (!CollectionData.KeysEqual(byName.Key, key))
                        throw Errors.IndexKeySpecsConflict("An existing index has the same name as the requested index. When index names are not specified, they are auto generated and can cause conflicts. Please refer to our documentation. Requested index: " +
                            Shell.Format(spec) + ", existing index: " + Shell.Format(byName.Spec));
                    if (!byName.SameOptions(spec))
                        throw Errors.IndexOptionsConflict("An equivalent index already exists with the same name but different options. Requested index: " +
                            Shell.Format(spec) + ", existing index: " + Shell.Format(byName.Spec));
                    continue;
                }
                if (existing is not null)
                {
                    if (existing.SameOptions(spec) || existing.IsId)
                        throw Errors.IndexOptionsConflict("Index already exists with a different name: " + existing.Name);
                    throw Errors.IndexOptionsConflict("An equivalent index already exists with a different name and options. Requested index: " +
                        Shell.Format(spec) + ", existing index: " + Shell.Format(existing.Spec));
                }
                if (key.Contains("_fts"))
                {
                    // mongod builds one text index per collection.
                    var otherText = coll.Indexes.FirstOrDefault(i => i.Text is not null)?.Name ?? toAdd.Find(p => p["key"].AsDocument.Contains("_fts"))?["name"].AsString;
                    if (otherText is not null)
                        throw Errors.CannotCreateIndex("only one text index per collection allowed, found existing text index \"" + otherText + "\"");
                }
                toAdd.Add(spec);
            }
            var added = new List<IndexData>();
            try
            {
                foreach (var spec in toAdd)
                {
                    var index = new IndexData(spec);
                    coll.AddIndex(index);
                    added.Add(index);
                }
            }
            catch (CommandException)
            {
                foreach (var index in added) coll.DropIndex(index);
                throw;
            }
            var reply = new BsonDocument { { "numIndexesBefore", before }, { "numIndexesAfter", coll.Indexes.Count } };
            if (toAdd.Count == 0) reply.Add("note", "all indexes already exist");
            else reply.Add("createdCollectionAutomatically", created);
            return reply;
        }
    }

    private static IndexData? Find(List<BsonDocument> pending, string name)
    {
        foreach (var p in pending)
            if (p["name"].AsString == name) return new IndexData(p);
        return null;
    }

    public static BsonDocument ListIndexes(CommandContext context)
    {
        var name = DataCommand.CollectionName(context);
        var cursor = DataCommand.OptionalDocument(context.Command, "cursor");
        var batchSize = cursor is null ? null : DataCommand.BatchSize(cursor);
        List<BsonDocument> results;
        lock (context.Storage.Sync)
        {
            var coll = context.Storage.GetCollection(context.DatabaseName, name)
                ?? throw Errors.NamespaceNotFound("ns does not exist: " + DataCommand.Namespace(context, name));
            results = coll.Indexes.Select(i => (BsonDocument)i.Spec.DeepClone()).ToList();
        }
        return context.Server.Cursors.CreateCursorReply(context.DatabaseName + ".$cmd.listIndexes." + name, results, batchSize);
    }

    public static BsonDocument DropIndexes(CommandContext context)
    {
        var cmd = context.Command;
        var name = DataCommand.CollectionName(context);
        if (!cmd.TryGetValue("index", out var target))
            throw Errors.Location(40414, "BSON field 'dropIndexes.index' is missing but a required field");
        lock (context.Storage.Sync)
        {
            var coll = context.Storage.GetCollection(context.DatabaseName, name)
                ?? throw Errors.NamespaceNotFound("ns not found " + DataCommand.Namespace(context, name));
            var before = coll.Indexes.Count;
            var victims = new List<IndexData>();
            switch (target)
            {
                case BsonString { Value: "*" }:
                    victims.AddRange(coll.Indexes.Where(i => !i.IsId));
                    break;
                case BsonString s:
                    victims.Add(ByName(coll, s.Value));
                    break;
                case BsonArray names:
                    foreach (var n in names)
                    {
                        if (n is not BsonString ns) throw Errors.TypeMismatch("dropIndexes index names must be strings");
                        if (ns.Value == "*") throw Errors.BadValue("'*' is not allowed in an array of index names");
                        victims.Add(ByName(coll, ns.Value));
                    }
                    break;
                case BsonDocument key:
                    {
                        var index = coll.FindIndexByKey(key) ?? throw Errors.IndexNotFound("can't find index with key: " + Shell.Format(key));
                        if (index.IsId) throw Errors.InvalidOptions("cannot drop _id index");
                        victims.Add(index);
                        break;
                    }
                default:
                    throw Errors.TypeMismatch("dropIndexes 'index' must be a string, an array of strings or an object");
            }
            foreach (var v in victims) coll.DropIndex(v);
            return new BsonDocument("nIndexesWas", before);
        }
    }

    private static IndexData ByName(CollectionData coll, string name)
    {
        if (name == "_id_") throw Errors.InvalidOptions("cannot drop _id index");
        return coll.FindIndexByName(name) ?? throw Errors.IndexNotFound("index not found with name [" + name + "]");
    }
}
