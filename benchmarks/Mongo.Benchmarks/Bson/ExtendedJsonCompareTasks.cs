using Mongo.Benchmarks.Compare;
using Mongo.Bson;
using O = MongoDB.Bson;
using OIO = MongoDB.Bson.IO;

namespace Mongo.Benchmarks.Bson;

/// <summary>
/// Extended JSON parse and write (canonical and relaxed) of the benchmarking spec's flat/deep/full documents.
/// Throughput is reported in MB/s of the JSON text handled.
/// </summary>
internal static class ExtendedJsonCompareTasks
{
    private static readonly OIO.JsonWriterSettings s_canonical = new() { OutputMode = OIO.JsonOutputMode.CanonicalExtendedJson };
    private static readonly OIO.JsonWriterSettings s_relaxed = new() { OutputMode = OIO.JsonOutputMode.RelaxedExtendedJson };

    public static IEnumerable<CompareTask> Create()
    {
        foreach (string name in BsonDataSets.Names)
        {
            byte[] bytes = BsonDataSets.Load(name);
            var ours = BsonDocument.FromBytes(bytes);
            var official = O.BsonDocument.Parse(O.BsonExtensionMethods.ToJson(O.Serialization.BsonSerializer.Deserialize<O.BsonDocument>(bytes), s_canonical));
            string canonical = ours.ToJson(ExtendedJsonMode.Canonical);
            string relaxed = ours.ToJson(ExtendedJsonMode.Relaxed);

            yield return new CompareTask($"ejson_parse_canonical_{name}", canonical.Length,
                () => BsonDocument.Parse(canonical),
                () => O.BsonDocument.Parse(canonical));

            yield return new CompareTask($"ejson_write_canonical_{name}", canonical.Length,
                () => ours.ToJson(ExtendedJsonMode.Canonical),
                () => O.BsonExtensionMethods.ToJson(official, s_canonical));

            yield return new CompareTask($"ejson_write_relaxed_{name}", relaxed.Length,
                () => ours.ToJson(ExtendedJsonMode.Relaxed),
                () => O.BsonExtensionMethods.ToJson(official, s_relaxed));
        }
    }
}
