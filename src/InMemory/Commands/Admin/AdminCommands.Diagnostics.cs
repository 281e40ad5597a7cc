using Mongo.Bson;
using Mongo.InMemory.Engine;

namespace Mongo.InMemory.Commands.Admin;

/// <summary>
/// The diagnostic commands tools and shells call: validate, currentOp, killOp, profile, dataSize, lockInfo, fsync and top,
/// in mongod 8.0's reply shapes. What an in-memory server has no equivalent for (profiling to system.profile, an
/// fsync lock) is refused with NotImplemented rather than pretended.
/// </summary>
internal static partial class AdminCommands
{
    private static IEnumerable<ICommandHandler> DiagnosticCommands() =>
    [
        new DelegateCommand(["validate"], Validate),
        new DelegateCommand(["currentOp"], CurrentOp),
        new DelegateCommand(["killOp"], KillOp),
        new DelegateCommand(["profile"], Profile),
        new DelegateCommand(["dataSize", "datasize"], DataSize),
        new DelegateCommand(["lockInfo"], static context =>
        {
            RequireAdmin(context);
            return new BsonDocument("lockInfo", new BsonArray()); // no operation waits for a lock between commands
        }),
        new DelegateCommand(["fsync"], Fsync),
        new DelegateCommand(["top"], static context =>
        {
            RequireAdmin(context);
            return new BsonDocument("totals", context.Server.Usage.Totals());
        }),
        new DelegateCommand(["rolesInfo"], RolesInfo),
    ];

    /// <summary>mongod's answer to an admin-only command run elsewhere.</summary>
    private static void RequireAdmin(CommandContext context)
    {
        if (context.DatabaseName != "admin")
        {
            throw Errors.Of(ErrorCodes.Unauthorized, context.CommandName + " may only be run against the admin database.");
        }
    }

    private static BsonDocument Validate(CommandContext context)
    {
        BsonValue target = context.Command[0];
        if (!target.IsString)
        {
            throw Errors.Of(ErrorCodes.InvalidNamespace, "collection name has invalid type " + BsonOrder.TypeName(target));
        }

        string ns = context.DatabaseName + "." + target.AsString;
        lock (context.Storage.Sync)
        {
            CollectionData collection = context.Storage.GetCollection(context.DatabaseName, target.AsString)
                ?? throw Errors.Of(ErrorCodes.NamespaceNotFound, "Collection '" + ns + "' does not exist to validate.");
            var keysPerIndex = new BsonDocument();
            var indexDetails = new BsonDocument();
            foreach (IndexData index in collection.Indexes)
            {
                long keys = 0;
                foreach (BsonDocument document in collection.Documents)
                {
                    keys += KeyCount(index, document);
                }

                keysPerIndex.Add(index.Name, new BsonInt64(keys));
                indexDetails.Add(index.Name, new BsonDocument("valid", true));
            }

            return new BsonDocument
            {
                { "ns", ns },
                { "uuid", new BsonBinaryData(collection.Uuid.ToByteArray(bigEndian: true), BsonBinarySubType.UuidStandard) },
                { "nInvalidDocuments", 0 },
                { "nNonCompliantDocuments", 0 },
                { "nrecords", collection.Count },
                { "nIndexes", collection.Indexes.Count },
                { "keysPerIndex", keysPerIndex },
                { "indexDetails", indexDetails },
                { "valid", true },
                { "repaired", false },
                { "warnings", new BsonArray() },
                { "errors", new BsonArray() },
                { "extraIndexEntries", new BsonArray() },
                { "missingIndexEntries", new BsonArray() },
                { "corruptRecords", new BsonArray() },
            };
        }
    }

    /// <summary>
    /// How many index keys a document has in an index: one per distinct value of its (at most one) array field, one
    /// for a missing field; none when a sparse index lacks every field or a partial index's filter does not match.
    /// </summary>
    private static long KeyCount(IndexData index, BsonDocument document)
    {
        if (index.Partial is { } partial && !partial.Matches(document))
        {
            return 0;
        }

        long count = 1;
        bool any = false;
        foreach (var (field, _) in index.Key)
        {
            var values = new List<BsonValue?>();
            FieldPath.Collect(document, field.Split('.'), 0, values, expandLeafArrays: true);
            var distinct = new HashSet<string>(StringComparer.Ordinal);
            foreach (BsonValue? value in values)
            {
                any |= value is not null;
                distinct.Add(BsonOrder.Key(value));
            }

            count *= Math.Max(1, distinct.Count);
        }

        return index.Sparse && !any ? 0 : count;
    }

    private static BsonDocument CurrentOp(CommandContext context)
    {
        RequireAdmin(context);

        // Commands run one at a time per connection and finish without waiting on each other, so the only operation in
        // progress when currentOp runs is currentOp itself (a cursor between getMores is not an operation).
        return new BsonDocument("inprog", new BsonArray { CurrentOpDocument(context) });
    }

    /// <summary>currentOp's (and $currentOp's) description of the command running in <paramref name="context"/>.</summary>
    internal static BsonDocument CurrentOpDocument(CommandContext context)
    {
        var connection = context.Connection;
        var op = new BsonDocument
        {
            { "type", "op" },
            { "host", context.Server.HostAndPort },
            { "desc", "conn" + connection.Id },
            { "connectionId", connection.Id },
            { "client", connection.RemoteEndPoint?.ToString() ?? string.Empty },
        };
        if (connection.AppName is { } appName)
        {
            op.Add("appName", appName);
        }

        if (connection.ClientMetadata is { } metadata)
        {
            op.Add("clientMetadata", metadata.DeepClone());
        }

        op.Add("active", true);
        op.Add("currentOpTime", DateTime.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss.fffzzz", System.Globalization.CultureInfo.InvariantCulture));
        op.Add("threaded", true);
        op.Add("opid", connection.Id);
        op.Add("secs_running", new BsonInt64(0));
        op.Add("microsecs_running", new BsonInt64(Math.Max(0, (Environment.TickCount64 - context.StartedAt) * 1000)));
        op.Add("op", "command");
        op.Add("ns", context.DatabaseName + ".$cmd");
        op.Add("command", context.Command.DeepClone());
        op.Add("numYields", 0);
        op.Add("waitingForLock", false);
        op.Add("locks", new BsonDocument());
        return op;
    }

    private static BsonDocument KillOp(CommandContext context)
    {
        RequireAdmin(context);
        if (!context.Command.TryGetValue("op", out BsonValue? op))
        {
            throw Engine.Errors.Of(40414, "BSON field 'killOp.op' is missing but a required field");
        }

        if (!op.IsNumeric)
        {
            throw Errors.Of(ErrorCodes.TypeMismatch, "BSON field 'killOp.op' is the wrong type '" + BsonOrder.TypeName(op) + "', expected types '[long, int, decimal, double]'");
        }

        // Operations finish before another command on the server can name them, so there is never anything to kill.
        return new BsonDocument("info", "attempting to kill op");
    }

    private static BsonDocument Profile(CommandContext context)
    {
        BsonValue level = context.Command[0];
        if (!level.IsNumeric)
        {
            throw Errors.Of(ErrorCodes.TypeMismatch, "BSON field 'profile' is the wrong type '" + BsonOrder.TypeName(level) + "', expected types '[long, int, decimal, double]'");
        }

        long requested = level.ToInt64();
        if (requested is < -1 or > 2)
        {
            throw Errors.Of(ErrorCodes.BadValue, "Invalid profiling level: " + requested);
        }

        if (requested is 1 or 2)
        {
            throw Engine.Errors.Of(ErrorCodes.NotImplemented, "Mongo.InMemory does not profile operations (profiling level " + requested + " would write system.profile)");
        }

        // Level -1 reads the settings and 0 (already the level) changes nothing.
        return new BsonDocument
        {
            { "was", 0 },
            { "slowms", 100 },
            { "sampleRate", 1.0 },
        };
    }

    private static BsonDocument DataSize(CommandContext context)
    {
        BsonValue target = context.Command[0];
        if (!target.IsString)
        {
            throw Errors.Of(ErrorCodes.TypeMismatch, "BSON field 'dataSize.dataSize' is the wrong type '" + BsonOrder.TypeName(target) + "', expected type 'string'");
        }

        string ns = target.AsString;
        int dot = ns.IndexOf('.', StringComparison.Ordinal);
        if (dot <= 0 || dot == ns.Length - 1)
        {
            throw Errors.Of(ErrorCodes.InvalidNamespace, "Invalid namespace specified '" + ns + "'");
        }

        if (context.Command.Contains("keyPattern") || context.Command.Contains("min") || context.Command.Contains("max"))
        {
            throw Engine.Errors.Of(ErrorCodes.NotImplemented, "dataSize with keyPattern/min/max is not supported by Mongo.InMemory");
        }

        long started = Environment.TickCount64;
        long size = 0;
        int count = 0;
        lock (context.Storage.Sync)
        {
            if (context.Storage.GetCollection(ns[..dot], ns[(dot + 1)..]) is { } collection)
            {
                size = collection.DataSize();
                count = collection.Count;
            }
        }

        return new BsonDocument
        {
            { "estimate", false },
            { "size", new BsonInt64(size) },
            { "numObjects", new BsonInt64(count) },
            { "millis", new BsonInt64(Environment.TickCount64 - started) },
        };
    }

    private static BsonDocument Fsync(CommandContext context)
    {
        RequireAdmin(context);
        if (context.Command.TryGetValue("lock", out BsonValue? locking) && locking.ToBoolean())
        {
            throw Engine.Errors.Of(ErrorCodes.NotImplemented, "fsync with lock: true is not supported by Mongo.InMemory (there are no files to hold still)");
        }

        // Nothing is on disk, so everything is as durable as it will ever be.
        return new BsonDocument("numFiles", 1);
    }
}
