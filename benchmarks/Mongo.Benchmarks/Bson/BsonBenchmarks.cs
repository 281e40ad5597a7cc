using BenchmarkDotNet.Attributes;
using Mongo.Bson;
using O = MongoDB.Bson;
using OIO = MongoDB.Bson.IO;
using OSer = MongoDB.Bson.Serialization;

namespace Mongo.Benchmarks.Bson;

/// <summary>BenchmarkDotNet version of the BSON tasks: ours and official side by side per data set.</summary>
[MemoryDiagnoser]
public class BsonBenchmarks
{
    private byte[] _bytes = [];
    private BsonDocument _ours = [];
    private O.BsonDocument _official = [];
    private readonly BsonWriter _writer = new();
    private readonly MemoryStream _officialBuffer = new();

    /// <summary>The data set.</summary>
    [Params("flat", "deep", "full")]
    public string DataSet { get; set; } = "flat";

    /// <summary>Loads the data set.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _bytes = BsonDataSets.Load(DataSet);
        _ours = BsonDocument.FromBytes(_bytes);
        BsonCompareTasks.Walk(_ours); // encode a materialised DOM, not bytes kept from decoding
        _official = OSer.BsonSerializer.Deserialize<O.BsonDocument>(_bytes);
    }

    /// <summary>Decode to our DOM.</summary>
    [Benchmark]
    public BsonDocument DecodeOurs() => BsonDocument.FromBytes(_bytes);

    /// <summary>Decode to the official DOM.</summary>
    [Benchmark(Baseline = true)]
    public O.BsonDocument DecodeOfficial() => OSer.BsonSerializer.Deserialize<O.BsonDocument>(_bytes);

    /// <summary>Decode to our DOM and visit every value (materialising all of it).</summary>
    [Benchmark]
    public int DecodeWalkOurs() => BsonCompareTasks.Walk(BsonDocument.FromBytes(_bytes));

    /// <summary>Encode our DOM with a reused writer.</summary>
    [Benchmark]
    public long EncodeOurs()
    {
        _writer.Reset();
        _ours.WriteTo(_writer);
        return _writer.WrittenCount;
    }

    /// <summary>Encode the official DOM with a reused buffer.</summary>
    [Benchmark]
    public long EncodeOfficial()
    {
        _officialBuffer.Position = 0;
        _officialBuffer.SetLength(0);
        using var w = new OIO.BsonBinaryWriter(_officialBuffer);
        OSer.BsonSerializer.Serialize(w, _official);
        return _officialBuffer.Length;
    }

    /// <summary>Non-allocating scan with our reader.</summary>
    [Benchmark]
    public int ScanOurs() => BsonCompareTasks.Scan(_bytes);
}
