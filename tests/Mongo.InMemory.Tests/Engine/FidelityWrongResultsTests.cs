using MongoDB.Driver;
using Xunit;
using M = Mongo.Bson;
using O = MongoDB.Bson;

namespace Mongo.InMemory.Tests.Engine;

/// <summary>
/// Places where the server used to answer differently from mongod 8.0 (issue 15's "wrong results"): Decimal128 against
/// double, empty timestamps, TTL on compound indexes, documents nested deeper than mongod stores.
/// </summary>
public sealed class FidelityWrongResultsTests : OfficialDriverTestBase
{
    private IMongoDatabase _db = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        _db = Client.GetDatabase("t");
    }

    private static O.BsonDocument D(string json) => O.BsonDocument.Parse(json);

    private Task<O.BsonDocument> Run(string json) => _db.RunCommandAsync<O.BsonDocument>(D(json));

    [Fact]
    public async Task Decimal128_and_double_compare_exactly_in_queries()
    {
        var c = _db.GetCollection<O.BsonDocument>("dec");
        await c.InsertManyAsync([D("{_id: 1, v: NumberDecimal('1.10')}"), D("{_id: 2, v: 1.1}"), D("{_id: 3, v: NumberDecimal('1')}"), D("{_id: 4, v: 1.5}")]);

        // 1.1 is not exactly representable as a double, so the double and the decimal are different numbers.
        Assert.Equal([2], await Ids(c, "{v: 1.1}"));
        Assert.Equal([1], await Ids(c, "{v: NumberDecimal('1.1')}"));
        // Whole numbers and exactly representable fractions are equal across types.
        Assert.Equal([3], await Ids(c, "{v: 1}"));
        Assert.Equal([4], await Ids(c, "{v: NumberDecimal('1.50')}"));
        Assert.Equal([1, 2, 4], await Ids(c, "{v: {$in: [1.1, NumberDecimal('1.1'), 1.5]}}"));
        // The double 1.1 is 1.100000000000000088817..., above the decimal 1.1.
        Assert.Equal([1], await Ids(c, "{v: {$gt: 1, $lt: 1.1}}"));
        Assert.Equal([2, 4], await Ids(c, "{v: {$gt: NumberDecimal('1.1')}}"));
    }

    [Fact]
    public async Task Decimal128_and_double_stay_apart_in_group_distinct_and_sort()
    {
        var c = _db.GetCollection<O.BsonDocument>("grp");
        await c.InsertManyAsync([D("{_id: 1, v: NumberDecimal('0.1')}"), D("{_id: 2, v: 0.1}"), D("{_id: 3, v: NumberDecimal('0.10')}"), D("{_id: 4, v: 2}"), D("{_id: 5, v: NumberDecimal('2.0')}")]);

        var groups = await c.Aggregate<O.BsonDocument>(new[] { D("{$group: {_id: '$v', n: {$sum: 1}}}"), D("{$sort: {_id: 1}}") }).ToListAsync();
        Assert.Equal([2, 1, 2], groups.Select(g => g["n"].AsInt32));
        Assert.Equal(O.BsonType.Decimal128, groups[0]["_id"].BsonType);
        Assert.Equal(O.BsonType.Double, groups[1]["_id"].BsonType);

        var distinct = await c.DistinctAsync<O.BsonValue>("v", D("{}"));
        Assert.Equal(3, (await distinct.ToListAsync()).Count);

        var sorted = await c.Find(D("{_id: {$lte: 3}}")).Sort(D("{v: 1, _id: 1}")).ToListAsync();
        Assert.Equal([1, 3, 2], sorted.Select(d => d["_id"].AsInt32));
    }

    private static async Task<List<int>> Ids(IMongoCollection<O.BsonDocument> c, string filter) =>
        (await c.Find(D(filter)).Sort(D("{_id: 1}")).ToListAsync()).Select(d => d["_id"].AsInt32).ToList();

    [Fact]
    public async Task Legacy_OP_QUERY_find_gets_the_QueryFailure_flag_and_mongod_8_message()
    {
        using var client = await RawWireClient.ConnectAsync(Server.Port);
        await client.SendAsync(RawWireClient.OpQuery("t.c", D("{a: 1}"), requestId: 91));
        var reply = await client.ReceiveAsync();
        Assert.NotNull(reply);
        Assert.Equal(1, reply.OpCode);
        Assert.Equal(91, reply.ResponseTo);
        Assert.Equal(2u, reply.Flags & 2u); // QueryFailure
        Assert.Equal(5739101, reply.Document["code"].AsInt32);
        Assert.Equal("OP_QUERY is no longer supported. The client driver may require an upgrade. For more details see https://dochub.mongodb.org/core/legacy-opcode-removal", reply.Document["$err"].AsString);

        // The connection stays usable.
        await client.SendAsync(RawWireClient.OpMsg(D("{ping: 1, $db: 'admin'}")));
        Assert.Equal(1.0, (await client.ReceiveAsync())!.Document["ok"].ToDouble());
    }

    [Fact]
    public async Task Top_level_empty_timestamps_are_filled_on_insert_and_replace_but_not_in_id_or_nested()
    {
        var c = _db.GetCollection<O.BsonDocument>("ts");
        var empty = new O.BsonTimestamp(0);
        await c.InsertOneAsync(new O.BsonDocument { { "_id", 1 }, { "a", empty }, { "b", empty }, { "sub", new O.BsonDocument("t", empty) } });
        await c.InsertOneAsync(new O.BsonDocument { { "_id", empty }, { "x", 1 } });

        var doc = await c.Find(D("{_id: 1}")).SingleAsync();
        Assert.NotEqual(0L, doc["a"].AsBsonTimestamp.Value);
        Assert.NotEqual(0L, doc["b"].AsBsonTimestamp.Value);
        Assert.NotEqual(doc["a"], doc["b"]); // each one ticks the clock
        Assert.Equal(0L, doc["sub"]["t"].AsBsonTimestamp.Value);
        Assert.Equal(1, await c.CountDocumentsAsync(new O.BsonDocument("_id", empty)));

        await c.ReplaceOneAsync(D("{_id: 1}"), new O.BsonDocument { { "_id", 1 }, { "r", empty } });
        doc = await c.Find(D("{_id: 1}")).SingleAsync();
        Assert.NotEqual(0L, doc["r"].AsBsonTimestamp.Value);
        Assert.False(doc.Contains("a"));
    }

    [Fact]
    public async Task TTL_on_a_compound_index_and_an_unknown_index_type_are_refused_with_67()
    {
        var compound = await Assert.ThrowsAsync<MongoCommandException>(() =>
            Run("{createIndexes: 'ttl', indexes: [{key: {a: 1, b: 1}, name: 'ab', expireAfterSeconds: 10}]}"));
        Assert.Equal(67, compound.Code);
        Assert.Contains("TTL indexes are single-field indexes, compound indexes do not support TTL", compound.Message);

        var plugin = await Assert.ThrowsAsync<MongoCommandException>(() =>
            Run("{createIndexes: 'ttl', indexes: [{key: {a: 'foo'}, name: 'a_foo'}]}"));
        Assert.Equal(67, plugin.Code);
        Assert.Contains("Unknown index plugin 'foo'", plugin.Message);

        await Run("{createIndexes: 'ttl', indexes: [{key: {a: 1}, name: 'a', expireAfterSeconds: 10}]}");
    }

    /// <summary>A document <paramref name="depth"/> levels deep in all (the top level counting as one), built with Mongo.Bson.</summary>
    /// <remarks>The official driver refuses to serialize more than 100 levels, so these go over the raw wire.</remarks>
    private static M.BsonDocument Nested(int depth, int id)
    {
        var inner = new M.BsonDocument("leaf", 1);
        for (int i = 2; i < depth; i++)
        {
            inner = new M.BsonDocument("a", inner);
        }

        return new M.BsonDocument { { "_id", id }, { "a", inner } };
    }

    private static byte[] OpMsg(M.BsonDocument body)
    {
        byte[] encoded = body.ToBytes();
        byte[] message = new byte[21 + encoded.Length];
        System.Buffers.Binary.BinaryPrimitives.WriteInt32LittleEndian(message, message.Length);
        System.Buffers.Binary.BinaryPrimitives.WriteInt32LittleEndian(message.AsSpan(4), RawWireClient.NextRequestId());
        System.Buffers.Binary.BinaryPrimitives.WriteInt32LittleEndian(message.AsSpan(12), 2013);
        encoded.CopyTo(message, 21);
        return message;
    }

    /// <summary>Runs a command over the raw wire and decodes the reply with Mongo.Bson's default reader options (the driver's).</summary>
    private async Task<M.BsonDocument> RawCommand(M.BsonDocument command)
    {
        using var client = await RawWireClient.ConnectAsync(Server.Port);
        command.Add("$db", "t");
        await client.SendAsync(OpMsg(command));
        var reply = await client.ReceiveAsync();
        Assert.NotNull(reply);
        return M.BsonDocument.FromBytes(reply.Message.AsSpan(21));
    }

    [Fact]
    public async Task Documents_deeper_than_180_levels_are_refused_and_180_are_stored_and_read_back()
    {
        var stored = await RawCommand(new M.BsonDocument { { "insert", "deep" }, { "documents", new M.BsonArray { Nested(180, 1) } } });
        Assert.Equal(1, stored["n"].ToInt32());
        Assert.False(stored.Contains("writeErrors"));

        // find wraps the document in cursor.firstBatch: the default reader options still decode it.
        var found = await RawCommand(new M.BsonDocument { { "find", "deep" }, { "filter", new M.BsonDocument("_id", 1) } });
        Assert.Equal(Nested(180, 1), found["cursor"].AsDocument["firstBatch"].AsArray[0]);

        var refused = await RawCommand(new M.BsonDocument { { "insert", "deep" }, { "documents", new M.BsonArray { Nested(181, 2) } } });
        Assert.Equal(0, refused["n"].ToInt32());
        Assert.Equal(15, refused["writeErrors"].AsArray[0].AsDocument["code"].ToInt32());
        Assert.Equal("cannot insert document because it exceeds 180 levels of nesting", refused["writeErrors"].AsArray[0].AsDocument["errmsg"].AsString);

        // An empty document at the bottom does not count as a level, as in mongod.
        var emptyBottom = Nested(180, 3);
        M.BsonDocument cursor = emptyBottom["a"].AsDocument;
        while (cursor.Contains("a"))
        {
            cursor = cursor["a"].AsDocument;
        }

        cursor.Set("e", new M.BsonDocument());
        var accepted = await RawCommand(new M.BsonDocument { { "insert", "deep" }, { "documents", new M.BsonArray { emptyBottom } } });
        Assert.Equal(1, accepted["n"].ToInt32());

        // An update that would push a stored document past the limit is refused, and the document is unchanged.
        var set = new M.BsonDocument("$set", new M.BsonDocument("b", Nested(181, 0)["a"]));
        var update = await RawCommand(new M.BsonDocument { { "update", "deep" }, { "updates", new M.BsonArray { new M.BsonDocument { { "q", new M.BsonDocument("_id", 1) }, { "u", set } } } } });
        Assert.Equal(15, update["writeErrors"].AsArray[0].AsDocument["code"].ToInt32());
        Assert.Equal("Document exceeds maximum nesting depth of 180", update["writeErrors"].AsArray[0].AsDocument["errmsg"].AsString);
        Assert.Equal(2, await _db.GetCollection<O.BsonDocument>("deep").CountDocumentsAsync(D("{}")));
    }
}
