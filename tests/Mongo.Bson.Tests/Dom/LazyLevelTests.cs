using System.Text;
using Xunit;

namespace Mongo.Bson.Tests.Dom;

/// <summary>
/// Materialising the levels of a lazy document: levels of every size (with the count the validating pass found, or
/// counted on the spot), and binary and code values that stay in the document's bytes until they are read.
/// </summary>
public class LazyLevelTests
{
    private static readonly string s_padding = new('p', Internal.BsonDecoder.EagerLimit);

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(8)]
    [InlineData(9)]
    [InlineData(17)]
    [InlineData(300)]
    public void Levels_of_every_size_materialise_equal_to_the_original(int count)
    {
        // The top level's count comes from the validating pass; the nested large ones are counted when their parent
        // materialises; the small ones are built with it.
        var original = new BsonDocument("pad", s_padding);
        var bigArray = new BsonArray { s_padding };
        var bigDocument = new BsonDocument("pad", s_padding);
        var smallArray = new BsonArray();
        for (int i = 0; i < count; i++)
        {
            original.Add("e" + i, i % 3 == 0 ? (BsonValue)i : i % 3 == 1 ? "s" + i : new BsonDocument("n", i));
            bigArray.Add(i % 2 == 0 ? (BsonValue)(long)i : new BsonArray { i, "x" });
            bigDocument.Add("f" + i, i);
            if (i < 20)
            {
                smallArray.Add(i);
            }
        }

        original.Add("bigArray", bigArray).Add("bigDocument", bigDocument).Add("smallArray", smallArray);
        byte[] bytes = original.ToBytes();

        BsonDocument decoded = BsonDocument.FromBytes(bytes);
        Assert.Equal(original.ElementCount, decoded.ElementCount);
        Assert.Equal(bigArray.Count, ((BsonArray)decoded["bigArray"]).Count);
        Assert.Equal(bigDocument.ElementCount, ((BsonDocument)decoded["bigDocument"]).ElementCount);
        Assert.Equal(original, decoded);
        Assert.Equal(bytes, decoded.ToBytes());

        // A copy taken before materialisation carries the count along.
        BsonDocument lazy = BsonDocument.FromBytes(bytes);
        var clone = (BsonDocument)lazy.DeepClone();
        Assert.Equal(original.ElementCount, clone.ElementCount);
        Assert.Equal(original, clone);
        Assert.Equal(original, lazy);
    }

    [Fact]
    public void A_large_array_decoded_alone_materialises_with_its_counted_items()
    {
        var original = new BsonDocument("a", new BsonArray(Enumerable.Range(0, 100).Select(i => (BsonValue)("item " + i))));
        var reader = new BsonReader(original.ToBytes());
        reader.Read();
        reader.Read();
        var array = (BsonArray)reader.GetValue();
        Assert.Equal(100, array.Count);
        Assert.Equal(original["a"], array);
    }

    [Fact]
    public async Task Binary_values_of_a_lazy_document_are_copied_once_on_first_use()
    {
        byte[] payload = Enumerable.Range(0, 40).Select(i => (byte)i).ToArray();
        var original = new BsonDocument
        {
            ["pad"] = s_padding,
            ["bin"] = new BsonBinaryData(payload),
            ["old"] = new BsonBinaryData(payload, BsonBinarySubType.OldBinary),
            ["empty"] = new BsonBinaryData([], BsonBinarySubType.UserDefined),
        };
        byte[] bytes = original.ToBytes();

        // Encoded and compared without being copied out first.
        BsonDocument decoded = BsonDocument.FromBytes(bytes);
        decoded.GetElement(0);
        Assert.Equal(bytes, decoded.ToBytes());
        Assert.Equal(original, decoded);
        Assert.Equal(original.GetHashCode(), decoded.GetHashCode());

        for (int round = 0; round < 20; round++)
        {
            decoded = BsonDocument.FromBytes(bytes);
            var binary = (BsonBinaryData)decoded.GetElement(2).Value;
            using var start = new ManualResetEventSlim();
            Task<byte[]>[] readers = Enumerable.Range(0, 4).Select(_ => Task.Run(() =>
            {
                start.Wait();
                return binary.Bytes;
            })).ToArray();
            start.Set();
            byte[][] seen = await Task.WhenAll(readers);
            Assert.Equal(payload, seen[0]);
            Assert.All(seen, array => Assert.Same(seen[0], array));
            Assert.Equal(BsonBinarySubType.OldBinary, binary.SubType);
        }

        // The copy is the value from then on, as for a value built from an array.
        decoded = BsonDocument.FromBytes(bytes);
        var bin = (BsonBinaryData)decoded.GetElement(1).Value;
        bin.Bytes[0] = 99;
        Assert.Equal(99, ((BsonBinaryData)BsonDocument.FromBytes(decoded.ToBytes())["bin"]).Bytes[0]);
        Assert.Empty(((BsonBinaryData)decoded["empty"]).Bytes);
    }

    [Fact]
    public void Code_of_a_lazy_code_with_scope_is_decoded_on_first_use()
    {
        var scope = new BsonDocument("x", 1);
        var original = new BsonDocument
        {
            ["pad"] = s_padding,
            ["ascii"] = new BsonJavaScriptWithScope("function () { return x; }", scope),
            ["text"] = new BsonJavaScriptWithScope("/* é 中文 𝄞 */ x", scope),
            ["empty"] = new BsonJavaScriptWithScope("", new BsonDocument()),
        };
        byte[] bytes = original.ToBytes();

        BsonDocument decoded = BsonDocument.FromBytes(bytes);
        Assert.Equal(original.GetHashCode(), decoded.GetHashCode());
        Assert.Equal(original, decoded);
        Assert.Equal("/* é 中文 𝄞 */ x", ((BsonJavaScriptWithScope)decoded["text"]).Code);
        Assert.Equal(scope, ((BsonJavaScriptWithScope)decoded["ascii"]).Scope);
        Assert.Equal(bytes, decoded.ToBytes());
        Assert.Equal(bytes, BsonDocument.FromBytes(bytes).ToBytes());
    }

    [Fact]
    public void Short_strings_of_a_large_document_are_checked_byte_by_byte()
    {
        // Strings of 4 to 16 bytes are checked by word reads: every position of a bad byte must still be refused,
        // and every position of a valid multi-byte character accepted.
        for (int length = 1; length <= 20; length++)
        {
            for (int at = 0; at < length; at++)
            {
                byte[] text = Encoding.ASCII.GetBytes(new string('a', length));
                text[at] = 0xFF;
                byte[] bad = LargeDocumentWith(text);
                Assert.Throws<BsonFormatException>(() => BsonDocument.FromBytes(bad));

                if (at + 2 <= length)
                {
                    text = Encoding.ASCII.GetBytes(new string('a', length));
                    text[at] = 0xC3;
                    text[at + 1] = 0xA9;
                    BsonDocument decoded = BsonDocument.FromBytes(LargeDocumentWith(text));
                    Assert.Equal(Encoding.UTF8.GetString(text), decoded["s"].AsString);
                }
            }
        }
    }

    [Fact]
    public void Strings_of_a_lazy_level_keep_their_bytes_until_read_and_decode_once_under_concurrent_reads()
    {
        var original = new BsonDocument { ["pad"] = s_padding, ["s"] = "héllo 中文 𝄞" };
        byte[] bytes = original.ToBytes();
        BsonDocument decoded = BsonDocument.FromBytes(bytes);
        var text = (BsonString)decoded[1]; // by position: a lookup by name may peek and decode the string on its own

        Assert.True(text.TryGetUtf8(out ReadOnlySpan<byte> utf8));
        Assert.Equal(Encoding.UTF8.GetBytes("héllo 中文 𝄞"), utf8.ToArray());
        string[] seen = new string[8];
        Parallel.For(0, seen.Length, i => seen[i] = text.Value);
        Assert.All(seen, value => Assert.Equal("héllo 中文 𝄞", value));
        Assert.False(text.TryGetUtf8(out _));
        Assert.Same(text.Value, text.Value);
        Assert.Equal(bytes, decoded.ToBytes());
    }

    [Fact]
    public void A_lazy_string_costs_one_small_object_when_its_level_materialises()
    {
        // 100 one-letter strings in an array above the eager limit: materialising it allocates the item array and
        // one BsonString each, whose storage (string or bytes, offset, length) fits 32 bytes on a 64-bit runtime.
        var items = new BsonArray();
        for (int i = 0; i < 100; i++)
        {
            items.Add("x");
        }

        byte[] bytes = new BsonDocument("a", items).ToBytes();
        long Materialise()
        {
            var array = (BsonArray)BsonDocument.FromBytes(bytes)["a"];
            long before = GC.GetAllocatedBytesForCurrentThread();
            _ = array.Count;
            long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            Assert.IsType<BsonString>(array[99]);
            return allocated;
        }

        Materialise();
        long allocated = Materialise();
        long bound = 24 + (100 * 8) + (100 * (IntPtr.Size == 8 ? 32 : 24)) + 64;
        Assert.True(allocated <= bound, $"materialising 100 lazy strings allocated {allocated} bytes, over {bound}");
    }

    /// <summary>A document above the eager limit whose string "s" has exactly these UTF-8 bytes.</summary>
    private static byte[] LargeDocumentWith(byte[] utf8)
    {
        byte[] bytes = new BsonDocument { ["pad"] = s_padding, ["s"] = new string('a', utf8.Length) }.ToBytes();
        int at = bytes.AsSpan().IndexOf("s\0"u8) + 2 + 4;
        utf8.CopyTo(bytes, at);
        return bytes;
    }
}
