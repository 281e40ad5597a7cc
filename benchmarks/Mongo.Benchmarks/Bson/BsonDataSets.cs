using Mongo.Benchmarks.Infrastructure;
using MongoDB.Bson;
using O = MongoDB.Bson;

namespace Mongo.Benchmarks.Bson;

/// <summary>The benchmarking spec's flat, deep and full documents as BSON bytes (encoded once by the official library).</summary>
internal static class BsonDataSets
{
    public static readonly string[] Names = ["flat", "deep", "full"];

    public static byte[] Load(string name)
    {
        string json = File.ReadAllText(BenchData.GetFile("extended_bson", $"{name}_bson.json"));
        return O.BsonDocument.Parse(json).ToBson();
    }
}
