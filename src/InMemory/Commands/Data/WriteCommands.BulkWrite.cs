using Mongo.Bson;
using Mongo.InMemory.Engine;

namespace Mongo.InMemory.Commands.Data;

/// <summary>
/// The 8.0 <c>bulkWrite</c> admin command: <c>ops</c> across the namespaces of <c>nsInfo</c>, each op applied with
/// the same statement machinery as insert/update/delete, results (or only errors) returned as a cursor.
/// </summary>
internal static partial class WriteCommands
{
    private const string BulkWriteCursorNamespace = "admin.$cmd.bulkWrite";

    public static BsonDocument BulkWrite(CommandContext context)
    {
        DataCommand.RequireAdmin(context);
        var cmd = context.Command;
        var ops = BulkWriteArray(cmd, "ops");
        var nsInfo = BulkWriteArray(cmd, "nsInfo");
        if (ops.Count > MaxWriteBatchSize)
            throw Errors.InvalidLength("Write batch sizes must be between 1 and " + MaxWriteBatchSize + ". Got " + ops.Count + " operations.");
        var namespaces = new (string Db, string Coll)[nsInfo.Count];
        for (var i = 0; i < nsInfo.Count; i++)
        {
            if (nsInfo[i] is not BsonDocument info || info.GetValueOrDefault("ns") is not BsonString ns)
                throw Errors.TypeMismatch("BSON field 'bulkWrite.nsInfo.ns' is missing or is not a string");
            namespaces[i] = SplitNamespace(ns.Value);
        }

        var ordered = DataCommand.OptionalBool(cmd, "ordered", true);
        var bypass = DataCommand.OptionalBool(cmd, "bypassDocumentValidation", false);
        var errorsOnly = DataCommand.OptionalBool(cmd, "errorsOnly", false);
        var let = DataCommand.Let(cmd);
        int? batchSize = DataCommand.OptionalDocument(cmd, "cursor") is { } cursorOptions ? DataCommand.BatchSize(cursorOptions) : null;
        var results = new List<BsonDocument>();
        int nErrors = 0, nInserted = 0, nMatched = 0, nModified = 0, nUpserted = 0, nDeleted = 0;
        lock (context.Storage.Sync)
        {
            for (var idx = 0; idx < ops.Count; idx++)
            {
                BsonDocument result;
                try
                {
                    if (ops[idx] is not BsonDocument op || op.ElementCount == 0)
                        throw Errors.TypeMismatch("BulkWrite ops entry " + idx + " must be a non-empty object");
                    var (db, collName) = Target(op, namespaces, idx);
                    BsonDocument? opResult = null;
                    void Apply() => opResult = op.GetElement(0).Name switch
                    {
                        "insert" => BulkInsert(context, idx, db, collName, op, bypass, ref nInserted),
                        "update" => BulkUpdate(context, idx, db, collName, op, let, bypass, ref nMatched, ref nModified, ref nUpserted),
                        _ => BulkDelete(context, idx, db, collName, op, let, ref nDeleted),
                    };
                    if (context.Transaction is null) Transactions.TransactionManager.RunStatement(context, Apply);
                    else Apply();
                    result = opResult!;
                }
                catch (CommandException e) when (!e.FailsWholeCommand)
                {
                    nErrors++;
                    result = new BsonDocument { { "ok", 0.0 }, { "idx", idx }, { "code", e.Code }, { "codeName", e.CodeName }, { "errmsg", e.Message } };
                    if (e.Extra is not null)
                        foreach (var (n, v) in e.Extra) result.Set(n, v);
                    result.Add("n", 0);
                    results.Add(result);
                    if (ordered || context.Transaction is not null) break; // a transaction fails the whole batch
                    continue;
                }

                if (!errorsOnly) results.Add(result);
            }
        }

        var reply = context.Server.Cursors.CreateCursorReply(BulkWriteCursorNamespace, results, batchSize ?? int.MaxValue);
        reply.Add("nErrors", nErrors);
        reply.Add("nInserted", nInserted);
        reply.Add("nMatched", nMatched);
        reply.Add("nModified", nModified);
        reply.Add("nUpserted", nUpserted);
        reply.Add("nDeleted", nDeleted);
        return reply;
    }

    private static BsonArray BulkWriteArray(BsonDocument cmd, string field)
    {
        if (!cmd.TryGetValue(field, out var v))
            throw Errors.Location(40414, "BSON field 'bulkWrite." + field + "' is missing but a required field");
        if (v is not BsonArray a)
            throw Errors.TypeMismatch("BSON field 'bulkWrite." + field + "' is the wrong type '" + BsonOrder.TypeName(v) + "', expected type 'array'");
        if (a.Count == 0)
            throw Errors.BadValue("BSON field 'bulkWrite." + field + "' must not be empty");
        return a;
    }

    private static (string Db, string Coll) SplitNamespace(string ns)
    {
        var dot = ns.IndexOf('.', StringComparison.Ordinal);
        if (dot <= 0 || dot == ns.Length - 1)
            throw Errors.InvalidNamespace("Invalid namespace specified '" + ns + "'");
        return (ns[..dot], ns[(dot + 1)..]);
    }

    /// <summary>The namespace an op names by its first element's value (an index into nsInfo).</summary>
    private static (string Db, string Coll) Target(BsonDocument op, (string Db, string Coll)[] namespaces, int idx)
    {
        var first = op.GetElement(0);
        if (first.Name is not ("insert" or "update" or "delete"))
            throw Errors.FailedToParse("Unrecognized bulkWrite operation '" + first.Name + "' in ops entry " + idx);
        if (!first.Value.IsNumeric)
            throw Errors.TypeMismatch("BSON field 'bulkWrite.ops." + first.Name + "' is the wrong type '" + BsonOrder.TypeName(first.Value) + "', expected type 'int'");
        var index = first.Value.ToInt64();
        if (index < 0 || index >= namespaces.Length)
            throw Errors.BadValue("BulkWrite ops entry " + idx + " has an invalid nsInfo index " + index);
        return namespaces[index];
    }

    private static BsonDocument BulkInsert(CommandContext context, int idx, string db, string collName, BsonDocument op, bool bypass, ref int nInserted)
    {
        var document = DataCommand.OptionalDocument(op, "document") ?? throw Errors.Location(40414, "BSON field 'bulkWrite.insert.document' is missing but a required field");
        // Decoded from this request alone: stored as it is rather than copied.
        var prepared = CollectionData.PrepareOwnedForInsert(document, context.MessageLength);
        var coll = context.Storage.GetOrCreateCollection(db, collName, out _);
        if (!bypass) coll.CheckValidator(prepared);
        coll.Insert(prepared);
        nInserted++;
        return new BsonDocument { { "ok", 1.0 }, { "idx", idx }, { "n", 1 } };
    }

    private static BsonDocument BulkUpdate(CommandContext context, int idx, string db, string collName, BsonDocument op, IReadOnlyDictionary<string, BsonValue>? let, bool bypass,
        ref int nMatched, ref int nModified, ref int nUpserted)
    {
        // The update command's statement shape, so both commands share one implementation.
        var stmt = new BsonDocument
        {
            { "q", DataCommand.OptionalDocument(op, "filter") ?? throw Errors.Location(40414, "BSON field 'bulkWrite.update.filter' is missing but a required field") },
            { "u", op.GetValueOrDefault("updateMods") ?? throw Errors.Location(40414, "BSON field 'bulkWrite.update.updateMods' is missing but a required field") },
        };
        foreach (var name in (ReadOnlySpan<string>)["multi", "upsert", "arrayFilters", "hint", "collation", "sort"])
        {
            if (op.TryGetValue(name, out var value)) stmt.Add(name, value);
        }

        if (op.TryGetValue("constants", out var constants)) stmt.Add("c", constants);
        var scoped = new CommandContext { DatabaseName = db, Command = context.Command, MessageLength = context.MessageLength, Server = context.Server, Connection = context.Connection, Transaction = context.Transaction, StartedAt = context.StartedAt, ExpiresAt = context.ExpiresAt };
        var result = UpdateOne(scoped, collName, stmt, let, bypass);
        nMatched += result.Matched;
        nModified += result.Modified;
        var reply = new BsonDocument { { "ok", 1.0 }, { "idx", idx }, { "n", result.Matched }, { "nModified", result.Modified } };
        if (result.UpsertedId is not null)
        {
            nUpserted++;
            reply["n"] = 1;
            reply.Add("upserted", new BsonDocument("_id", result.UpsertedId));
        }

        return reply;
    }

    private static BsonDocument BulkDelete(CommandContext context, int idx, string db, string collName, BsonDocument op, IReadOnlyDictionary<string, BsonValue>? let, ref int nDeleted)
    {
        var stmt = new BsonDocument
        {
            { "q", DataCommand.OptionalDocument(op, "filter") ?? throw Errors.Location(40414, "BSON field 'bulkWrite.delete.filter' is missing but a required field") },
            { "limit", DataCommand.OptionalBool(op, "multi", false) ? 0 : 1 },
        };
        foreach (var name in (ReadOnlySpan<string>)["hint", "collation"])
        {
            if (op.TryGetValue(name, out var value)) stmt.Add(name, value);
        }

        var n = DeleteOne(context.Storage.GetCollection(db, collName), stmt, let);
        nDeleted += n;
        return new BsonDocument { { "ok", 1.0 }, { "idx", idx }, { "n", n } };
    }
}
