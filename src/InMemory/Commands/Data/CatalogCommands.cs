using Mongo.Bson;
using Mongo.InMemory.Engine;
using Mongo.InMemory.Engine.Query;

namespace Mongo.InMemory.Commands.Data;

/// <summary>create, drop, dropDatabase, listCollections, listDatabases, renameCollection, collStats, dbStats.</summary>
internal static partial class CatalogCommands
{
    private static readonly HashSet<string> GenericFields =
    [
        "$db", "lsid", "txnNumber", "autocommit", "startTransaction", "writeConcern", "readConcern", "$clusterTime", "$readPreference",
        "comment", "maxTimeMS", "apiVersion", "apiStrict", "apiDeprecationErrors", "$audit", "$client", "mayBypassWriteBlocking",
    ];

    public static BsonDocument Create(CommandContext context)
    {
        var cmd = context.Command;
        var name = DataCommand.CollectionName(context);
        if (IsGiven(cmd, "viewOn"))
        {
            if (context.Transaction is not null)
                throw Transactions.TransactionErrors.NotSupported("Cannot create a view in a multi-document transaction.");
            return CreateView(context, name);
        }
        if (IsGiven(cmd, "pipeline")) throw Errors.InvalidOptions("'pipeline' requires 'viewOn' to also be specified");
        var options = new BsonDocument();
        for (var i = 1; i < cmd.ElementCount; i++)
        {
            var (field, value) = cmd.GetElement(i);
            if (GenericFields.Contains(field)) continue;
            switch (field)
            {
                case "capped":
                    break;
                case "viewOn":
                case "pipeline":
                    continue; // null: not given
                case "timeseries":
                    throw Errors.NotImplemented("time-series collections are not supported by Mongo.InMemory");
                case "encryptedFields":
                    if (!context.Server.IsReplicaSet && !context.Server.IsRouter)
                        throw Errors.Location(6346402, "Encrypted collections are not supported on standalone");
                    throw Errors.NotImplemented("Queryable Encryption (encryptedFields) is not supported by Mongo.InMemory");
                case "clusteredIndex":
                    // Queryable Encryption's clients create the enxcol_ state collections (clustered) before the collection.
                    if (name.StartsWith("enxcol_.", StringComparison.Ordinal))
                        throw Errors.NotImplemented("Queryable Encryption is not supported by Mongo.InMemory (its state collection " + name + " would need a clustered index)");
                    throw Errors.NotImplemented("clustered collections are not supported by Mongo.InMemory");
                case "collation":
                    // Stored fully defaulted, as listCollections reports it; {locale: "simple"} is no default at all.
                    var collator = Engine.Collation.Collator.Parse(value);
                    if (collator is not null) options.Add(field, collator.Spec.DeepClone());
                    continue;
                case "validator":
                    if (value is not BsonDocument vd) throw Errors.TypeMismatch("'validator' option must be an object");
                    FilterParser.Parse(vd);
                    break;
                case "size":
                case "max":
                case "validationLevel":
                case "validationAction":
                case "storageEngine":
                case "indexOptionDefaults":
                case "changeStreamPreAndPostImages":
                case "expireAfterSeconds":
                case "idIndex":
                case "flags":
                case "autoIndexId":
                    break;
                default:
                    throw Errors.Location(40415, "BSON field 'create." + field + "' is an unknown field.");
            }
            options.Add(field, value.DeepClone());
        }
        CollectionData.NormalizeCappedOptions(options);
        lock (context.Storage.Sync)
        {
            var db = context.Storage.GetOrCreateDatabase(context.DatabaseName);
            try
            {
                db.Create(name, options);
            }
            catch (CommandException)
            {
                context.Storage.RemoveEmptyDatabase(context.DatabaseName);
                throw;
            }
        }
        return new BsonDocument();
    }

    /// <summary>collMod: validator settings and index options (expireAfterSeconds, hidden).</summary>
    public static BsonDocument CollMod(CommandContext context)
    {
        var cmd = context.Command;
        var name = DataCommand.CollectionName(context);
        var reply = new BsonDocument();
        lock (context.Storage.Sync)
        {
            // collMod changes the options, index specifications or view in place: the history keeps them as they were.
            context.Storage.History?.CatalogChanging(context.Storage);
            if (context.Storage.GetDatabase(context.DatabaseName)?.GetView(name) is { } view)
            {
                ModifyView(context, view);
                return reply;
            }

            var coll = context.Storage.GetCollection(context.DatabaseName, name)
                ?? throw Errors.NamespaceNotFound("ns does not exist: " + DataCommand.Namespace(context, name));
            for (var i = 1; i < cmd.ElementCount; i++)
            {
                var (field, value) = cmd.GetElement(i);
                if (GenericFields.Contains(field)) continue;
                switch (field)
                {
                    case "viewOn":
                    case "pipeline":
                        throw Errors.InvalidOptions("option only supported on a view: " + field);
                    case "validator":
                        if (value is not BsonDocument vd) throw Errors.TypeMismatch("'validator' option must be an object");
                        FilterParser.Parse(vd);
                        coll.Options.Set(field, vd.DeepClone());
                        break;
                    case "validationLevel":
                        if (value is not BsonString { Value: "off" or "strict" or "moderate" })
                            throw Errors.BadValue("Enumeration value '" + Shell.Format(value) + "' for field 'validationLevel' is not a valid value.");
                        coll.Options.Set(field, value);
                        break;
                    case "validationAction":
                        if (value is not BsonString { Value: "error" or "warn" })
                            throw Errors.BadValue("Enumeration value '" + Shell.Format(value) + "' for field 'validationAction' is not a valid value.");
                        coll.Options.Set(field, value);
                        break;
                    case "index":
                        {
                            if (value is not BsonDocument spec) throw Errors.TypeMismatch("'index' option must be an object");
                            IndexData? index = null;
                            if (spec.TryGetValue("name", out var n) && n is BsonString ns) index = coll.FindIndexByName(ns.Value);
                            else if (spec.TryGetValue("keyPattern", out var k) && k is BsonDocument kd) index = coll.FindIndexByKey(kd);
                            else throw Errors.InvalidOptions("must specify either index name or key pattern for collMod");
                            if (index is null) throw Errors.IndexNotFound("cannot find index " + Shell.Format(spec) + " for ns " + coll.FullName);
                            foreach (var (option, optionValue) in spec)
                            {
                                switch (option)
                                {
                                    case "name":
                                    case "keyPattern":
                                        break;
                                    case "expireAfterSeconds":
                                        if (!optionValue.IsNumeric || optionValue.ToDouble() < 0) throw Errors.BadValue("expireAfterSeconds must be a number >= 0");
                                        if (!index.Spec.TryGetValue("expireAfterSeconds", out var old))
                                            throw Errors.InvalidOptions("no expireAfterSeconds field to update");
                                        reply.Set("expireAfterSeconds_old", old);
                                        reply.Set("expireAfterSeconds_new", optionValue);
                                        index.Spec.Set("expireAfterSeconds", optionValue);
                                        break;
                                    case "hidden":
                                        if (index.IsId) throw Errors.BadValue("can't hide _id index");
                                        reply.Set("hidden_old", index.Spec.GetValueOrDefault("hidden") ?? false);
                                        reply.Set("hidden_new", optionValue.ToBoolean());
                                        if (optionValue.ToBoolean()) index.Spec.Set("hidden", true);
                                        else index.Spec.Remove("hidden");
                                        break;
                                    default:
                                        throw Errors.InvalidOptions("unknown collMod index option: " + option);
                                }
                            }
                            break;
                        }
                    default:
                        throw Errors.InvalidOptions("unknown option to collMod: " + field);
                }
            }
        }
        return reply;
    }

    public static BsonDocument Drop(CommandContext context)
    {
        var name = DataCommand.CollectionName(context);
        lock (context.Storage.Sync)
        {
            var storage = context.Storage;
            var db = storage.GetDatabase(context.DatabaseName);
            if (db?.DropView(name) == true)
            {
                // Views that read this one stay: like a view whose source was dropped, they now read as empty.
                storage.RemoveEmptyDatabase(context.DatabaseName);
                return new BsonDocument();
            }

            var coll = db?.Get(name);
            if (coll is null) return new BsonDocument();
            var count = coll.Indexes.Count;
            db!.Drop(name);
            storage.RemoveEmptyDatabase(context.DatabaseName);
            return new BsonDocument { { "nIndexesWas", count }, { "ns", coll.FullName } };
        }
    }

    public static BsonDocument DropDatabase(CommandContext context)
    {
        lock (context.Storage.Sync)
        {
            context.Storage.DropDatabase(context.DatabaseName);
        }
        return new BsonDocument("dropped", context.DatabaseName);
    }

    public static BsonDocument ListCollections(CommandContext context)
    {
        var cmd = context.Command;
        var filterDoc = DataCommand.OptionalDocument(cmd, "filter");
        var nameOnly = DataCommand.OptionalBool(cmd, "nameOnly", false);
        var cursor = DataCommand.OptionalDocument(cmd, "cursor");
        var batchSize = cursor is null ? null : DataCommand.BatchSize(cursor);
        var filter = FilterParser.Parse(filterDoc);
        var results = new List<BsonDocument>();
        lock (context.Storage.Sync)
        {
            var db = context.Storage.GetDatabase(context.DatabaseName);
            if (db is not null)
            {
                var entries = db.Collections.Select(CollectionEntry).Concat(db.Views.Select(ViewEntry));
                foreach (var full in entries.OrderBy(e => e["name"].AsString, StringComparer.Ordinal))
                {
                    if (!filter.Matches(full)) continue;
                    results.Add(nameOnly ? new BsonDocument { { "name", full["name"] }, { "type", full["type"] } } : full);
                }
            }
        }
        return context.Server.Cursors.CreateCursorReply(context.DatabaseName + ".$cmd.listCollections", results, batchSize);
    }

    internal static BsonDocument CollectionEntry(CollectionData coll) => new()
    {
        { "name", coll.Name },
        { "type", "collection" },
        { "options", coll.Options.DeepClone() },
        { "info", new BsonDocument { { "readOnly", false }, { "uuid", BsonBinaryData.FromGuid(coll.Uuid, GuidRepresentation.Standard) } } },
        { "idIndex", new BsonDocument { { "v", 2 }, { "key", new BsonDocument("_id", 1) }, { "name", "_id_" } } },
    };

    public static BsonDocument ListDatabases(CommandContext context)
    {
        DataCommand.RequireAdmin(context);
        var cmd = context.Command;
        var nameOnly = DataCommand.OptionalBool(cmd, "nameOnly", false);
        var filter = FilterParser.Parse(DataCommand.OptionalDocument(cmd, "filter"));
        var list = new BsonArray();
        long total = 0;
        lock (context.Storage.Sync)
        {
            foreach (var db in context.Storage.Databases.OrderBy(d => d.Name, StringComparer.Ordinal))
            {
                if (db.IsEmpty) continue;
                long size = 0;
                foreach (var c in db.Collections) size += SizeOnDisk(c);
                var entry = new BsonDocument { { "name", db.Name }, { "sizeOnDisk", size }, { "empty", db.Collections.All(c => c.Count == 0) } };
                if (!filter.Matches(entry)) continue;
                total += size;
                list.Add(nameOnly ? new BsonDocument("name", db.Name) : entry);
            }
        }
        var reply = new BsonDocument("databases", list);
        if (!nameOnly)
        {
            reply.Add("totalSize", total);
            reply.Add("totalSizeMb", total / (1024 * 1024));
        }
        return reply;
    }

    // WiredTiger never reports less than a page per collection and index; mimic a plausible, non-zero size.
    private static long SizeOnDisk(CollectionData c) => 4096L * (1 + c.Indexes.Count) + c.DataSize();

    public static BsonDocument RenameCollection(CommandContext context)
    {
        DataCommand.RequireAdmin(context);
        var cmd = context.Command;
        var source = DataCommand.CollectionName(context);
        if (!cmd.TryGetValue("to", out var toValue) || toValue is not BsonString to)
            throw Errors.Location(40414, "BSON field 'renameCollection.to' is missing but a required field");
        var dropTarget = DataCommand.OptionalBool(cmd, "dropTarget", false);
        var (sdb, scoll) = Split(source);
        var (tdb, tcoll) = Split(to.Value);
        if (source == to.Value) throw Errors.IllegalOperation("Can't rename a collection to itself");
        lock (context.Storage.Sync)
        {
            var storage = context.Storage;
            var coll = storage.GetCollection(sdb, scoll) ?? throw Errors.NamespaceNotFound("Source collection " + source + " does not exist");
            var targetDb = storage.GetOrCreateDatabase(tdb);
            Storage.ValidateCollectionName(tdb, tcoll);
            if (targetDb.Get(tcoll) is not null || targetDb.GetView(tcoll) is not null)
            {
                if (!dropTarget) throw Errors.NamespaceExists("target namespace exists");
                targetDb.Drop(tcoll);
                targetDb.DropView(tcoll);
            }
            storage.GetDatabase(sdb)!.Drop(scoll);
            coll.Database = targetDb;
            coll.Name = tcoll;
            targetDb.Attach(coll);
            storage.RemoveEmptyDatabase(sdb);
        }
        return new BsonDocument();
    }

    private static (string Db, string Coll) Split(string ns)
    {
        var dot = ns.IndexOf('.', StringComparison.Ordinal);
        if (dot <= 0 || dot == ns.Length - 1) throw Errors.InvalidNamespace("Invalid namespace specified '" + ns + "'");
        return (ns[..dot], ns[(dot + 1)..]);
    }

    public static BsonDocument CollStats(CommandContext context)
    {
        var name = DataCommand.CollectionName(context);
        var scale = DataCommand.OptionalLong(context.Command, "scale") ?? 1;
        if (scale < 1) throw Errors.BadValue("scale has to be >= 1");
        lock (context.Storage.Sync)
        {
            var coll = context.Storage.GetCollection(context.DatabaseName, name);
            var ns = DataCommand.Namespace(context, name);
            if (coll is null) throw Errors.NamespaceNotFound("Collection [" + ns + "] not found.");
            return coll.StorageStats(ns, scale);
        }
    }

    public static BsonDocument DbStats(CommandContext context)
    {
        var scale = DataCommand.OptionalLong(context.Command, "scale") ?? 1;
        if (scale < 1) throw Errors.BadValue("Scale factor must be greater than zero");
        lock (context.Storage.Sync)
        {
            var db = context.Storage.GetDatabase(context.DatabaseName);
            var collections = db?.Collections.ToList() ?? [];
            long objects = 0, dataSize = 0, indexes = 0;
            foreach (var c in collections)
            {
                objects += c.Count;
                dataSize += c.DataSize();
                indexes += c.Indexes.Count;
            }
            var storageSize = dataSize + 4096L * collections.Count;
            var indexSize = 4096L * indexes;
            return new BsonDocument
            {
                { "db", context.DatabaseName },
                { "collections", collections.Count },
                { "views", db?.Views.Count() ?? 0 },
                { "objects", objects },
                { "avgObjSize", objects == 0 ? 0.0 : (double)dataSize / objects },
                { "dataSize", (double)dataSize / scale },
                { "storageSize", (double)storageSize / scale },
                { "indexes", indexes },
                { "indexSize", (double)indexSize / scale },
                { "totalSize", (double)(storageSize + indexSize) / scale },
                { "scaleFactor", scale },
                { "fsUsedSize", 0.0 },
                { "fsTotalSize", 0.0 },
            };
        }
    }
}
