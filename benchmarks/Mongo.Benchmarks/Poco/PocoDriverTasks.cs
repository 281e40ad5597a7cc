using Mongo.Benchmarks.Compare;
using Mongo.Benchmarks.Infrastructure;
using Mongo.Driver;
using FilterDefinition = Mongo.Driver.FilterDefinition;
using MongoClient = Mongo.Driver.MongoClient;
using MongoClientSettings = Mongo.Driver.MongoClientSettings;
using MongoDB.Driver;
using OD = MongoDB.Driver;
using Official = Mongo.Benchmarks.Poco.Official;

namespace Mongo.Benchmarks.Poco;

/// <summary>
/// <c>driver_find_many_poco</c>: the 10,000 tweets the find-many task seeds, read into a typed list, through our
/// generated context and through the official driver's class map.
/// </summary>
internal static class PocoDriverTasks
{
    public static IEnumerable<CompareTask> Create(OutOfProcessServer server, long tweetBytes)
    {
        var settings = MongoClientSettings.FromConnectionString(server.ConnectionString);
        settings.SerializerContext = BenchBson.Default;
        var ours = new MongoClient(settings);
        var official = new OD.MongoClient(server.ConnectionString);
        var oursTweets = ours.GetDatabase("perftest").GetCollection<Tweet>("tweets");
        var officialTweets = official.GetDatabase("perftest").GetCollection<Official.Tweet>("tweets");

        yield return new CompareTask("driver_find_many_poco", tweetBytes * 10_000L,
            () => Check(oursTweets.Find(FilterDefinition.Empty).ToList().Count),
            () => Check(officialTweets.Find(OD.FilterDefinition<Official.Tweet>.Empty).ToList().Count));
    }

    private static void Check(int count)
    {
        if (count != 10_000)
        {
            throw new InvalidOperationException($"Expected 10,000 tweets, read {count}.");
        }
    }
}
