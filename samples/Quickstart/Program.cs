using Mongo.Bson;
using Mongo.Driver;
using Mongo.InMemory;

namespace Quickstart;

/// <summary>PyMongo's README tutorial, in C#: connect, insert, find, index, sort, limit/skip.</summary>
public static class Program
{
    /// <summary>Uses <c>MONGODB_URI</c> when set, otherwise an in-process Mongo.InMemory server.</summary>
    public static async Task<int> Main()
    {
        var uri = Environment.GetEnvironmentVariable("MONGODB_URI");
        if (!string.IsNullOrEmpty(uri))
        {
            await RunAsync(uri, Console.Out);
            return 0;
        }

        await using var server = await InMemoryMongoServer.StartAsync();
        await RunAsync(server.ConnectionString, Console.Out);
        return 0;
    }

    /// <summary>The tutorial itself, writing what PyMongo's README prints.</summary>
    public static async Task RunAsync(string connectionString, TextWriter output)
    {
        await using var client = new MongoClient(connectionString);
        var db = client.GetDatabase("test");
        output.WriteLine(db.DatabaseName);

        var collection = db.GetCollection("my_collection");
        // Start from an empty collection so the output is the same on every run.
        await db.DropCollectionAsync("my_collection");

        output.WriteLine(Show((await collection.InsertOneAsync(new BsonDocument("x", 10))).InsertedId));
        output.WriteLine(Show((await collection.InsertOneAsync(new BsonDocument("x", 8))).InsertedId));
        output.WriteLine(Show((await collection.InsertOneAsync(new BsonDocument("x", 11))).InsertedId));

        output.WriteLine(await collection.FindOneAsync(Filter.Empty));

        await foreach (var item in collection.Find(Filter.Empty))
        {
            output.WriteLine(item["x"]);
        }

        output.WriteLine(await collection.CreateIndexAsync("x"));

        await foreach (var item in collection.Find(Filter.Empty).Sort(Sort.Ascending("x")))
        {
            output.WriteLine(item["x"]);
        }

        var page = await collection.Find(Filter.Empty).Limit(2).Skip(1).ToListAsync();
        output.WriteLine("[" + string.Join(", ", page.Select(item => item["x"])) + "]");
    }

    private static string Show(BsonValue id) => id.IsObjectId ? "ObjectId('" + id.AsObjectId + "')" : id.ToString() ?? string.Empty;
}
