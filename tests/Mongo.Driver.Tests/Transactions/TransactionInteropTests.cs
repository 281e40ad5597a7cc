using Mongo.Bson;
using Mongo.Driver.Events;
using Mongo.InMemory;
using Mongo.Testing.Monitoring;
using Xunit;
using O = MongoDB.Bson;
using OD = MongoDB.Driver;

namespace Mongo.Driver.Tests.Transactions;

/// <summary>
/// A transaction run by the official MongoDB.Driver 3.14.0 and the same one run by ours, against the same in-memory replica
/// set: the same commands reach the server, commit makes the writes visible, abort leaves nothing, and a write conflict
/// between the two drivers is labelled TransientTransactionError on either side.
/// </summary>
public sealed class TransactionInteropTests
{
    private const string Db = "txn_interop";

    /// <summary>The transaction fields of a command, the way both drivers should send them.</summary>
    private static BsonDocument Shape(BsonDocument command)
    {
        var shape = new BsonDocument("command", command.GetElement(0).Name);
        foreach (string field in new[] { "startTransaction", "autocommit", "writeConcern", "recoveryToken" })
        {
            if (command.TryGetValue(field, out BsonValue? value))
            {
                shape.Add(field, value);
            }
        }

        shape.Add("lsid", command.Contains("lsid"));
        shape.Add("txnNumber", command.Contains("txnNumber"));
        shape.Add("readConcern", command.TryGetValue("readConcern", out BsonValue? readConcern) ? readConcern.AsDocument.Contains("level") ? readConcern.AsDocument["level"] : "afterClusterTime only" : BsonNull.Value);
        return shape;
    }

    [Fact]
    public async Task Both_drivers_send_the_same_transaction_and_the_server_keeps_the_same_outcome()
    {
        await using var server = await InMemoryMongoServer.StartAsync(new InMemoryMongoServerOptions { ReplicaSetName = "rs0" });

        // The official driver: insert and update in a committed transaction, then an aborted one.
        var officialCommands = new List<BsonDocument>();
        var officialSettings = OD.MongoClientSettings.FromConnectionString(server.ConnectionString);
        officialSettings.ClusterConfigurator = b => b.Subscribe<MongoDB.Driver.Core.Events.CommandStartedEvent>(e =>
        {
            if (e.CommandName is "insert" or "update" or "commitTransaction" or "abortTransaction")
            {
                officialCommands.Add(BsonDocument.FromBytes(O.BsonExtensionMethods.ToBson(e.Command)));
            }
        });
        using var official = new OD.MongoClient(officialSettings);
        var officialCollection = official.GetDatabase(Db).GetCollection<O.BsonDocument>("official");
        officialCollection.InsertOne(new O.BsonDocument("_id", 0));
        officialCommands.Clear();
        var txnOptions = new OD.TransactionOptions(readConcern: OD.ReadConcern.Snapshot, writeConcern: OD.WriteConcern.WMajority);
        using (var session = official.StartSession())
        {
            session.StartTransaction(txnOptions);
            officialCollection.InsertOne(session, new O.BsonDocument("_id", 1));
            officialCollection.UpdateOne(session, new O.BsonDocument("_id", 1), new O.BsonDocument("$set", new O.BsonDocument("x", 1)));
            session.CommitTransaction();
            session.StartTransaction(txnOptions);
            officialCollection.InsertOne(session, new O.BsonDocument("_id", 2));
            session.AbortTransaction();
        }

        // Ours: the same.
        var recorder = new EventRecorder(t => t == typeof(CommandStartedEvent));
        var settings = MongoClientSettings.FromConnectionString(server.ConnectionString);
        settings.EventSubscribers = [recorder];
        await using var ours = new MongoClient(settings);
        var collection = ours.GetDatabase(Db).GetCollection("ours");
        await collection.InsertOneAsync(new BsonDocument("_id", 0));
        int skip = recorder.Events.Count;
        var options = new TransactionOptions { ReadConcern = ReadConcern.Snapshot, WriteConcern = WriteConcern.WMajority };
        await using (MongoSession session = ours.StartSession())
        {
            var bound = collection.WithSession(session);
            session.StartTransaction(options);
            await bound.InsertOneAsync(new BsonDocument("_id", 1));
            await bound.UpdateOneAsync(new BsonDocument("_id", 1), new BsonDocument("$set", new BsonDocument("x", 1)));
            await session.CommitTransactionAsync();
            session.StartTransaction(options);
            await bound.InsertOneAsync(new BsonDocument("_id", 2));
            await session.AbortTransactionAsync();
        }

        List<BsonDocument> ourCommands = recorder.Events.Skip(skip).OfType<CommandStartedEvent>()
            .Where(e => e.CommandName is "insert" or "update" or "commitTransaction" or "abortTransaction").Select(e => e.Command).ToList();
        Assert.Equal(officialCommands.Select(Shape), ourCommands.Select(Shape));

        var officialDocuments = OD.IAsyncCursorSourceExtensions.ToList(OD.IMongoCollectionExtensions.Find(officialCollection, OD.FilterDefinition<O.BsonDocument>.Empty))
            .Select(d => BsonDocument.FromBytes(O.BsonExtensionMethods.ToBson(d)));
        var ourDocuments = await collection.Find(FilterDefinition.Empty).ToListAsync();
        Assert.Equal([new BsonDocument("_id", 0), new BsonDocument { { "_id", 1 }, { "x", 1 } }], ourDocuments);
        Assert.Equal(ourDocuments, officialDocuments);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_write_conflict_between_the_drivers_is_a_TransientTransactionError_on_either_side(bool oursFirst)
    {
        await using var server = await InMemoryMongoServer.StartAsync(new InMemoryMongoServerOptions { ReplicaSetName = "rs0" });
        using var official = new OD.MongoClient(server.ConnectionString);
        await using var ours = new MongoClient(server.ConnectionString);
        var officialCollection = official.GetDatabase(Db).GetCollection<O.BsonDocument>("c");
        var collection = ours.GetDatabase(Db).GetCollection("c");
        await collection.InsertOneAsync(new BsonDocument { { "_id", 1 }, { "n", 0 } });

        using var officialSession = official.StartSession();
        await using MongoSession session = ours.StartSession();
        officialSession.StartTransaction();
        session.StartTransaction();
        var inc = new BsonDocument("$inc", new BsonDocument("n", 1));
        Task OursAsync() => collection.WithSession(session).UpdateOneAsync(new BsonDocument("_id", 1), inc);
        void Official() => officialCollection.UpdateOne(officialSession, new O.BsonDocument("_id", 1), new O.BsonDocument("$inc", new O.BsonDocument("n", 1)));

        if (oursFirst)
        {
            await OursAsync();
            var loser = Assert.Throws<OD.MongoCommandException>(Official);
            Assert.Equal(112, loser.Code);
            Assert.True(loser.HasErrorLabel("TransientTransactionError"));
            await session.CommitTransactionAsync();
            officialSession.AbortTransaction();
        }
        else
        {
            Official();
            var loser = await Assert.ThrowsAsync<MongoCommandException>(OursAsync);
            Assert.Equal(112, loser.Code);
            Assert.True(loser.HasErrorLabel("TransientTransactionError"));
            officialSession.CommitTransaction();
            await session.AbortTransactionAsync();
        }

        Assert.Equal(1, (await collection.Find(FilterDefinition.Empty).ToListAsync())[0]["n"].ToInt32());
    }
}
