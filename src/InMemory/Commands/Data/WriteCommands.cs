using Mongo.Bson;
using Mongo.InMemory.Engine;
using Mongo.InMemory.Engine.Query;

namespace Mongo.InMemory.Commands.Data;

/// <summary>insert, update, delete, findAndModify.</summary>
internal static partial class WriteCommands
{
    private const int MaxWriteBatchSize = 100_000;

    private static BsonDocument WriteError(int index, CommandException e)
    {
        var error = new BsonDocument { { "index", index }, { "code", e.Code } };
        if (e.Extra is not null)
            foreach (var (n, v) in e.Extra) error.Add(n, v);
        error.Add("errmsg", e.Message);
        return error;
    }

    private static BsonArray Statements(BsonDocument cmd, string field)
    {
        if (!cmd.TryGetValue(field, out var v))
            throw Errors.Location(40414, "BSON field '" + cmd.GetElement(0).Name + "." + field + "' is missing but a required field");
        if (v is not BsonArray a)
            throw Errors.TypeMismatch("BSON field '" + cmd.GetElement(0).Name + "." + field + "' is the wrong type '" + BsonOrder.TypeName(v) + "', expected type 'array'");
        if (a.Count == 0 || a.Count > MaxWriteBatchSize)
            throw Errors.InvalidLength("Write batch sizes must be between 1 and " + MaxWriteBatchSize + ". Got " + a.Count + " operations.");
        return a;
    }

    /// <summary>
    /// Applies each statement in turn: a statement's CommandException becomes a writeError with its index, and an
    /// ordered batch stops at the first one (the server's write-command semantics).
    /// </summary>
    /// <remarks>
    /// In a transaction the first write error stops the batch even when unordered (mongod fails the whole batch, and the
    /// transaction aborts), and an error that fails the whole command (a write conflict) is thrown rather than reported.
    /// Outside one, a statement that meets a document an open transaction holds waits for it and runs again.
    /// </remarks>
    private static BsonArray ApplyStatements(CommandContext context, BsonArray statements, bool ordered, string notADocument, Action<int, BsonDocument> apply,
        Action? afterWait = null)
    {
        var errors = new BsonArray();
        var inTransaction = context.Transaction is not null;
        for (var i = 0; i < statements.Count; i++)
        {
            OperationDeadline.Check(); // between statements: a large batch stops when its time runs out
            try
            {
                if (statements[i] is not BsonDocument statement) throw Errors.TypeMismatch(notADocument);
                var index = i;
                if (inTransaction) apply(index, statement);
                else Transactions.TransactionManager.RunStatement(context, () => apply(index, statement), afterWait);
            }
            catch (CommandException e) when (!e.FailsWholeCommand)
            {
                errors.Add(WriteError(i, e));
                if (ordered || inTransaction) break;
            }
        }

        return errors;
    }

    public static BsonDocument Insert(CommandContext context)
    {
        var cmd = context.Command;
        var collName = DataCommand.CollectionName(context);
        var documents = Statements(cmd, "documents");
        var ordered = DataCommand.OptionalBool(cmd, "ordered", true);
        var bypass = DataCommand.OptionalBool(cmd, "bypassDocumentValidation", false);
        var n = 0;
        BsonArray errors;
        lock (context.Storage.Sync)
        {
            // The collection is looked up per statement until found: on a view every statement fails on its own (with
            // CommandNotSupportedOnView, as a write error), as the server's one-at-a-time insert path reports it.
            CollectionData? coll = null;
            errors = ApplyStatements(context, documents, ordered, "Each document must be an object", (_, doc) =>
            {
                if (coll is null)
                {
                    coll = context.Storage.GetOrCreateCollection(context.DatabaseName, collName, out var _);
                    coll.Reserve(documents.Count);
                }

                // The documents were decoded from this request alone, so each is stored as it is rather than copied.
                var prepared = CollectionData.PrepareOwnedForInsert(doc, context.MessageLength);
                if (!bypass) coll.CheckValidator(prepared);
                coll.Insert(prepared);
                n++;
            }, afterWait: () => coll = null); // after waiting for a transaction the collection may have been dropped
        }
        var reply = new BsonDocument("n", n);
        if (errors.Count > 0) reply.Add("writeErrors", errors);
        return reply;
    }

    public static BsonDocument Delete(CommandContext context)
    {
        var cmd = context.Command;
        var collName = DataCommand.CollectionName(context);
        var deletes = Statements(cmd, "deletes");
        var ordered = DataCommand.OptionalBool(cmd, "ordered", true);
        var let = DataCommand.Let(cmd);
        var n = 0;
        BsonArray errors;
        lock (context.Storage.Sync)
        {
            // Looked up per statement, so that a view fails each statement as a write error (as update's statements do).
            var storage = context.Storage;
            errors = ApplyStatements(context, deletes, ordered, "Each delete statement must be an object",
                (_, stmt) => n += DeleteOne(storage.GetCollection(context.DatabaseName, collName), stmt, let));
        }
        var reply = new BsonDocument("n", n);
        if (errors.Count > 0) reply.Add("writeErrors", errors);
        return reply;
    }

    /// <summary>Applies one delete statement (<c>{q, limit, collation?, hint?}</c>); returns how many documents it deleted.</summary>
    private static int DeleteOne(CollectionData? coll, BsonDocument stmt, IReadOnlyDictionary<string, BsonValue>? let)
    {
        var q = DataCommand.OptionalDocument(stmt, "q") ?? throw Errors.Location(40414, "BSON field 'delete.deletes.q' is missing but a required field");
        if (!stmt.TryGetValue("limit", out var limitValue))
            throw Errors.Location(40414, "BSON field 'delete.deletes.limit' is missing but a required field");
        var limit = limitValue.ToInt64();
        if (limit is not (0 or 1)) throw Errors.FailedToParse("The limit field in delete objects must be 0 or 1. Got " + limit);
        var collator = Engine.Collation.Collator.Resolve(stmt, coll);
        var filter = FilterParser.Parse(q, let, collator);
        if (stmt.TryGetValue("hint", out var hint)) DataCommand.CheckHintValue(hint, coll);
        if (coll is null) return 0;
        var victims = coll.Find(filter, q, collator).ToList();
        if (limit == 1 && victims.Count > 1) victims.RemoveRange(1, victims.Count - 1);
        coll.BeforeWriteMany(victims);
        foreach (var v in victims) coll.Delete(v);
        return victims.Count;
    }

    public static BsonDocument Update(CommandContext context)
    {
        var cmd = context.Command;
        var collName = DataCommand.CollectionName(context);
        var updates = Statements(cmd, "updates");
        CheckPipelineStageNames(updates);
        var ordered = DataCommand.OptionalBool(cmd, "ordered", true);
        var bypass = DataCommand.OptionalBool(cmd, "bypassDocumentValidation", false);
        var let = DataCommand.Let(cmd);
        var n = 0;
        var nModified = 0;
        var upserted = new BsonArray();
        BsonArray errors;
        lock (context.Storage.Sync)
        {
            errors = ApplyStatements(context, updates, ordered, "Each update statement must be an object", (i, stmt) =>
            {
                var result = UpdateOne(context, collName, stmt, let, bypass);
                n += result.Matched;
                nModified += result.Modified;
                if (result.UpsertedId is not null)
                {
                    n++;
                    upserted.Add(new BsonDocument { { "index", i }, { "_id", result.UpsertedId } });
                }
            });
        }
        var reply = new BsonDocument { { "n", n }, { "nModified", nModified } };
        if (upserted.Count > 0) reply.Add("upserted", upserted);
        if (errors.Count > 0) reply.Add("writeErrors", errors);
        return reply;
    }

    /// <summary>
    /// mongod lite-parses every pipeline-style update of the command before running any (its authorization check reads
    /// the stages), so an unknown stage name fails the whole command (40324); a known stage an update does not allow
    /// ($group...) is each statement's own write error, reported when the statement runs.
    /// </summary>
    private static void CheckPipelineStageNames(BsonArray updates)
    {
        foreach (var statement in updates)
        {
            if (statement is not BsonDocument { } stmt || stmt.GetValueOrDefault("u") is not BsonArray pipeline) continue;
            foreach (var stage in pipeline)
            {
                if (stage is BsonDocument { ElementCount: 1 } sd && !Engine.Pipeline.AggregationPipeline.IsKnownStage(sd.GetElement(0).Name))
                    throw Errors.Location(40324, "Unrecognized pipeline stage name: '" + sd.GetElement(0).Name + "'");
            }
        }
    }

    private readonly record struct UpdateResult(int Matched, int Modified, BsonValue? UpsertedId, BsonDocument? Before, BsonDocument? After);

    private static UpdateResult UpdateOne(CommandContext context, string collName, BsonDocument stmt, IReadOnlyDictionary<string, BsonValue>? let, bool bypass)
    {
        var q = DataCommand.OptionalDocument(stmt, "q") ?? throw Errors.Location(40414, "BSON field 'update.updates.q' is missing but a required field");
        if (!stmt.TryGetValue("u", out var u)) throw Errors.Location(40414, "BSON field 'update.updates.u' is missing but a required field");
        var multi = DataCommand.OptionalBool(stmt, "multi", false);
        var upsert = DataCommand.OptionalBool(stmt, "upsert", false);
        var arrayFilters = DataCommand.OptionalArray(stmt, "arrayFilters");
        var storage = context.Storage;
        var coll = storage.GetCollection(context.DatabaseName, collName);
        var collator = Engine.Collation.Collator.Resolve(stmt, coll);
        var constants = DataCommand.OptionalDocument(stmt, "c");
        var vars = let;
        if (constants is not null)
        {
            var merged = new Dictionary<string, BsonValue>(StringComparer.Ordinal);
            if (let is not null) foreach (var kv in let) merged[kv.Key] = kv.Value;
            foreach (var (name, value) in constants) merged[name] = value;
            vars = merged;
        }
        var filter = FilterParser.Parse(q, vars, collator);
        var update = Engine.Updates.Update.Parse(u, arrayFilters, vars, collator);
        if (multi && update.IsReplacement) throw Errors.FailedToParse("multi update is not supported for replacement-style update");
        if (stmt.TryGetValue("hint", out var hint)) DataCommand.CheckHintValue(hint, coll);
        // Server 8.0: updateOne/replaceOne statements may say which match is "first".
        var sortDoc = DataCommand.OptionalDocument(stmt, "sort");
        if (sortDoc is not null && multi) throw Errors.FailedToParse("Cannot specify sort with multi=true");
        var sort = sortDoc is null ? null : SortSpec.Parse(sortDoc, collator);
        return Apply(storage, context.DatabaseName, collName, coll, filter, q, update, multi, upsert, sort, bypass, collator);
    }

    /// <summary>Applies an update to the matching documents (or upserts); shared by update and findAndModify.</summary>
    private static UpdateResult Apply(Storage storage, string db, string collName, CollectionData? coll, Filter filter, BsonDocument q,
        Engine.Updates.Update update, bool multi, bool upsert, SortSpec? sort, bool bypass, Engine.Collation.Collator? collator)
    {
        var matches = new List<(BsonDocument Doc, MatchState State)>();
        if (coll is not null)
        {
            foreach (var doc in coll.Candidates(q, collator))
            {
                OperationDeadline.Check();
                var state = new MatchState();
                if (filter.Matches(doc, state))
                {
                    matches.Add((doc, state));
                    if (!multi && sort is null) break;
                }
            }
        }
        if (sort is not null && matches.Count > 1) matches = sort.Sort(matches, m => m.Doc);
        if (!multi && matches.Count > 1) matches.RemoveRange(1, matches.Count - 1);
        if (matches.Count == 0)
        {
            if (!upsert) return new UpdateResult(0, 0, null, null, null);
            var target = coll ?? storage.GetOrCreateCollection(db, collName, out _);
            var seed = UpsertSeed(filter);
            var newDoc = update.Apply(seed, null, isInsert: true, out _);
            if (update.IsReplacement && seed.TryGetValue("_id", out var seedId) && !newDoc.Contains("_id"))
                newDoc.InsertAt(0, new BsonElement("_id", seedId));
            var prepared = CollectionData.PrepareForInsert(newDoc);
            if (!bypass) target.CheckValidator(prepared);
            target.Insert(prepared);
            return new UpdateResult(0, 0, prepared["_id"], null, prepared);
        }
        var modified = 0;
        BsonDocument? before = null, after = null;
        if (matches.Count > 1) coll!.BeforeWriteMany(matches.ConvertAll(m => m.Doc));
        foreach (var (doc, state) in matches)
        {
            var copy = (BsonDocument)doc.DeepClone();
            var result = update.Apply(copy, state, isInsert: false, out var changed);
            before ??= doc;
            if (changed)
            {
                CollectionData.ValidateForStorage(result);
                if (!bypass) coll!.CheckValidator(result, doc);
                coll!.Replace(doc, result);
                modified++;
            }
            after ??= changed ? result : doc;
        }
        return new UpdateResult(matches.Count, modified, null, before, after);
    }

    /// <summary>The document an upsert starts from: the filter's equality conditions (dotted paths expanded).</summary>
    private static BsonDocument UpsertSeed(Filter filter)
    {
        var equalities = new List<(string Path, BsonValue Value)>();
        filter.CollectEqualities(equalities);
        var seed = new BsonDocument();
        foreach (var (path, value) in equalities)
        {
            if (path.Split('.').Any(p => p.StartsWith('$'))) continue;
            if (value is BsonDocument vd && vd.ElementCount > 0 && vd.GetElement(0).Name.StartsWith('$')) continue;
            Engine.Pipeline.AggregationPipeline.SetPath(seed, path, value.DeepClone());
        }
        var id = seed.IndexOfName("_id");
        if (id > 0)
        {
            var v = seed[id];
            seed.RemoveAt(id);
            seed.InsertAt(0, new BsonElement("_id", v));
        }
        return seed;
    }
}
