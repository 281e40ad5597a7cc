using Mongo.Bson;
using Mongo.Driver;

namespace Mongo.Testing.Unified;

public sealed partial class UnifiedTestRunner
{
    private async Task<BsonValue?> CollectionOperationAsync(MongoCollection<BsonDocument> c, string name, BsonDocument a)
    {
        switch (name)
        {
            case "insertOne":
            {
                CheckArguments(a, "document", "bypassDocumentValidation", "comment", "rawData");
                var options = new InsertOneOptions { BypassDocumentValidation = Bool(a, "bypassDocumentValidation"), Comment = a.GetValueOrDefault("comment"), RawData = Bool(a, "rawData") == true };
                var document = a["document"].AsDocument.DeepClone().AsDocument;
                var result = _async ? await c.InsertOneAsync(document, options) : c.InsertOne(document, options);
                return new BsonDocument("insertedId", result.InsertedId);
            }

            case "insertMany":
            {
                CheckArguments(a, "documents", "ordered", "bypassDocumentValidation", "comment", "rawData");
                var options = new InsertManyOptions { IsOrdered = Bool(a, "ordered") ?? true, BypassDocumentValidation = Bool(a, "bypassDocumentValidation"), Comment = a.GetValueOrDefault("comment"), RawData = Bool(a, "rawData") == true };
                var documents = a["documents"].AsArray.Select(d => d.AsDocument.DeepClone().AsDocument).ToList();
                var result = _async ? await c.InsertManyAsync(documents, options) : c.InsertMany(documents, options);
                var ids = new BsonDocument();
                for (int i = 0; i < result.InsertedIds.Count; i++)
                {
                    ids.Add(i.ToString(System.Globalization.CultureInfo.InvariantCulture), result.InsertedIds[i]);
                }

                return new BsonDocument("insertedIds", ids);
            }

            case "updateOne":
            case "updateMany":
            case "replaceOne":
            {
                CheckArguments(a, "filter", "update", "replacement", "upsert", "arrayFilters", "collation", "hint", "sort", "let", "comment", "rawData", "bypassDocumentValidation");
                var options = new UpdateOptions
                {
                    IsUpsert = Bool(a, "upsert") ?? false,
                    ArrayFilters = (a.GetValueOrDefault("arrayFilters") as BsonArray)?.Select(f => f.AsDocument).ToList(),
                    Collation = a.GetValueOrDefault("collation") as BsonDocument,
                    Hint = a.GetValueOrDefault("hint"),
                    Sort = a.GetValueOrDefault("sort") as BsonDocument,
                    Let = a.GetValueOrDefault("let") as BsonDocument,
                    Comment = a.GetValueOrDefault("comment"),
                    RawData = Bool(a, "rawData") == true,
                    BypassDocumentValidation = Bool(a, "bypassDocumentValidation"),
                };
                var filter = a["filter"].AsDocument;
                UpdateResult result = name switch
                {
                    "replaceOne" => _async ? await c.ReplaceOneAsync(filter, a["replacement"].AsDocument, options) : c.ReplaceOne(filter, a["replacement"].AsDocument, options),
                    "updateOne" => _async ? await c.UpdateOneAsync(filter, Update(a), options) : c.UpdateOne(filter, Update(a), options),
                    _ => _async ? await c.UpdateManyAsync(filter, Update(a), options) : c.UpdateMany(filter, Update(a), options),
                };
                var document = new BsonDocument { { "matchedCount", result.MatchedCount }, { "modifiedCount", result.ModifiedCount }, { "upsertedCount", result.UpsertedId is null ? 0 : 1 } };
                if (result.UpsertedId is not null)
                {
                    document.Add("upsertedId", result.UpsertedId);
                }

                return document;
            }

            case "deleteOne":
            case "deleteMany":
            {
                CheckArguments(a, "filter", "collation", "hint", "let", "comment", "rawData");
                var options = new DeleteOptions { Collation = a.GetValueOrDefault("collation") as BsonDocument, Hint = a.GetValueOrDefault("hint"), Let = a.GetValueOrDefault("let") as BsonDocument, Comment = a.GetValueOrDefault("comment"), RawData = Bool(a, "rawData") == true };
                var filter = a["filter"].AsDocument;
                var result = name == "deleteOne"
                    ? _async ? await c.DeleteOneAsync(filter, options) : c.DeleteOne(filter, options)
                    : _async ? await c.DeleteManyAsync(filter, options) : c.DeleteMany(filter, options);
                return new BsonDocument("deletedCount", result.DeletedCount);
            }

            case "bulkWrite":
            {
                CheckArguments(a, "requests", "ordered", "bypassDocumentValidation", "comment", "rawData", "let");
                var options = new BulkWriteOptions { IsOrdered = Bool(a, "ordered") ?? true, BypassDocumentValidation = Bool(a, "bypassDocumentValidation"), Comment = a.GetValueOrDefault("comment"), RawData = Bool(a, "rawData") == true, Let = a.GetValueOrDefault("let") as BsonDocument };
                var requests = a["requests"].AsArray.Select(r => WriteModel(r.AsDocument)).ToList();
                var result = _async ? await c.BulkWriteAsync(requests, options) : c.BulkWrite(requests, options);
                return BulkResult(result);
            }

            case "find":
            case "findOne":
            case "createFindCursor":
            {
                CheckArguments(a, "filter", "sort", "projection", "skip", "limit", "batchSize", "hint", "comment", "rawData", "maxTimeMS", "collation", "allowDiskUse", "let",
                    "min", "max", "returnKey", "showRecordId", "noCursorTimeout", "allowPartialResults", "timeoutMode", "cursorType", "maxAwaitTimeMS");
                var options = new FindOptions
                {
                    TimeoutMode = TimeoutMode(a),
                    CursorType = a.GetValueOrDefault("cursorType")?.AsString switch
                    {
                        null => CursorType.NonTailable,
                        "tailable" => CursorType.Tailable,
                        "tailableAwait" => CursorType.TailableAwait,
                        var other => throw new UnifiedAssertionException("Unknown cursorType " + other),
                    },
                    MaxAwaitTime = a.GetValueOrDefault("maxAwaitTimeMS") is { } maxAwait ? TimeSpan.FromMilliseconds(maxAwait.ToInt64()) : null,
                    Sort = a.GetValueOrDefault("sort") as BsonDocument,
                    Projection = a.GetValueOrDefault("projection") as BsonDocument,
                    Skip = a.GetValueOrDefault("skip")?.ToInt32(),
                    Limit = a.GetValueOrDefault("limit")?.ToInt32(),
                    BatchSize = a.GetValueOrDefault("batchSize")?.ToInt32(),
                    Hint = a.GetValueOrDefault("hint"),
                    Comment = a.GetValueOrDefault("comment"),
                    RawData = Bool(a, "rawData") == true,
                    MaxTime = MaxTime(a),
                    Collation = a.GetValueOrDefault("collation") as BsonDocument,
                    AllowDiskUse = Bool(a, "allowDiskUse"),
                    Let = a.GetValueOrDefault("let") as BsonDocument,
                    Min = a.GetValueOrDefault("min") as BsonDocument,
                    Max = a.GetValueOrDefault("max") as BsonDocument,
                    ReturnKey = Bool(a, "returnKey"),
                    ShowRecordId = Bool(a, "showRecordId"),
                    NoCursorTimeout = Bool(a, "noCursorTimeout"),
                    AllowPartialResults = Bool(a, "allowPartialResults"),
                };
                if (name == "findOne")
                {
                    return (_async ? await c.FindOneAsync(Filter(a), options) : c.FindOne(Filter(a), options)) ?? (BsonValue)BsonNull.Value;
                }

                var query = c.Find(Filter(a), options);
                if (name == "createFindCursor")
                {
                    _createdEntity = new CursorEntity(_async ? await query.ToCursorAsync() : query.ToCursor());
                    return null;
                }

                return new BsonArray(_async ? await query.ToListAsync() : query.ToList());
            }

            case "countDocuments":
            {
                CheckArguments(a, "filter", "skip", "limit", "collation", "hint", "comment", "rawData", "maxTimeMS");
                var options = new CountOptions { Skip = a.GetValueOrDefault("skip")?.ToInt64(), Limit = a.GetValueOrDefault("limit")?.ToInt64(), Collation = a.GetValueOrDefault("collation") as BsonDocument, Hint = a.GetValueOrDefault("hint"), Comment = a.GetValueOrDefault("comment"), RawData = Bool(a, "rawData") == true, MaxTime = MaxTime(a) };
                return _async ? await c.CountDocumentsAsync(a["filter"].AsDocument, options) : c.CountDocuments(a["filter"].AsDocument, options);
            }

            case "count":
            {
                CheckArguments(a, "filter", "skip", "limit", "collation", "hint", "comment", "rawData", "maxTimeMS");
                var options = new CountOptions { Skip = a.GetValueOrDefault("skip")?.ToInt64(), Limit = a.GetValueOrDefault("limit")?.ToInt64(), Collation = a.GetValueOrDefault("collation") as BsonDocument, Hint = a.GetValueOrDefault("hint"), Comment = a.GetValueOrDefault("comment"), RawData = Bool(a, "rawData") == true, MaxTime = MaxTime(a) };
#pragma warning disable CS0618 // the spec tests exercise the deprecated count helper on purpose
                return _async ? await c.CountAsync(Filter(a), options) : c.Count(Filter(a), options);
#pragma warning restore CS0618
            }

            case "estimatedDocumentCount":
            {
                CheckArguments(a, "comment", "rawData", "maxTimeMS");
                var options = new EstimatedDocumentCountOptions { Comment = a.GetValueOrDefault("comment"), RawData = Bool(a, "rawData") == true, MaxTime = MaxTime(a) };
                return _async ? await c.EstimatedDocumentCountAsync(options) : c.EstimatedDocumentCount(options);
            }

            case "distinct":
            {
                CheckArguments(a, "fieldName", "filter", "collation", "hint", "comment", "rawData", "maxTimeMS");
                var options = new DistinctOptions { Collation = a.GetValueOrDefault("collation") as BsonDocument, Hint = a.GetValueOrDefault("hint"), Comment = a.GetValueOrDefault("comment"), RawData = Bool(a, "rawData") == true, MaxTime = MaxTime(a) };
                var values = _async ? await c.DistinctAsync(a["fieldName"].AsString, Filter(a), options) : c.Distinct(a["fieldName"].AsString, Filter(a), options);
                return new BsonArray(values);
            }

            case "aggregate":
            {
                var pipeline = a["pipeline"].AsArray.Select(s => s.AsDocument).ToList();
                var options = AggregateOptions(a);
                var cursor = _async ? await c.AggregateAsync(pipeline, options) : c.Aggregate(pipeline, options);
                return new BsonArray(_async ? await cursor.ToListAsync() : cursor.ToList());
            }

            case "findOneAndUpdate":
            case "findOneAndReplace":
            case "findOneAndDelete":
            {
                CheckArguments(a, "filter", "update", "replacement", "returnDocument", "upsert", "sort", "projection", "arrayFilters", "collation", "hint", "maxTimeMS", "comment", "rawData", "let", "bypassDocumentValidation");
                var options = new FindOneAndModifyOptions
                {
                    ReturnDocument = a.GetValueOrDefault("returnDocument")?.AsString == "After" ? ReturnDocument.After : ReturnDocument.Before,
                    IsUpsert = Bool(a, "upsert") ?? false,
                    Sort = a.GetValueOrDefault("sort") as BsonDocument,
                    Projection = a.GetValueOrDefault("projection") as BsonDocument,
                    ArrayFilters = (a.GetValueOrDefault("arrayFilters") as BsonArray)?.Select(f => f.AsDocument).ToList(),
                    Collation = a.GetValueOrDefault("collation") as BsonDocument,
                    Hint = a.GetValueOrDefault("hint"),
                    MaxTime = MaxTime(a),
                    Comment = a.GetValueOrDefault("comment"),
                    RawData = Bool(a, "rawData") == true,
                    Let = a.GetValueOrDefault("let") as BsonDocument,
                    BypassDocumentValidation = Bool(a, "bypassDocumentValidation"),
                };
                var filter = a["filter"].AsDocument;
                BsonDocument? document = name switch
                {
                    "findOneAndUpdate" => _async ? await c.FindOneAndUpdateAsync(filter, Update(a), options) : c.FindOneAndUpdate(filter, Update(a), options),
                    "findOneAndReplace" => _async ? await c.FindOneAndReplaceAsync(filter, a["replacement"].AsDocument, options) : c.FindOneAndReplace(filter, a["replacement"].AsDocument, options),
                    _ => _async ? await c.FindOneAndDeleteAsync(filter, options) : c.FindOneAndDelete(filter, options),
                };
                return document ?? (BsonValue)BsonNull.Value;
            }

            case "createIndex":
            {
                CheckArguments(IgnoredMaxTime(c, a), "keys", "name", "unique", "sparse");
                var keys = a["keys"].AsDocument;
                var options = new CreateIndexOptions { Name = a.GetValueOrDefault("name")?.AsString, Unique = Bool(a, "unique"), Sparse = Bool(a, "sparse") };
                return _async ? await c.CreateIndexAsync(keys, options) : c.CreateIndex(keys, options);
            }

            case "listIndexes":
            {
                CheckArguments(a, "timeoutMode", "batchSize");
                var options = new ListIndexesOptions { TimeoutMode = TimeoutMode(a), BatchSize = a.GetValueOrDefault("batchSize")?.ToInt32() };
                return new BsonArray(_async ? await c.ListIndexesAsync(options) : c.ListIndexes(options));
            }

            case "listIndexNames":
                // The driver has no names-only helper: the names come from the same listIndexes command.
                CheckArguments(a);
                return new BsonArray((_async ? await c.ListIndexesAsync() : c.ListIndexes()).Select(index => index["name"]));
            case "dropIndex":
                CheckArguments(IgnoredMaxTime(c, a), "name");
                await Run(() => c.DropIndex(a["name"].AsString), () => c.DropIndexAsync(a["name"].AsString));
                return null;
            case "dropIndexes":
                CheckArguments(IgnoredMaxTime(c, a));
                await Run(() => c.DropIndexes(), () => c.DropIndexesAsync());
                return null;
            case "rename":
                return await RenameCollectionAsync(c, a);
            default:
                throw new UnifiedAssertionException("Unsupported collection operation " + name);
        }
    }

    private static UpdateDefinition Update(BsonDocument arguments) => arguments["update"] switch
    {
        BsonArray pipeline => pipeline,
        var document => document.AsDocument,
    };

    private static bool? Bool(BsonDocument arguments, string name) => arguments.GetValueOrDefault(name)?.ToBoolean();

    private static WriteModel<BsonDocument> WriteModel(BsonDocument request)
    {
        var element = request.GetElement(0);
        var a = element.Value.AsDocument;
        var collation = a.GetValueOrDefault("collation") as BsonDocument;
        var hint = a.GetValueOrDefault("hint");
        var upsert = Bool(a, "upsert") ?? false;
        var arrayFilters = (a.GetValueOrDefault("arrayFilters") as BsonArray)?.Select(f => f.AsDocument).ToList();
        return element.Name switch
        {
            "insertOne" => new InsertOneModel<BsonDocument>(a["document"].AsDocument.DeepClone().AsDocument),
            "updateOne" => new UpdateOneModel<BsonDocument>(a["filter"].AsDocument, Update(a)) { IsUpsert = upsert, Collation = collation, Hint = hint, ArrayFilters = arrayFilters, Sort = a.GetValueOrDefault("sort") as BsonDocument },
            "updateMany" => new UpdateManyModel<BsonDocument>(a["filter"].AsDocument, Update(a)) { IsUpsert = upsert, Collation = collation, Hint = hint, ArrayFilters = arrayFilters },
            "replaceOne" => new ReplaceOneModel<BsonDocument>(a["filter"].AsDocument, a["replacement"].AsDocument) { IsUpsert = upsert, Collation = collation, Hint = hint, Sort = a.GetValueOrDefault("sort") as BsonDocument },
            "deleteOne" => new DeleteOneModel<BsonDocument>(a["filter"].AsDocument) { Collation = collation, Hint = hint },
            "deleteMany" => new DeleteManyModel<BsonDocument>(a["filter"].AsDocument) { Collation = collation, Hint = hint },
            _ => throw new UnifiedAssertionException("Unknown bulk write request " + element.Name),
        };
    }

    /// <summary>
    /// The index helpers take no maxTimeMS option; under timeoutMS the spec says a deprecated maxTimeMS is ignored anyway,
    /// so the argument is dropped then (and stays unsupported otherwise).
    /// </summary>
    private static BsonDocument IgnoredMaxTime(MongoCollection<BsonDocument> collection, BsonDocument arguments)
    {
        if (collection.Timeout is null || !arguments.Contains("maxTimeMS"))
        {
            return arguments;
        }

        var rest = new BsonDocument();
        foreach (var argument in arguments)
        {
            if (argument.Name != "maxTimeMS")
            {
                rest.Add(argument.Name, argument.Value);
            }
        }

        return rest;
    }
}
