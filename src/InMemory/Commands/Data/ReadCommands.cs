using Mongo.Bson;
using Mongo.InMemory.Cursors;
using Mongo.InMemory.Engine;
using Mongo.InMemory.Engine.Collation;
using Mongo.InMemory.Engine.Pipeline;
using Mongo.InMemory.Engine.Query;

namespace Mongo.InMemory.Commands.Data;

/// <summary>find, count, distinct, aggregate. Each reads through <see cref="Storage.OpenForRead"/>, so views work alike.</summary>
internal static partial class ReadCommands
{
    public static BsonDocument Find(CommandContext context)
    {
        var cmd = context.Command;
        var collName = DataCommand.CollectionName(context);
        var ns = DataCommand.Namespace(context, collName);
        var filterDoc = DataCommand.OptionalDocument(cmd, "filter");
        var sortDoc = DataCommand.OptionalDocument(cmd, "sort");
        var projectionDoc = DataCommand.OptionalDocument(cmd, "projection");
        var skip = DataCommand.OptionalLong(cmd, "skip") ?? 0;
        var limit = DataCommand.OptionalLong(cmd, "limit") ?? 0;
        if (skip < 0) throw Errors.Location(51024, "BSON field 'skip' value must be >= 0, actual value '" + skip + "'");
        if (limit < 0) throw Errors.Location(51024, "BSON field 'limit' value must be >= 0, actual value '" + limit + "'");
        var batchSize = DataCommand.BatchSize(cmd);
        var singleBatch = DataCommand.OptionalBool(cmd, "singleBatch", false);
        var tailable = DataCommand.OptionalBool(cmd, "tailable", false);
        var awaitData = DataCommand.OptionalBool(cmd, "awaitData", false);
        if (awaitData && !tailable) throw Errors.FailedToParse("Cannot set 'awaitData' without also setting 'tailable'");
        if (tailable && singleBatch) throw Errors.FailedToParse("Cannot set 'singleBatch' with 'tailable'");
        if (tailable && sortDoc is not null && Natural(sortDoc) <= 0)
            throw Errors.BadValue("cannot use tailable option with a sort other than {$natural: 1}");
        var collator = DataCommand.Collation(context, cmd, collName);
        var let = DataCommand.Let(cmd);
        var filter = FilterParser.Parse(filterDoc, let, collator);
        var reverse = Natural(sortDoc) < 0 || cmd.GetValueOrDefault("hint") is BsonDocument hd && Natural(hd) < 0;
        var sort = sortDoc is null || Natural(sortDoc) != 0 ? null : SortSpec.Parse(sortDoc, collator);
        var projection = Projection.Parse(projectionDoc, isFind: true, let);
        if (TextFilter.FindIn(filter) is null && (projection?.MetaNames.Contains("textScore") == true || sort?.MetaNames.Contains("textScore") == true))
            throw DocumentMetadata.MissingTextScore();
        var extras = FindExtras.Parse(cmd);

        List<BsonDocument> results;
        TailableState? tail = null;
        lock (context.Storage.Sync)
        {
            if (tailable)
            {
                // Tailing reads what is inserted after this query, so the cursor's position is taken in the same lock.
                var capped = context.Storage.GetCollection(context.DatabaseName, collName);
                if (capped is null || !capped.IsCapped)
                    throw Errors.BadValue("error processing query: " + ns + " tailable cursor requested on non capped collection");
                tail = new TailableState(context.Storage, capped, filter, projection, awaitData);
            }

            var source = context.Storage.OpenForRead(context.DatabaseName, collName);
            DataCommand.CheckHint(cmd, source.IndexedCollection);
            extras.CheckNotView(source);
            var findPlan = extras.Plan(cmd, source, filterDoc, sortDoc, collator);
            results = Query(source, filter, filterDoc, sort, projection, skip, limit, reverse, collator, sortDoc, cmd.GetValueOrDefault("hint"), findPlan);
        }
        return context.Server.Cursors.CreateCursorReply(ns, results, batchSize, singleBatch, tail, extras.NoCursorTimeout);
    }

    /// <summary>The direction of a {$natural: ±1} sort or hint (0 when it is not one).</summary>
    private static int Natural(BsonDocument? spec)
    {
        if (spec is null || spec.ElementCount != 1 || spec.GetElement(0).Name != "$natural") return 0;
        var v = spec[0];
        return v.IsNumeric && v.ToDouble() < 0 ? -1 : 1;
    }

    /// <summary>Runs a query: filter (with positional state), sort, skip, limit, projection; returns private copies.</summary>
    private static List<BsonDocument> Query(ReadSource source, Filter filter, BsonDocument? rawFilter, SortSpec? sort, Projection? projection, long skip, long limit,
        bool reverse, Collator? collator, BsonDocument? sortDoc, BsonValue? hint, FindPlan? findPlan = null)
    {
        var matched = new List<(BsonDocument Doc, MatchState? State)>();
        var positional = projection?.UsesPositional == true;
        IEnumerable<BsonDocument> candidates;
        Engine.Planning.QueryPlan? plan = null;
        if (findPlan is { IndexOrdered: true })
        {
            // min/max (or returnKey) walk the index they name, in its order, whatever the planner would choose.
            candidates = findPlan.Candidates(source.Candidates(filter, rawFilter, collator, out _, null, null));
            reverse = false;
        }
        else
        {
            candidates = source.Candidates(filter, rawFilter, collator, out plan, sortDoc, hint);
        }

        var sorted = sort is null || sort.IsEmpty || plan?.ProvidesSort == true;
        // In the order the result needs already, the scan stops once skip + limit documents matched.
        var enough = sorted && !reverse && limit > 0 ? skip + limit : long.MaxValue;
        foreach (var doc in candidates)
        {
            OperationDeadline.Check();
            var state = positional ? new MatchState() : null;
            if (filter.Matches(doc, state)) matched.Add((doc, state));
            if (matched.Count >= enough) break;
        }
        if (reverse) matched.Reverse();
        if (!sorted) matched = sort!.Sort(matched, m => m.Doc);
        var results = new List<BsonDocument>();
        var count = 0L;
        foreach (var (doc, state) in matched.Skip((int)Math.Min(skip, int.MaxValue)))
        {
            if (limit > 0 && count >= limit) break;
            results.Add(findPlan is not null ? findPlan.Render(doc, state, projection) :
                projection is null ? StoredDocumentBytes.ResultCopy(doc) : projection.Apply(doc, state));
            count++;
        }
        return results;
    }

    public static BsonDocument Count(CommandContext context)
    {
        var cmd = context.Command;
        var collName = DataCommand.CollectionName(context);
        var query = DataCommand.OptionalDocument(cmd, "query");
        var skip = DataCommand.OptionalLong(cmd, "skip") ?? 0;
        var limit = DataCommand.OptionalLong(cmd, "limit") ?? 0;
        if (skip < 0) throw Errors.Location(51024, "BSON field 'skip' value must be >= 0, actual value '" + skip + "'");
        limit = Math.Abs(limit);
        var collator = DataCommand.Collation(context, cmd, collName);
        var filter = FilterParser.Parse(query, null, collator);
        long n = 0;
        lock (context.Storage.Sync)
        {
            var source = context.Storage.OpenForRead(context.DatabaseName, collName);
            DataCommand.CheckHint(cmd, source.IndexedCollection);
            // As mongod's count without a query or hint: the collection's document count, no plan (notablescan allows it).
            if (query is not { ElementCount: > 0 } && !cmd.Contains("hint") && source.Collection is { } whole && !source.IsView)
            {
                whole.SweepTtl();
                n = whole.Count;
            }
            else
            {
                foreach (var doc in source.Candidates(filter, query, collator, out _, null, cmd.GetValueOrDefault("hint")))
                {
                    OperationDeadline.Check();
                    if (filter.Matches(doc)) n++;
                }
            }
        }
        n = Math.Max(0, n - skip);
        if (limit > 0) n = Math.Min(n, limit);
        return new BsonDocument("n", n <= int.MaxValue ? new BsonInt32((int)n) : new BsonInt64(n));
    }

    public static BsonDocument Distinct(CommandContext context)
    {
        var cmd = context.Command;
        var collName = DataCommand.CollectionName(context);
        if (!cmd.TryGetValue("key", out var keyValue) || keyValue is not BsonString key)
            throw Errors.Location(40414, "BSON field 'distinct.key' is missing but a required field");
        if (key.Value.Length == 0) throw Errors.BadValue("FieldPath cannot be constructed with empty string");
        var query = DataCommand.OptionalDocument(cmd, "query");
        var collator = DataCommand.Collation(context, cmd, collName);
        var filter = FilterParser.Parse(query, null, collator);
        var parts = key.Value.Split('.');
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var values = new List<BsonValue>();
        lock (context.Storage.Sync)
        {
            var source = context.Storage.OpenForRead(context.DatabaseName, collName);
            DataCommand.CheckHint(cmd, source.IndexedCollection);
            var scratch = new List<BsonValue?>();
            foreach (var doc in source.Candidates(filter, query, collator, out _))
            {
                OperationDeadline.Check();
                if (!filter.Matches(doc)) continue;
                scratch.Clear();
                FieldPath.Collect(doc, parts, 0, scratch, expandLeafArrays: true);
                foreach (var v in scratch)
                {
                    if (v is null) continue;
                    // Values equal under the collation are one value; the first one met is reported, as the server's first index entry.
                    if (seen.Add(BsonOrder.Key(v, collator))) values.Add(v.DeepClone());
                }
            }
        }
        values.Sort((a, b) => BsonOrder.Compare(a, b, collator));
        return new BsonDocument("values", new BsonArray(values));
    }

    public static BsonDocument Aggregate(CommandContext context)
    {
        var cmd = context.Command;
        var first = cmd.GetElement(0).Value;
        string? collName = first is BsonString ? DataCommand.CollectionName(context) :
            first.IsNumeric && first.ToDouble() == 1 ? null :
            throw Errors.FailedToParse("Invalid {aggregate: " + Shell.Format(first) + "}. aggregate value must be a string or 1");
        if (!cmd.TryGetValue("pipeline", out var pv) || pv is not BsonArray pipeline)
            throw Errors.TypeMismatch("'pipeline' option must be specified as an array");
        // mongod refuses a change stream on a standalone before anything else about the pipeline.
        if (pipeline.Count > 0 && pipeline[0] is BsonDocument { ElementCount: > 0 } cs && cs.GetElement(0).Name == "$changeStream"
            && context.Server.Replication is null && !context.Server.IsRouter)
            throw Errors.Location(40573, "The $changeStream stage is only supported on replica sets");
        if (DataCommand.OptionalBool(cmd, "explain", false)) return ExplainCommands.AggregateExplain(context);
        var cursor = DataCommand.OptionalDocument(cmd, "cursor");
        if (cursor is null)
            throw Errors.FailedToParse("The 'cursor' option is required, except for aggregate with the explain argument");
        var batchSize = DataCommand.BatchSize(cursor);
        var collator = DataCommand.Collation(context, cmd, collName);
        var let = DataCommand.Let(cmd);
        var ns = DataCommand.Namespace(context, collName ?? "$cmd.aggregate");
        if (collName is null && pipeline.Count == 0)
            throw Errors.InvalidNamespace("{aggregate: 1} is not valid for an empty pipeline.");
        // A collectionless aggregate must start with a stage that reads no collection (mongod names the stage).
        if (collName is null && pipeline[0] is BsonDocument { ElementCount: > 0 } fs && AggregationPipeline.IsKnownStage(fs.GetElement(0).Name)
            && !AggregationPipeline.IsCollectionlessStage(fs.GetElement(0).Name))
            throw Errors.InvalidNamespace("{aggregate: 1} is not valid for '" + fs.GetElement(0).Name + "'; a collection is required.");
        var hasWriteStage = pipeline.Count > 0 && pipeline[^1] is BsonDocument last && last.ElementCount > 0 && last.GetElement(0).Name is "$out" or "$merge";
        if (hasWriteStage && context.Transaction is not null)
            throw Transactions.TransactionErrors.NotSupported(((BsonDocument)pipeline[^1]).GetElement(0).Name + " cannot be used in a transaction");
        // As mongod: a linearizable read cannot feed a write stage (the write could not be made linearizable too).
        if (hasWriteStage && cmd.TryGetValue("readConcern", out var readConcern) && readConcern is BsonDocument rc
            && rc.TryGetValue("level", out var level) && level is BsonString { Value: "linearizable" })
            throw Errors.InvalidOptions(((BsonDocument)pipeline[^1]).GetElement(0).Name + " cannot be used with a 'linearizable' read concern level");
        List<BsonDocument> results;
        lock (context.Storage.Sync)
        {
            // On a view, the input is the view's documents: the user's pipeline runs after the view's, as on the server.
            var source = collName is null ? ReadSource.Missing : context.Storage.OpenForRead(context.DatabaseName, collName);
            DataCommand.CheckHint(cmd, source.IndexedCollection);
            var pc = new PipelineContext
            {
                Storage = context.Storage,
                Database = context.DatabaseName,
                Variables = let,
                Collator = collator,
                LocalSessions = collName is null ? context.Server.Sessions.List : null,
                Server = context.Server,
                CurrentOps = collName is null && context.DatabaseName == "admin" ? () => [Admin.AdminCommands.CurrentOpDocument(context)] : null,
                Collection = collName,
                Host = context.Server.HostAndPort,
                TopLevelPipeline = pipeline,
                BypassDocumentValidation = DataCommand.OptionalBool(cmd, "bypassDocumentValidation", false),
            };
            results = AggregationPipeline.RunOn(source, pipeline, pc, cmd.GetValueOrDefault("hint"));
        }
        if (hasWriteStage) results = [];
        return context.Server.Cursors.CreateCursorReply(ns, results, batchSize);
    }
}
