using Mongo.Bson;
using Mongo.Driver.Operations;
using Mongo.Driver.Tests.Api;

namespace Mongo.Driver.Tests.Transactions;

/// <summary>What the transaction tests share: a client over a scripted executor, sync/async calls, and the commands sent.</summary>
internal static class TransactionTestKit
{
    public static (FakeExecutor Fake, MongoClient Client) FakeClient(MongoClientSettings? settings = null)
    {
        var fake = new FakeExecutor();
        return (fake, FakeExecutor.Client(fake, settings));
    }

    public static MongoCollection<BsonDocument> Collection(MongoClient client, MongoSession session) =>
        client.GetDatabase("db").GetCollection("c").WithSession(session);

    public static async Task InsertAsync(MongoCollection<BsonDocument> collection, bool async, BsonDocument document, InsertOneOptions? options = null)
    {
        if (async)
        {
            await collection.InsertOneAsync(document, options);
        }
        else
        {
            collection.InsertOne(document, options);
        }
    }

    public static async Task<List<BsonDocument>> FindAsync(MongoCollection<BsonDocument> collection, bool async, FindOptions? options = null) =>
        async ? await collection.Find(FilterDefinition.Empty, options).ToListAsync() : collection.Find(FilterDefinition.Empty, options).ToList();

    public static Task CommitAsync(MongoSession session, bool async)
    {
        if (async)
        {
            return session.CommitTransactionAsync();
        }

        session.CommitTransaction();
        return Task.CompletedTask;
    }

    public static Task AbortAsync(MongoSession session, bool async)
    {
        if (async)
        {
            return session.AbortTransactionAsync();
        }

        session.AbortTransaction();
        return Task.CompletedTask;
    }

    /// <summary>The commands of this name the fake received, in order.</summary>
    public static List<CommandOperation> Sent(FakeExecutor fake, string name) => fake.Sent.Where(m => m.CommandName == name).ToList();

    /// <summary>An ok:0 reply (the fake throws it as a MongoCommandException), with error labels when given.</summary>
    public static BsonDocument Error(int code, string codeName, params string[] labels)
    {
        var reply = new BsonDocument { { "ok", 0.0 }, { "errmsg", "scripted " + codeName }, { "code", code }, { "codeName", codeName } };
        if (labels.Length > 0)
        {
            reply.Add("errorLabels", new BsonArray(labels.Select(l => (BsonValue)l)));
        }

        return reply;
    }

    /// <summary>A reply function that fails like a dropped connection.</summary>
    public static Func<CommandOperation, BsonDocument> NetworkError() =>
        message => throw new MongoConnectionException("scripted network error on " + message.CommandName);
}
