using Mongo.Benchmarks.Infrastructure;
using O = MongoDB.Bson;

namespace Mongo.Benchmarks.Driver;

/// <summary>The benchmarking spec's single- and multi-document data, as BSON bytes both drivers decode from.</summary>
internal static class DriverDataSets
{
    public static byte[] Load(string name) =>
        OfficialOps.Encode(O.BsonDocument.Parse(File.ReadAllText(BenchData.GetFile("single_and_multi_document", name + ".json"))));

    public static string GridFSLarge => BenchData.GetFile("single_and_multi_document", "gridfs_large.bin");
}
