using MongoDB.Bson;
using MongoDB.Driver;

namespace Mongo.Benchmarks.Driver;

/// <summary>
/// The official driver's calls that are extension methods; kept in a file that imports only the official
/// namespaces, whose type names clash with ours.
/// </summary>
internal static class OfficialOps
{
    public static byte[] Encode(BsonDocument document) => document.ToBson();

    public static BsonDocument? FindOne(IMongoCollection<BsonDocument> collection, BsonDocument filter) =>
        collection.Find(filter).FirstOrDefault();

    public static int FindAll(IMongoCollection<BsonDocument> collection)
    {
        int count = 0;
        foreach (var _ in collection.Find(new BsonDocument()).ToEnumerable())
        {
            count++;
        }

        return count;
    }

    /// <summary>Reads every document and visits each of its values.</summary>
    public static int FindAllAndWalk(IMongoCollection<BsonDocument> collection)
    {
        int count = 0;
        foreach (var document in collection.Find(new BsonDocument()).ToEnumerable())
        {
            count += Bson.BsonCompareTasks.WalkOfficial(document);
        }

        return count;
    }
}
