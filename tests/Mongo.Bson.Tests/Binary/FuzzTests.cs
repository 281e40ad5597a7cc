using System.Buffers.Binary;
using Xunit;
using Xunit.Abstractions;

namespace Mongo.Bson.Tests.Binary;

public class FuzzTests(ITestOutputHelper output)
{
    private const int DefaultSeed = 4242;

    public static TheoryData<string> Fixtures() => ["every-type", "random-0", "random-1", "random-2", "flat", "full", "deep"];

    private static byte[]? Fixture(string name) => name switch
    {
        "every-type" => TestDocuments.EveryType().ToBytes(),
        "flat" => BenchData.Load("flat_bson.json"),
        "full" => BenchData.Load("full_bson.json"),
        "deep" => BenchData.Load("deep_bson.json"),
        _ => TestDocuments.RandomDocument(new Random(int.Parse(name[7..], System.Globalization.CultureInfo.InvariantCulture) + 1), maxDepth: 5, officialCompatible: false).ToBytes(),
    };

    [SkippableTheory]
    [MemberData(nameof(Fixtures))]
    public void Every_truncation_throws_a_format_exception(string fixture)
    {
        byte[]? bson = Fixture(fixture);
        Skip.If(bson is null, "benchmark data (../shared/bench-data) not found");
        for (int cut = 0; cut < bson!.Length; cut++)
        {
            byte[] prefix = bson.AsSpan(0, cut).ToArray();
            AssertRejected(prefix, $"{fixture} cut at {cut}");

            // With the length prefix patched to the cut, the errors come from inside the document instead.
            if (cut >= 4)
            {
                BinaryPrimitives.WriteInt32LittleEndian(prefix, cut);
                AssertRejected(prefix, $"{fixture} cut at {cut} (length patched)");
            }
        }
    }

    private static void AssertRejected(byte[] bytes, string what)
    {
        try
        {
            ReaderTests.Drain(bytes);
            Assert.Fail($"{what}: the reader accepted it");
        }
        catch (BsonFormatException)
        {
        }

        Assert.Throws<BsonFormatException>(() => BsonDocument.FromBytes(bytes));
        Assert.Throws<BsonFormatException>(() => new RawBsonDocument(bytes));
    }

    [Fact]
    public void Mutated_documents_only_raise_format_exceptions_and_allocate_in_proportion()
    {
        int iterations = int.TryParse(Environment.GetEnvironmentVariable("MONGO_FUZZ_ITERATIONS"), out int n) ? n : 20_000;
        int seed = int.TryParse(Environment.GetEnvironmentVariable("MONGO_FUZZ_SEED"), out int s) ? s : DefaultSeed;
        output.WriteLine($"fuzz seed {seed}, {iterations} iterations (MONGO_FUZZ_SEED / MONGO_FUZZ_ITERATIONS)");
        var random = new Random(seed);
        var corpus = new List<byte[]> { TestDocuments.EveryType().ToBytes() };
        for (int i = 0; i < 30; i++)
        {
            corpus.Add(TestDocuments.RandomDocument(random, maxDepth: 4, officialCompatible: false).ToBytes());
        }

        int rejected = 0;
        for (int i = 0; i < iterations; i++)
        {
            byte[] input = Mutate(random, corpus[random.Next(corpus.Count)], corpus[random.Next(corpus.Count)]);
            try
            {
                long before = GC.GetAllocatedBytesForCurrentThread();
                bool valid = TryDecode(input);
                long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
                rejected += valid ? 0 : 1;
                Assert.True(allocated <= (64L * input.Length) + 65536, $"allocated {allocated} bytes for {input.Length} input bytes");
            }
            catch (Exception ex) when (ex is not Xunit.Sdk.XunitException)
            {
                Assert.Fail($"seed {seed}, iteration {i}: {ex.GetType().Name} escaped for input {Convert.ToHexString(input)}: {ex}");
            }
            catch (Xunit.Sdk.XunitException ex)
            {
                Assert.Fail($"seed {seed}, iteration {i}, input {Convert.ToHexString(input)}: {ex.Message}");
            }
        }

        output.WriteLine($"{rejected} of {iterations} mutants rejected");
        Assert.True(rejected > iterations / 2, "most mutants should be invalid; the mutator is not doing its job");
    }

    /// <summary>Decodes through every entry point; false when the input is rejected with a format exception.</summary>
    private static bool TryDecode(byte[] input)
    {
        bool readerOk;
        try
        {
            ReaderTests.Drain(input);
            readerOk = true;
        }
        catch (BsonFormatException)
        {
            readerOk = false;
        }

        try
        {
            BsonDocument doc = BsonDocument.FromBytes(input);
            Assert.True(readerOk, "FromBytes accepted what the reader rejected");

            // Whatever we accept re-encodes to bytes that decode to the same document (array item names are
            // not kept by the DOM, so the bytes themselves may differ).
            Assert.Equal(doc, BsonDocument.FromBytes(doc.ToBytes()));
            Assert.Equal(doc.ElementCount, new RawBsonDocument(input).ElementCount);
            return true;
        }
        catch (BsonFormatException)
        {
            Assert.False(readerOk, "FromBytes rejected what the reader accepted");
            return false;
        }
    }

    private static byte[] Mutate(Random random, byte[] original, byte[] other)
    {
        byte[] bytes = (byte[])original.Clone();
        int mutations = 1 + random.Next(3);
        for (int m = 0; m < mutations && bytes.Length > 0; m++)
        {
            int at = random.Next(bytes.Length);
            switch (random.Next(7))
            {
                case 0:
                    bytes[at] ^= (byte)(1 << random.Next(8));
                    break;
                case 1:
                    bytes[at] = new byte[] { 0, 1, 2, 0x7F, 0x80, 0xFF, 0x13, 0x14, 0xC3 }[random.Next(9)];
                    break;
                case 2 when at + 4 <= bytes.Length:
                    int current = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(at));
                    int corrupted = random.Next(4) switch
                    {
                        0 => current + random.Next(-3, 4),
                        1 => -1,
                        2 => int.MaxValue,
                        _ => random.Next(0, bytes.Length * 2),
                    };
                    BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(at), corrupted);
                    break;
                case 3:
                    bytes = bytes.AsSpan(0, at).ToArray();
                    break;
                case 4 when other.Length > 0:
                    int from = random.Next(other.Length);
                    int length = random.Next(1, Math.Min(64, other.Length - from) + 1);
                    bytes = [.. bytes.AsSpan(0, at), .. other.AsSpan(from, length), .. bytes.AsSpan(at)];
                    break;
                case 5:
                    int cut = random.Next(1, Math.Min(16, bytes.Length - at) + 1);
                    bytes = [.. bytes.AsSpan(0, at), .. bytes.AsSpan(at + cut)];
                    break;
                default:
                    // Keep the outer length consistent so the mutation is seen by the element parser.
                    bytes[at] ^= (byte)(1 << random.Next(8));
                    if (bytes.Length >= 4)
                    {
                        BinaryPrimitives.WriteInt32LittleEndian(bytes, bytes.Length);
                    }

                    break;
            }
        }

        return bytes;
    }
}
