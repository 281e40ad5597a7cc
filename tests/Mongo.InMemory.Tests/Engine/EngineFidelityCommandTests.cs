using Mongo.InMemory;
using MongoDB.Driver;
using Xunit;
using O = MongoDB.Bson;

namespace Mongo.InMemory.Tests.Engine;

/// <summary>Raw data-command replies (shapes and error codes) as the official driver receives them.</summary>
public sealed class EngineFidelityCommandTests : OfficialDriverTestBase
{
    private IMongoDatabase _db = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        _db = Client.GetDatabase("t");
    }

    private static O.BsonDocument D(string json) => O.BsonDocument.Parse(json);

    private Task<O.BsonDocument> Run(string json) => _db.RunCommandAsync<O.BsonDocument>(D(json));

    private async Task<MongoCommandException> Fails(string json) =>
        await Assert.ThrowsAsync<MongoCommandException>(() => Run(json));

    [Fact]
    public async Task Insert_update_delete_replies()
    {
        var insert = await Run("{insert: 'c', documents: [{_id: 1, a: 1}, {_id: 2, a: 2}, {_id: 1}], ordered: true}");
        Assert.Equal(2, insert["n"].AsInt32);
        var we = insert["writeErrors"][0].AsBsonDocument;
        Assert.Equal(2, we["index"].AsInt32);
        Assert.Equal(11000, we["code"].AsInt32);
        Assert.Equal(D("{_id: 1}"), we["keyPattern"].AsBsonDocument);

        var update = await Run("{update: 'c', updates: [{q: {a: 1}, u: {$set: {b: 1}}}, {q: {_id: 5}, u: {$set: {b: 5}}, upsert: true}, {q: {a: {$gt: 0}}, u: {$set: {c: 1}}, multi: true}]}");
        Assert.Equal(D("{n: 4, nModified: 3, upserted: [{index: 1, _id: 5}], ok: 1.0}"), update);

        var bad = await Run("{update: 'c', updates: [{q: {_id: 1}, u: {$set: {_id: 9}}}]}");
        Assert.Equal(66, bad["writeErrors"][0]["code"].AsInt32);
        Assert.Equal("Performing an update on the path '_id' would modify the immutable field '_id'", bad["writeErrors"][0]["errmsg"].AsString);

        var conflict = await Run("{update: 'c', updates: [{q: {}, u: {$set: {a: 1}, $inc: {a: 1}}}]}");
        Assert.Equal(40, conflict["writeErrors"][0]["code"].AsInt32);

        var unknown = await Run("{update: 'c', updates: [{q: {}, u: {$foo: {a: 1}}}]}");
        Assert.Equal(9, unknown["writeErrors"][0]["code"].AsInt32);

        var replaceMulti = await Run("{update: 'c', updates: [{q: {}, u: {x: 1}, multi: true}]}");
        Assert.Equal(9, replaceMulti["writeErrors"][0]["code"].AsInt32);

        var filters = await Run("{update: 'c', updates: [{q: {_id: 5}, u: {$set: {'arr': [1, 5, 9]}}}, {q: {_id: 5}, u: {$inc: {'arr.$[x]': 100}}, arrayFilters: [{x: {$gt: 4}}]}]}");
        Assert.Equal(2, filters["nModified"].AsInt32);
        var doc = await _db.GetCollection<O.BsonDocument>("c").Find(D("{_id: 5}")).SingleAsync();
        Assert.Equal(new O.BsonArray { 1, 105, 109 }, doc["arr"].AsBsonArray);

        var delete = await Run("{delete: 'c', deletes: [{q: {_id: 1}, limit: 1}, {q: {}, limit: 0}]}");
        Assert.Equal(3, delete["n"].AsInt32);
        var badLimit = await Run("{delete: 'c', deletes: [{q: {}, limit: 2}]}");
        Assert.Equal(9, badLimit["writeErrors"][0]["code"].AsInt32);
    }

    [Fact]
    public async Task Find_and_modify_reply_shapes()
    {
        await Run("{insert: 'f', documents: [{_id: 1, n: 1}]}");
        var updated = await Run("{findAndModify: 'f', query: {_id: 1}, update: {$inc: {n: 1}}, new: true}");
        Assert.Equal(D("{lastErrorObject: {n: 1, updatedExisting: true}, value: {_id: 1, n: 2}, ok: 1.0}"), updated);
        var upserted = await Run("{findAndModify: 'f', query: {_id: 2}, update: {$set: {n: 0}}, upsert: true}");
        Assert.Equal(D("{lastErrorObject: {n: 1, updatedExisting: false, upserted: 2}, value: null, ok: 1.0}"), upserted);
        var removed = await Run("{findAndModify: 'f', query: {_id: 2}, remove: true, fields: {_id: 1}}");
        Assert.Equal(D("{lastErrorObject: {n: 1}, value: {_id: 2}, ok: 1.0}"), removed);
        var missing = await Run("{findAndModify: 'f', query: {_id: 3}, remove: true}");
        Assert.Equal(D("{lastErrorObject: {n: 0}, value: null, ok: 1.0}"), missing);
        Assert.Equal(9, (await Fails("{findAndModify: 'f', query: {}, remove: true, update: {$set: {a: 1}}}")).Code);
        Assert.Equal(9, (await Fails("{findAndModify: 'f', query: {}}")).Code);
    }

    [Fact]
    public async Task Find_options_and_errors()
    {
        await Run("{insert: 'q', documents: [{_id: 1, a: [1, 2, 3], b: 'x'}, {_id: 2, a: [4], b: 'y'}]}");
        var find = await Run("{find: 'q', filter: {a: {$gt: 2}}, projection: {'a.$': 1}, sort: {_id: -1}}");
        var batch = find["cursor"]["firstBatch"].AsBsonArray;
        Assert.Equal(D("{_id: 2, a: [4]}"), batch[0]);
        Assert.Equal(D("{_id: 1, a: [3]}"), batch[1]);
        Assert.Equal(0L, find["cursor"]["id"].AsInt64);
        Assert.Equal("t.q", find["cursor"]["ns"].AsString);

        var limited = await Run("{find: 'q', batchSize: 1}");
        Assert.Single(limited["cursor"]["firstBatch"].AsBsonArray);
        Assert.NotEqual(0L, limited["cursor"]["id"].AsInt64);
        var single = await Run("{find: 'q', batchSize: 1, singleBatch: true}");
        Assert.Equal(0L, single["cursor"]["id"].AsInt64);

        var empty = await Run("{find: 'nothere', filter: {}}");
        Assert.Empty(empty["cursor"]["firstBatch"].AsBsonArray);

        Assert.Equal(31254, (await Fails("{find: 'q', projection: {a: 1, b: 0}}")).Code);
        Assert.Equal(31253, (await Fails("{find: 'q', projection: {a: 0, b: 1}}")).Code);
        Assert.Equal(2, (await Fails("{find: 'q', filter: {$bogus: 1}}")).Code);
        Assert.Equal(2, (await Fails("{find: 'q', hint: {zz: 1}}")).Code);
        Assert.Equal(2, (await Fails("{find: 'q', collation: {locale: 'xx'}}")).Code);
        Assert.Equal(51024, (await Fails("{find: 'q', limit: -1}")).Code);

        var count = await Run("{count: 'q', query: {b: 'x'}}");
        Assert.Equal(1, count["n"].AsInt32);
        var distinct = await Run("{distinct: 'q', key: 'a'}");
        Assert.Equal(new O.BsonArray { 1, 2, 3, 4 }, distinct["values"].AsBsonArray);
        var hinted = await Run("{find: 'q', hint: '_id_'}");
        Assert.Equal(2, hinted["cursor"]["firstBatch"].AsBsonArray.Count);
    }

    [Fact]
    public async Task Index_command_replies()
    {
        var created = await Run("{createIndexes: 'i', indexes: [{key: {x: 1}, name: 'x_1'}]}");
        Assert.Equal(D("{numIndexesBefore: 1, numIndexesAfter: 2, createdCollectionAutomatically: true, ok: 1.0}"), created);
        var again = await Run("{createIndexes: 'i', indexes: [{key: {x: 1}, name: 'x_1'}]}");
        Assert.Equal(D("{numIndexesBefore: 2, numIndexesAfter: 2, note: 'all indexes already exist', ok: 1.0}"), again);
        Assert.Equal(85, (await Fails("{createIndexes: 'i', indexes: [{key: {x: 1}, name: 'x_1', unique: true}]}")).Code);
        Assert.Equal(86, (await Fails("{createIndexes: 'i', indexes: [{key: {y: 1}, name: 'x_1'}]}")).Code);
        Assert.Equal(67, (await Fails("{createIndexes: 'i', indexes: [{key: {}, name: 'e'}]}")).Code);

        await Run("{insert: 'i', documents: [{y: 1}, {y: 1}]}");
        var dup = await Fails("{createIndexes: 'i', indexes: [{key: {y: 1}, name: 'y_1', unique: true}]}");
        Assert.Equal(11000, dup.Code);

        var ttl = await Run("{createIndexes: 'i', indexes: [{key: {at: 1}, name: 'at_1', expireAfterSeconds: 60}]}");
        Assert.Equal(3, ttl["numIndexesAfter"].AsInt32);
        var list = await Run("{listIndexes: 'i'}");
        var specs = list["cursor"]["firstBatch"].AsBsonArray;
        Assert.Equal(D("{v: 2, key: {_id: 1}, name: '_id_'}"), specs[0]);
        Assert.Equal(D("{v: 2, key: {at: 1}, name: 'at_1', expireAfterSeconds: 60}"), specs[2]);
        Assert.Equal("t.$cmd.listIndexes.i", list["cursor"]["ns"].AsString);

        Assert.Equal(27, (await Fails("{dropIndexes: 'i', index: 'nope'}")).Code);
        Assert.Equal(72, (await Fails("{dropIndexes: 'i', index: '_id_'}")).Code);
        var dropped = await Run("{dropIndexes: 'i', index: {x: 1}}");
        Assert.Equal(3, dropped["nIndexesWas"].AsInt32);
        await Run("{dropIndexes: 'i', index: ['at_1']}");
        Assert.Equal(26, (await Fails("{listIndexes: 'nothere'}")).Code);
        Assert.Equal(26, (await Fails("{dropIndexes: 'nothere', index: '*'}")).Code);
    }

    [Fact]
    public async Task Catalog_replies()
    {
        await Run("{create: 'k', validator: {a: {$exists: true}}}");
        Assert.Equal(48, (await Fails("{create: 'k'}")).Code);
        Assert.Equal(238, (await Fails("{create: 'series', timeseries: {timeField: 't'}}")).Code);
        var list = await Run("{listCollections: 1, filter: {name: 'k'}}");
        var info = list["cursor"]["firstBatch"][0].AsBsonDocument;
        Assert.Equal("collection", info["type"].AsString);
        Assert.Equal(D("{validator: {a: {$exists: true}}}"), info["options"].AsBsonDocument);
        Assert.Equal(O.BsonBinarySubType.UuidStandard, info["info"]["uuid"].AsBsonBinaryData.SubType);
        Assert.Equal("t.$cmd.listCollections", list["cursor"]["ns"].AsString);
        var names = await Run("{listCollections: 1, nameOnly: true}");
        Assert.Equal(D("{name: 'k', type: 'collection'}"), names["cursor"]["firstBatch"][0].AsBsonDocument);

        await Run("{insert: 'k', documents: [{a: 1}]}");
        var stats = await Run("{collStats: 'k'}");
        Assert.Equal(1, stats["count"].AsInt32);
        Assert.Equal(1, stats["nindexes"].AsInt32);
        Assert.True(stats["size"].ToInt64() > 0);
        var dbStats = await Run("{dbStats: 1}");
        Assert.Equal(1, dbStats["collections"].AsInt32);
        Assert.Equal(1L, dbStats["objects"].ToInt64());

        var drop = await Run("{drop: 'k'}");
        Assert.Equal("t.k", drop["ns"].AsString);
        Assert.Equal(1, drop["nIndexesWas"].AsInt32);
        await Run("{drop: 'k'}");

        var wrongDb = await Fails("{listDatabases: 1}");
        Assert.Equal(13, wrongDb.Code);
        var rename = await Assert.ThrowsAsync<MongoCommandException>(() =>
            Client.GetDatabase("admin").RunCommandAsync<O.BsonDocument>(D("{renameCollection: 't.none', to: 't.x'}")));
        Assert.Equal(26, rename.Code);
        var dbs = await Client.GetDatabase("admin").RunCommandAsync<O.BsonDocument>(D("{listDatabases: 1}"));
        Assert.True(dbs.Contains("totalSize"));
        var dropped = await Run("{dropDatabase: 1}");
        Assert.Equal("t", dropped["dropped"].AsString);
    }

    [Fact]
    public async Task Ttl_index_expires_old_documents_and_natural_order_can_be_reversed()
    {
        var c = _db.GetCollection<O.BsonDocument>("ttl");
        await c.InsertManyAsync([
            new O.BsonDocument { { "_id", 1 }, { "at", DateTime.UtcNow.AddHours(-2) } },
            new O.BsonDocument { { "_id", 2 }, { "at", DateTime.UtcNow.AddHours(2) } },
            new O.BsonDocument { { "_id", 3 }, { "at", "not a date" } },
        ]);
        await Run("{createIndexes: 'ttl', indexes: [{key: {at: 1}, name: 'at_1', expireAfterSeconds: 3600}]}");
        var left = await c.Find(D("{}")).Sort(D("{$natural: -1}")).ToListAsync();
        Assert.Equal([3, 2], left.Select(d => d["_id"].AsInt32));
    }

    [Fact]
    public async Task Validator_rejects_invalid_documents_unless_bypassed()
    {
        await Run("{create: 'v', validator: {qty: {$gte: 0}}}");
        var bad = await Run("{insert: 'v', documents: [{_id: 1, qty: -1}]}");
        Assert.Equal(121, bad["writeErrors"][0]["code"].AsInt32);
        Assert.Equal(1, bad["writeErrors"][0]["errInfo"]["failingDocumentId"].AsInt32);
        var bypassed = await Run("{insert: 'v', documents: [{_id: 1, qty: -1}], bypassDocumentValidation: true}");
        Assert.Equal(1, bypassed["n"].AsInt32);
        await Run("{insert: 'v', documents: [{_id: 2, qty: 5}]}");
        var badUpdate = await Run("{update: 'v', updates: [{q: {_id: 2}, u: {$set: {qty: -5}}}]}");
        Assert.Equal(121, badUpdate["writeErrors"][0]["code"].AsInt32);
        await Run("{collMod: 'v', validationLevel: 'off'}");
        Assert.Equal(1, (await Run("{update: 'v', updates: [{q: {_id: 2}, u: {$set: {qty: -5}}}]}"))["nModified"].AsInt32);
        await Run("{collMod: 'v', validationLevel: 'strict', validator: {qty: {$lt: 100}}}");
        await Run("{createIndexes: 'v', indexes: [{key: {at: 1}, name: 'at_1', expireAfterSeconds: 10}]}");
        var mod = await Run("{collMod: 'v', index: {name: 'at_1', expireAfterSeconds: 20}}");
        Assert.Equal(D("{expireAfterSeconds_old: 10, expireAfterSeconds_new: 20, ok: 1.0}"), mod);
        await Run("{find: 'v', hint: 'at_1'}");
        await Run("{collMod: 'v', index: {keyPattern: {at: 1}, hidden: true}}");
        Assert.Equal(2, (await Fails("{find: 'v', hint: 'at_1'}")).Code);
        var ex = await Assert.ThrowsAsync<MongoWriteException>(() => _db.GetCollection<O.BsonDocument>("v").InsertOneAsync(D("{qty: 300}")));
        Assert.Equal(ServerErrorCategory.Uncategorized, ex.WriteError.Category);
        Assert.Equal(121, ex.WriteError.Code);
    }

    [Fact]
    public async Task Upsert_seeds_from_dotted_equalities_and_count_honours_skip_limit()
    {
        var reply = await Run("{update: 'u', updates: [{q: {'a.b': 1, c: {$gt: 5}, $and: [{d: 'x'}]}, u: {$setOnInsert: {e: 1}, $set: {f: 2}}, upsert: true}]}");
        var id = reply["upserted"][0]["_id"];
        Assert.Equal(O.BsonType.ObjectId, id.BsonType);
        var doc = await _db.GetCollection<O.BsonDocument>("u").Find(D("{}")).SingleAsync();
        Assert.Equal(new O.BsonDocument { { "_id", id }, { "a", D("{b: 1}") }, { "d", "x" }, { "e", 1 }, { "f", 2 } }, doc);

        await Run("{insert: 'n', documents: [{}, {}, {}, {}, {}]}");
        Assert.Equal(2, (await Run("{count: 'n', skip: 1, limit: 2}"))["n"].AsInt32);
        Assert.Equal(1, (await Run("{count: 'n', skip: 4, limit: 2}"))["n"].AsInt32);
        Assert.Equal(0, (await Run("{count: 'nothere'}"))["n"].AsInt32);
    }

    [Fact]
    public async Task Aggregate_command_shapes()
    {
        await Run("{insert: 'a', documents: [{_id: 1, v: 1}, {_id: 2, v: 2}]}");
        var reply = await Run("{aggregate: 'a', pipeline: [{$match: {v: {$gt: 1}}}], cursor: {}}");
        Assert.Equal(D("{_id: 2, v: 2}"), reply["cursor"]["firstBatch"][0].AsBsonDocument);
        Assert.Equal(9, (await Fails("{aggregate: 'a', pipeline: []}")).Code);
        Assert.Equal(40324, (await Fails("{aggregate: 'a', pipeline: [{$bogus: 1}], cursor: {}}")).Code);
        Assert.Equal(14, (await Fails("{aggregate: 'a', pipeline: [{$lookup: {from: 'a', localField: 'v', foreignField: 'v', as: 1}}], cursor: {}}")).Code);
        var docs = await Run("{aggregate: 1, pipeline: [{$documents: [{x: 1}, {x: 2}]}, {$match: {x: 2}}], cursor: {}}");
        Assert.Equal(D("{x: 2}"), docs["cursor"]["firstBatch"][0].AsBsonDocument);
        var let = await Run("{aggregate: 'a', pipeline: [{$match: {$expr: {$eq: ['$v', '$$target']}}}], cursor: {}, let: {target: 2}}");
        Assert.Single(let["cursor"]["firstBatch"].AsBsonArray);
    }
}
