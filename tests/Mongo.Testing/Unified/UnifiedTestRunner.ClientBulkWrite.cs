using System.Globalization;
using Mongo.Bson;
using Mongo.Driver;

namespace Mongo.Testing.Unified;

public sealed partial class UnifiedTestRunner
{
    /// <summary>The clientBulkWrite operation: models with namespaces, options, and the result as the unified format spells it.</summary>
    private async Task<BsonValue?> ClientBulkWriteAsync(MongoClient client, BsonDocument a, MongoSession? session)
    {
        CheckArguments(a, "models", "ordered", "verboseResults", "bypassDocumentValidation", "comment", "rawData", "let", "writeConcern", "timeoutMS");
        var models = a["models"].AsArray.Select(m => ClientModel(m.AsDocument)).ToList();
        var options = new ClientBulkWriteOptions
        {
            IsOrdered = Bool(a, "ordered") ?? true,
            VerboseResults = Bool(a, "verboseResults") ?? false,
            BypassDocumentValidation = Bool(a, "bypassDocumentValidation"),
            Comment = a.GetValueOrDefault("comment"),
            RawData = Bool(a, "rawData") == true,
            Let = a.GetValueOrDefault("let") as BsonDocument,
            WriteConcern = a.GetValueOrDefault("writeConcern") is BsonDocument wc ? ParseWriteConcern(wc) : null,
            Timeout = CallTimeout(a),
        };
        var result = session is null
            ? _async ? await client.BulkWriteAsync(models, options) : client.BulkWrite(models, options)
            : _async ? await client.BulkWriteAsync(session, models, options) : client.BulkWrite(session, models, options);
        return ClientBulkResult(result);
    }

    private static ClientBulkWriteModel ClientModel(BsonDocument model)
    {
        var element = model.GetElement(0);
        var m = element.Value.AsDocument;
        var ns = CollectionNamespace.Parse(m["namespace"].AsString);
        var filter = m.GetValueOrDefault("filter") as BsonDocument;
        var arrayFilters = (m.GetValueOrDefault("arrayFilters") as BsonArray)?.Select(f => f.AsDocument).ToList();
        var collation = m.GetValueOrDefault("collation") as BsonDocument;
        var hint = m.GetValueOrDefault("hint");
        var upsert = Bool(m, "upsert");
        var sort = m.GetValueOrDefault("sort") as BsonDocument;
        switch (element.Name)
        {
            case "insertOne":
                CheckArguments(m, "namespace", "document");
                return new ClientInsertOneModel<BsonDocument>(ns, m["document"].AsDocument.DeepClone().AsDocument);
            case "updateOne":
                CheckArguments(m, "namespace", "filter", "update", "arrayFilters", "collation", "hint", "upsert", "sort");
                return new ClientUpdateOneModel(ns, filter!, Update(m)) { ArrayFilters = arrayFilters, Collation = collation, Hint = hint, IsUpsert = upsert, Sort = sort };
            case "updateMany":
                CheckArguments(m, "namespace", "filter", "update", "arrayFilters", "collation", "hint", "upsert");
                return new ClientUpdateManyModel(ns, filter!, Update(m)) { ArrayFilters = arrayFilters, Collation = collation, Hint = hint, IsUpsert = upsert };
            case "replaceOne":
                CheckArguments(m, "namespace", "filter", "replacement", "collation", "hint", "upsert", "sort");
                return new ClientReplaceOneModel<BsonDocument>(ns, filter!, m["replacement"].AsDocument) { Collation = collation, Hint = hint, IsUpsert = upsert, Sort = sort };
            case "deleteOne":
                CheckArguments(m, "namespace", "filter", "collation", "hint");
                return new ClientDeleteOneModel(ns, filter!) { Collation = collation, Hint = hint };
            case "deleteMany":
                CheckArguments(m, "namespace", "filter", "collation", "hint");
                return new ClientDeleteManyModel(ns, filter!) { Collation = collation, Hint = hint };
            default:
                throw new UnifiedAssertionException("Unknown clientBulkWrite model " + element.Name);
        }
    }

    /// <summary>The unified format's BulkWriteResult for a client bulk write (the per-write maps only with verbose results).</summary>
    internal static BsonDocument ClientBulkResult(ClientBulkWriteResult result)
    {
        if (!result.IsAcknowledged)
        {
            return new BsonDocument("acknowledged", false);
        }

        var document = new BsonDocument
        {
            { "insertedCount", result.InsertedCount },
            { "upsertedCount", result.UpsertedCount },
            { "matchedCount", result.MatchedCount },
            { "modifiedCount", result.ModifiedCount },
            { "deletedCount", result.DeletedCount },
        };
        if (!result.HasVerboseResults)
        {
            return document;
        }

        var inserts = new BsonDocument();
        foreach (var (index, insert) in result.InsertResults.OrderBy(p => p.Key))
        {
            inserts.Add(Key(index), new BsonDocument("insertedId", insert.InsertedId));
        }

        var updates = new BsonDocument();
        foreach (var (index, update) in result.UpdateResults.OrderBy(p => p.Key))
        {
            var entry = new BsonDocument { { "matchedCount", update.MatchedCount }, { "modifiedCount", update.ModifiedCount } };
            if (update.UpsertedId is not null)
            {
                entry.Add("upsertedId", update.UpsertedId);
            }

            updates.Add(Key(index), entry);
        }

        var deletes = new BsonDocument();
        foreach (var (index, delete) in result.DeleteResults.OrderBy(p => p.Key))
        {
            deletes.Add(Key(index), new BsonDocument("deletedCount", delete.DeletedCount));
        }

        document.Add("insertResults", inserts);
        document.Add("updateResults", updates);
        document.Add("deleteResults", deletes);
        return document;
    }

    /// <summary>expectError.writeErrors: a map from model index to the expected write error (code, message...).</summary>
    private void CheckClientWriteErrors(string name, BsonDocument expected, Exception error)
    {
        if (error is not ClientBulkWriteException bulk)
        {
            throw new UnifiedAssertionException($"{name}: expected write errors, got {error.GetType().Name}: {error.Message}");
        }

        if (expected.ElementCount != bulk.WriteErrors.Count)
        {
            throw new UnifiedAssertionException($"{name}: expected {expected.ElementCount} write errors, got {bulk.WriteErrors.Count}: {string.Join(", ", bulk.WriteErrors.Values)}");
        }

        foreach (var element in expected)
        {
            if (!bulk.WriteErrors.TryGetValue(int.Parse(element.Name, CultureInfo.InvariantCulture), out var actual))
            {
                throw new UnifiedAssertionException($"{name}: no write error at index {element.Name}: {string.Join(", ", bulk.WriteErrors.Values)}");
            }

            _matcher.AssertMatches(element.Value, ErrorDocument(actual.Code, actual.Message, actual.Details), isRoot: true, name + " writeErrors." + element.Name);
        }
    }

    /// <summary>expectError.writeConcernErrors: the expected write concern errors, in order.</summary>
    private void CheckClientWriteConcernErrors(string name, BsonArray expected, Exception error)
    {
        if (error is not ClientBulkWriteException bulk)
        {
            throw new UnifiedAssertionException($"{name}: expected write concern errors, got {error.GetType().Name}: {error.Message}");
        }

        if (expected.Count != bulk.WriteConcernErrors.Count)
        {
            throw new UnifiedAssertionException($"{name}: expected {expected.Count} write concern errors, got {bulk.WriteConcernErrors.Count}");
        }

        for (int i = 0; i < expected.Count; i++)
        {
            var actual = bulk.WriteConcernErrors[i];
            _matcher.AssertMatches(expected[i], ErrorDocument(actual.Code, actual.Message, actual.Details), isRoot: true, name + " writeConcernErrors." + i);
        }
    }

    private static BsonDocument ErrorDocument(int code, string message, BsonDocument? details)
    {
        var document = new BsonDocument { { "code", code }, { "message", message } };
        if (details is not null)
        {
            document.Add("details", details);
        }

        return document;
    }

    private static string Key(int index) => index.ToString(CultureInfo.InvariantCulture);
}
