using Mongo.Benchmarks.Compare;
using Mongo.Bson;
using O = MongoDB.Bson;
using OIO = MongoDB.Bson.IO;
using OSer = MongoDB.Bson.Serialization;

namespace Mongo.Benchmarks.Bson;

/// <summary>The BSON tasks of the driver benchmarking spec (decode to a DOM, encode with a reused writer) plus a raw scan.</summary>
internal static class BsonCompareTasks
{
    public static IEnumerable<CompareTask> Create()
    {
        foreach (string name in BsonDataSets.Names)
        {
            byte[] bytes = BsonDataSets.Load(name);
            var ours = BsonDocument.FromBytes(bytes);
            var official = OSer.BsonSerializer.Deserialize<O.BsonDocument>(bytes);

            yield return new CompareTask($"bson_decode_{name}", bytes.Length,
                () => BsonDocument.FromBytes(bytes),
                () => OSer.BsonSerializer.Deserialize<O.BsonDocument>(bytes));

            var writer = new BsonWriter();
            var officialBuffer = new MemoryStream(bytes.Length * 2);
            yield return new CompareTask($"bson_encode_{name}", bytes.Length,
                () =>
                {
                    writer.Reset();
                    ours.WriteTo(writer);
                },
                () =>
                {
                    officialBuffer.Position = 0;
                    officialBuffer.SetLength(0);
                    using var w = new OIO.BsonBinaryWriter(officialBuffer);
                    OSer.BsonSerializer.Serialize(w, official);
                });

            yield return new CompareTask($"bson_scan_{name}", bytes.Length,
                () => Scan(bytes),
                () => ScanOfficial(bytes));
        }
    }

    /// <summary>Visits every element without materialising anything.</summary>
    internal static int Scan(byte[] bytes)
    {
        var reader = new BsonReader(bytes);
        int count = 0;
        while (reader.Read())
        {
            count++;
        }

        return count;
    }

    private static int ScanOfficial(byte[] bytes)
    {
        using var reader = new OIO.BsonBinaryReader(new MemoryStream(bytes));
        return ScanOfficialDocument(reader);
    }

    private static int ScanOfficialDocument(OIO.BsonBinaryReader reader)
    {
        int count = 0;
        reader.ReadStartDocument();
        while (reader.ReadBsonType() != O.BsonType.EndOfDocument)
        {
            reader.SkipName();
            count++;
            switch (reader.CurrentBsonType)
            {
                case O.BsonType.Document:
                    count += ScanOfficialDocument(reader);
                    break;
                case O.BsonType.Array:
                    reader.ReadStartArray();
                    while (reader.ReadBsonType() != O.BsonType.EndOfDocument)
                    {
                        count++;
                        reader.SkipValue();
                    }

                    reader.ReadEndArray();
                    break;
                default:
                    reader.SkipValue();
                    break;
            }
        }

        reader.ReadEndDocument();
        return count;
    }
}
