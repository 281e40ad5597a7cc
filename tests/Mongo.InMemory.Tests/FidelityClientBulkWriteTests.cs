using MongoDB.Driver;
using Xunit;
using O = MongoDB.Bson;

namespace Mongo.InMemory.Tests;

/// <summary>
/// The 8.0 <c>bulkWrite</c> admin command, driven by the official driver's <c>MongoClient.BulkWrite</c> (the oracle:
/// what it accepts proves the reply shape, the results cursor and the error documents are a server's).
/// </summary>
public sealed class FidelityClientBulkWriteTests : IAsyncLifetime
{
    private InMemoryMongoServer _server = null!;

    public async Task InitializeAsync() => _server = await InMemoryMongoServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private MongoClient Client() => new(_server.ConnectionString);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Mixed_namespaces_with_verbose_results(bool async)
    {
        using var client = Client();
        var db0 = "cbw0" + async;
        var db1 = "cbw1" + async;
        var coll1 = client.GetDatabase(db0).GetCollection<O.BsonDocument>("b");
        var coll2 = client.GetDatabase(db1).GetCollection<O.BsonDocument>("c");
        await coll1.InsertManyAsync([new O.BsonDocument { { "_id", 1 }, { "x", 1 } }, new O.BsonDocument("_id", 2)]);
        await coll2.InsertManyAsync([new O.BsonDocument("_id", 3), new O.BsonDocument { { "_id", 4 }, { "x", 4 } }]);
        var models = new List<BulkWriteModel>
        {
            new BulkWriteInsertOneModel<O.BsonDocument>(db0 + ".a", new O.BsonDocument("_id", 1)),
            new BulkWriteInsertOneModel<O.BsonDocument>(db0 + ".a", new O.BsonDocument("_id", 2)),
            new BulkWriteUpdateOneModel<O.BsonDocument>(db0 + ".b", new O.BsonDocument("_id", 1), new O.BsonDocument("$inc", new O.BsonDocument("x", 1))),
            new BulkWriteDeleteOneModel<O.BsonDocument>(db1 + ".c", new O.BsonDocument("_id", 3)),
            new BulkWriteDeleteManyModel<O.BsonDocument>(db0 + ".b", new O.BsonDocument("_id", 2)),
            new BulkWriteReplaceOneModel<O.BsonDocument>(db1 + ".c", new O.BsonDocument("_id", 4), new O.BsonDocument("x", 45)),
            new BulkWriteUpdateOneModel<O.BsonDocument>(db1 + ".c", new O.BsonDocument("_id", 9), new O.BsonDocument("$set", new O.BsonDocument("y", 1)), isUpsert: true),
        };
        var options = new ClientBulkWriteOptions { VerboseResult = true };
        var result = async ? await client.BulkWriteAsync(models, options) : client.BulkWrite(models, options);

        Assert.Equal(2, result.InsertedCount);
        Assert.Equal(2, result.MatchedCount);
        Assert.Equal(2, result.ModifiedCount);
        Assert.Equal(2, result.DeletedCount);
        Assert.Equal(1, result.UpsertedCount);
        Assert.Equal("2", result.InsertResults[1].DocumentId.ToString());
        Assert.Equal(1, result.UpdateResults[2].MatchedCount);
        Assert.Equal(new O.BsonInt32(9), result.UpdateResults[6].UpsertedId);
        Assert.Equal(1, result.DeleteResults[4].DeletedCount);
        Assert.Equal(2, await client.GetDatabase(db0).GetCollection<O.BsonDocument>("a").CountDocumentsAsync(FilterDefinition<O.BsonDocument>.Empty));
        Assert.Equal(45, (await coll2.Find(new O.BsonDocument("_id", 4)).SingleAsync())["x"].AsInt32);
        Assert.Equal(0, _server.State.Cursors.Count);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Write_errors_by_index_ordered_and_unordered(bool ordered)
    {
        using var client = Client();
        var ns = "cbwerr.o" + ordered;
        var models = new List<BulkWriteModel>
        {
            new BulkWriteInsertOneModel<O.BsonDocument>(ns, new O.BsonDocument("_id", 1)),
            new BulkWriteInsertOneModel<O.BsonDocument>(ns, new O.BsonDocument("_id", 1)),
            new BulkWriteInsertOneModel<O.BsonDocument>(ns, new O.BsonDocument("_id", 2)),
            new BulkWriteDeleteOneModel<O.BsonDocument>(ns, new O.BsonDocument("$expr", new O.BsonDocument("$eq", new O.BsonArray { "$_id", "$$missing" }))),
        };

        var error = await Assert.ThrowsAsync<ClientBulkWriteException>(() => client.BulkWriteAsync(models, new ClientBulkWriteOptions { IsOrdered = ordered, VerboseResult = true }));

        Assert.Equal(11000, error.WriteErrors[1].Code);
        Assert.Equal(ordered ? 1 : 2, error.WriteErrors.Count);
        if (!ordered)
        {
            Assert.Equal(17276, error.WriteErrors[3].Code);
        }

        Assert.Equal(ordered ? 1 : 2, error.PartialResult.InsertedCount);
        Assert.True(error.PartialResult.InsertResults.ContainsKey(0));
        Assert.False(error.PartialResult.InsertResults.ContainsKey(1));
    }

    [Fact]
    public async Task Thousands_of_verbose_results_are_all_read_and_no_cursor_is_left()
    {
        using var client = Client();
        var models = Enumerable.Range(0, 5000).Select(i => (BulkWriteModel)new BulkWriteInsertOneModel<O.BsonDocument>("cbwmany.c", new O.BsonDocument("_id", i))).ToList();
        var result = await client.BulkWriteAsync(models, new ClientBulkWriteOptions { VerboseResult = true });

        Assert.Equal(5000, result.InsertedCount);
        Assert.Equal(5000, result.InsertResults.Count);
        Assert.Equal("4999", result.InsertResults[4999].DocumentId.ToString());
        Assert.Equal(0, _server.State.Cursors.Count);
    }

    [Fact]
    public async Task A_write_concern_error_from_a_fail_point_reaches_the_driver()
    {
        using var client = Client();
        await client.GetDatabase("admin").RunCommandAsync<O.BsonDocument>(new O.BsonDocument
        {
            { "configureFailPoint", "failCommand" },
            { "mode", new O.BsonDocument("times", 1) },
            { "data", new O.BsonDocument { { "failCommands", new O.BsonArray { "bulkWrite" } }, { "writeConcernError", new O.BsonDocument { { "code", 91 }, { "errmsg", "Replication is being shut down" } } } } },
        });

        var error = await Assert.ThrowsAsync<ClientBulkWriteException>(() => client.BulkWriteAsync(
            [new BulkWriteInsertOneModel<O.BsonDocument>("cbwwce.c", new O.BsonDocument("_id", 1))]));

        Assert.Single(error.WriteConcernErrors);
        Assert.Contains("Replication is being shut down", error.WriteConcernErrors[0].Message, StringComparison.Ordinal);
        Assert.Equal(1, error.PartialResult.InsertedCount);
    }

    [Fact]
    public async Task A_document_over_the_size_limit_is_a_write_error()
    {
        using var client = Client();
        var big = new O.BsonDocument { { "_id", 1 }, { "s", new string('x', 16 * 1024 * 1024) } };

        var error = await Assert.ThrowsAnyAsync<MongoException>(() => client.BulkWriteAsync(
            [new BulkWriteInsertOneModel<O.BsonDocument>("cbwbig.c", new O.BsonDocument("_id", 0)), new BulkWriteInsertOneModel<O.BsonDocument>("cbwbig.c", big)],
            new ClientBulkWriteOptions { IsOrdered = false }));

        // The official driver either rejects the document itself or reports the server's error: mongod 8.0's insert path
        // answers BadValue (2) for a document over 16 MiB.
        if (error is ClientBulkWriteException bulk)
        {
            Assert.Equal(2, bulk.WriteErrors[1].Code);
        }

        Assert.Equal(1, await client.GetDatabase("cbwbig").GetCollection<O.BsonDocument>("c").CountDocumentsAsync(FilterDefinition<O.BsonDocument>.Empty));
    }

    [Fact]
    public async Task Cursor_batch_size_leaves_the_rest_for_getMore_on_the_bulkWrite_namespace()
    {
        using var client = Client();
        var admin = client.GetDatabase("admin");
        var reply = await admin.RunCommandAsync<O.BsonDocument>(new O.BsonDocument
        {
            { "bulkWrite", 1 },
            { "ops", new O.BsonArray { new O.BsonDocument { { "insert", 0 }, { "document", new O.BsonDocument("_id", 1) } }, new O.BsonDocument { { "insert", 0 }, { "document", new O.BsonDocument("_id", 2) } }, new O.BsonDocument { { "delete", 0 }, { "filter", new O.BsonDocument() }, { "multi", true } } } },
            { "nsInfo", new O.BsonArray { new O.BsonDocument("ns", "cbwcursor.c") } },
            { "errorsOnly", false },
            { "cursor", new O.BsonDocument("batchSize", 1) },
        });

        var cursor = reply["cursor"].AsBsonDocument;
        Assert.Equal("admin.$cmd.bulkWrite", cursor["ns"].AsString);
        Assert.Single(cursor["firstBatch"].AsBsonArray);
        Assert.NotEqual(0L, cursor["id"].ToInt64());
        Assert.Equal(2, reply["nInserted"].ToInt32());
        Assert.Equal(2, reply["nDeleted"].ToInt32());
        var more = await admin.RunCommandAsync<O.BsonDocument>(new O.BsonDocument { { "getMore", cursor["id"] }, { "collection", "$cmd.bulkWrite" } });
        var next = more["cursor"]["nextBatch"].AsBsonArray;
        Assert.Equal([1, 2], next.Select(r => r["idx"].ToInt32()));
        Assert.Equal(2, next[1]["n"].ToInt32());
        Assert.Equal(0L, more["cursor"]["id"].ToInt64());
    }
}
