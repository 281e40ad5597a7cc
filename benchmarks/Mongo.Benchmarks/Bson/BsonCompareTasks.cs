using Mongo.Benchmarks.Compare;
using Mongo.Bson;
using O = MongoDB.Bson;
using OIO = MongoDB.Bson.IO;
using OSer = MongoDB.Bson.Serialization;

namespace Mongo.Benchmarks.Bson;

/// <summary>
/// The BSON tasks of the driver benchmarking spec (decode to a DOM, encode with a reused writer) plus a raw scan.
/// Our decoded documents materialise on first use, so <c>bson_decode_walk_*</c> also decodes and then visits every
/// value on both sides: the honest figure for code that reads the whole document.
/// </summary>
internal static class BsonCompareTasks
{
    public static IEnumerable<CompareTask> Create()
    {
        foreach (string name in BsonDataSets.Names)
        {
            byte[] bytes = BsonDataSets.Load(name);
            // Encode a fully materialised DOM (as built by user code), not a decoded one that would be copied as bytes.
            var ours = BsonDocument.FromBytes(bytes);
            Materialize(ours);
            var official = OSer.BsonSerializer.Deserialize<O.BsonDocument>(bytes);

            yield return new CompareTask($"bson_decode_{name}", bytes.Length,
                () => BsonDocument.FromBytes(bytes),
                () => OSer.BsonSerializer.Deserialize<O.BsonDocument>(bytes));

            yield return new CompareTask($"bson_decode_walk_{name}", bytes.Length,
                () => Walk(BsonDocument.FromBytes(bytes)),
                () => WalkOfficial(OSer.BsonSerializer.Deserialize<O.BsonDocument>(bytes)));

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

    /// <summary>Visits every value of a DOM by index (materialising all of ours); returns the count.</summary>
    internal static int Walk(BsonValue value)
    {
        int count = 0;
        switch (value)
        {
            case BsonDocument document:
                for (int i = 0; i < document.ElementCount; i++)
                {
                    count += 1 + Walk(document[i]);
                }

                break;
            case BsonArray array:
                for (int i = 0; i < array.Count; i++)
                {
                    count += 1 + Walk(array[i]);
                }

                break;
            case BsonJavaScriptWithScope code:
                count += Walk(code.Scope);
                break;
        }

        return count;
    }

    /// <summary>
    /// Makes a decoded DOM look built by user code before it is encoded: every level materialised and every string
    /// decoded (a string still held as the decoded bytes would be copied as UTF-8, not encoded).
    /// </summary>
    internal static void Materialize(BsonValue value)
    {
        switch (value)
        {
            case BsonDocument document:
                for (int i = 0; i < document.ElementCount; i++)
                {
                    Materialize(document[i]);
                }

                break;
            case BsonArray array:
                for (int i = 0; i < array.Count; i++)
                {
                    Materialize(array[i]);
                }

                break;
            case BsonString text:
                _ = text.Value;
                break;
            case BsonJavaScriptWithScope code:
                Materialize(code.Scope);
                break;
        }
    }

    internal static int WalkOfficial(O.BsonValue value)
    {
        int count = 0;
        switch (value)
        {
            case O.BsonDocument document:
                for (int i = 0; i < document.ElementCount; i++)
                {
                    count += 1 + WalkOfficial(document[i]);
                }

                break;
            case O.BsonArray array:
                for (int i = 0; i < array.Count; i++)
                {
                    count += 1 + WalkOfficial(array[i]);
                }

                break;
            case O.BsonJavaScriptWithScope code:
                count += WalkOfficial(code.Scope);
                break;
        }

        return count;
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
