using Mongo.Bson;
using Mongo.InMemory.Engine;
using Mongo.InMemory.Engine.Query;

namespace Mongo.InMemory.Commands.Data;

internal static partial class WriteCommands
{
    public static BsonDocument FindAndModify(CommandContext context)
    {
        var cmd = context.Command;
        var collName = DataCommand.CollectionName(context);
        var query = DataCommand.OptionalDocument(cmd, "query") ?? new BsonDocument();
        var sortDoc = DataCommand.OptionalDocument(cmd, "sort");
        var fields = DataCommand.OptionalDocument(cmd, "fields");
        var remove = DataCommand.OptionalBool(cmd, "remove", false);
        var returnNew = DataCommand.OptionalBool(cmd, "new", false);
        var upsert = DataCommand.OptionalBool(cmd, "upsert", false);
        var hasUpdate = cmd.TryGetValue("update", out var updateValue) && updateValue.BsonType != BsonType.Null;
        if (remove && hasUpdate) throw Errors.FailedToParse("Cannot specify both an update and remove=true");
        if (!remove && !hasUpdate) throw Errors.FailedToParse("Either an update or remove=true must be specified");
        if (remove && returnNew) throw Errors.FailedToParse("Cannot specify both new=true and remove=true; 'remove' always returns the deleted document");
        if (remove && upsert) throw Errors.FailedToParse("Cannot specify both upsert=true and remove=true");
        var collator = DataCommand.Collation(context, cmd, collName);
        var let = DataCommand.Let(cmd);
        var filter = FilterParser.Parse(query, let, collator);
        var sort = sortDoc is null ? null : SortSpec.Parse(sortDoc, collator);
        var projection = Projection.Parse(fields, isFind: true, let);
        var arrayFilters = DataCommand.OptionalArray(cmd, "arrayFilters");
        var update = hasUpdate ? Engine.Updates.Update.Parse(updateValue!, arrayFilters, let, collator) : null;
        // A replacement's top-level Timestamp(0, 0) values become the cluster time, as mongod's replace does.
        if (update?.Replacement is { } replacement) StorageValidation.FillEmptyTimestamps(replacement, context.Server.NextClusterTime);

        BsonDocument lastError = null!;
        BsonDocument? value = null;
        lock (context.Storage.Sync)
        {
            Transactions.TransactionManager.RunStatement(context, Statement);
        }
        return new BsonDocument { { "lastErrorObject", lastError }, { "value", (BsonValue?)value ?? BsonNull.Value } };

        // One statement: outside a transaction it may meet a document a transaction holds, wait, and run again.
        void Statement()
        {
            var storage = context.Storage;
            var coll = storage.GetCollection(context.DatabaseName, collName);
            DataCommand.CheckHint(cmd, coll);
            if (remove)
            {
                BsonDocument? victim = null;
                if (coll is not null)
                {
                    var matches = coll.Find(filter, query, collator).ToList();
                    if (sort is not null && matches.Count > 1) matches = sort.Sort(matches, d => d);
                    victim = matches.FirstOrDefault();
                }
                if (victim is not null) coll!.Delete(victim);
                lastError = new BsonDocument("n", victim is null ? 0 : 1);
                value = victim is null ? null : Project(victim, projection, filter);
            }
            else
            {
                var result = Apply(storage, context.DatabaseName, collName, coll, filter, query, update!, multi: false, upsert, sort, DataCommand.OptionalBool(cmd, "bypassDocumentValidation", false), collator);
                lastError = new BsonDocument
                {
                    { "n", result.UpsertedId is not null ? 1 : result.Matched },
                    { "updatedExisting", result.Matched > 0 },
                };
                if (result.UpsertedId is not null) lastError.Add("upserted", result.UpsertedId);
                var image = returnNew ? result.After : result.Before;
                value = image is null ? null : Project(image, projection, filter);
            }
        }
    }

    private static BsonDocument Project(BsonDocument doc, Projection? projection, Filter filter)
    {
        if (projection is null) return (BsonDocument)doc.DeepClone();
        MatchState? state = null;
        if (projection.UsesPositional)
        {
            state = new MatchState();
            filter.Matches(doc, state);
        }
        return projection.Apply(doc, state);
    }
}
