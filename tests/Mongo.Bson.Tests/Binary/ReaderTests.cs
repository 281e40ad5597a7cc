using System.Text;
using Xunit;
using O = MongoDB.Bson;

namespace Mongo.Bson.Tests.Binary;

public class ReaderTests
{
    private static byte[] Official(O.BsonDocument doc) => TestDocuments.OfficialBytes(doc);

    [Fact]
    public void Walks_tokens_names_depths_and_values_of_official_bytes()
    {
        byte[] bson = Official(new O.BsonDocument
        {
            { "a", 1 },
            { "b", new O.BsonDocument { { "c", "x" }, { "d", new O.BsonArray { 2L, true, new O.BsonDocument() } } } },
            { "e", 2.5 },
        });
        var reader = new BsonReader(bson);
        var seen = new List<string>();
        while (reader.Read())
        {
            seen.Add($"{reader.TokenType}:{reader.CurrentType}:{reader.GetName()}:{reader.CurrentDepth}{(reader.IsInArray ? ":item" : "")}");
        }

        Assert.Equal(
            [
                "StartDocument:Document::0",
                "Value:Int32:a:1",
                "StartDocument:Document:b:1",
                "Value:String:c:2",
                "StartArray:Array:d:2",
                "Value:Int64:0:3:item",
                "Value:Boolean:1:3:item",
                "StartDocument:Document:2:3:item",
                "EndDocument:Document::3:item",
                "EndArray:Array::2",
                "EndDocument:Document::1",
                "Value:Double:e:1",
                "EndDocument:Document::0",
            ],
            seen);
        Assert.Equal(bson.Length, reader.BytesConsumed);
        Assert.False(reader.Read());
    }

    [Fact]
    public void Typed_getters_read_every_type()
    {
        var oid = O.ObjectId.GenerateNewId();
        byte[] bson = Official(new O.BsonDocument
        {
            { "d", 1.25 }, { "s", "héllo" }, { "i", -7 }, { "l", long.MaxValue }, { "t", true },
            { "dt", new O.BsonDateTime(123456789L) }, { "ts", new O.BsonTimestamp(5, 6) }, { "oid", oid },
            { "bin", new O.BsonBinaryData([9, 8, 7], O.BsonBinarySubType.UserDefined) },
            { "re", new O.BsonRegularExpression("a+", "i") }, { "js", new O.BsonJavaScript("f()") },
            { "sym", (O.BsonSymbol)"q" },
            { "dec", new O.BsonDecimal128(O.Decimal128.Parse("1.5")) },
            { "jsws", new O.BsonJavaScriptWithScope("g()", new O.BsonDocument("k", 1)) },
        });
        var reader = new BsonReader(bson);
        reader.Read();
        Next(ref reader, "d");
        Assert.Equal(1.25, reader.GetDouble());
        Next(ref reader, "s");
        Assert.Equal("héllo", reader.GetString());
        Assert.Equal("héllo"u8.ToArray(), reader.GetStringSpan().ToArray());
        Next(ref reader, "i");
        Assert.Equal(-7, reader.GetInt32());
        Next(ref reader, "l");
        Assert.Equal(long.MaxValue, reader.GetInt64());
        Next(ref reader, "t");
        Assert.True(reader.GetBoolean());
        Next(ref reader, "dt");
        Assert.Equal(123456789L, reader.GetDateTime());
        Next(ref reader, "ts");
        Assert.Equal((5UL << 32) | 6, reader.GetTimestamp());
        Next(ref reader, "oid");
        Assert.Equal(oid.ToString(), reader.GetObjectId().ToString());
        Next(ref reader, "bin");
        Assert.Equal([9, 8, 7], reader.GetBinary(out var subType).ToArray());
        Assert.Equal(BsonBinarySubType.UserDefined, subType);
        Next(ref reader, "re");
        reader.GetRegularExpression(out string pattern, out string options);
        Assert.Equal(("a+", "i"), (pattern, options));
        Next(ref reader, "js");
        Assert.Equal("f()", reader.GetJavaScript());
        Next(ref reader, "sym");
        Assert.Equal("q", reader.GetSymbol());
        Next(ref reader, "dec");
        var dec = reader.GetDecimal128();
        var expected = O.Decimal128.Parse("1.5");
        Assert.Equal((expected.GetIEEEHighBits(), expected.GetIEEELowBits()), (dec.HighBits, dec.LowBits));
        Next(ref reader, "jsws");
        Assert.Equal("g()", reader.GetJavaScriptWithScope(out BsonDocument scope));
        Assert.Equal(new BsonDocument("k", 1), scope);
        Assert.True(reader.Read());
        Assert.Equal(BsonTokenType.EndDocument, reader.TokenType);
    }

    private static void Next(ref BsonReader reader, string name)
    {
        Assert.True(reader.Read());
        Assert.True(reader.NameEquals(name), $"expected {name}, got {reader.GetName()}");
        Assert.True(reader.NameEquals(Encoding.UTF8.GetBytes(name)));
    }

    [Fact]
    public void DBPointer_is_read_from_hand_built_bytes()
    {
        byte[] oid = Enumerable.Range(1, 12).Select(i => (byte)i).ToArray();
        byte[] bson = Bytes.Doc(Bytes.Element(0x0C, "p", [.. Bytes.Str("db.c"), .. oid]));
        var reader = new BsonReader(bson);
        reader.Read();
        reader.Read();
        reader.GetDBPointer(out string ns, out ObjectId id);
        Assert.Equal("db.c", ns);
        Assert.Equal(oid, id.ToByteArray());
    }

    [Fact]
    public void Getter_on_wrong_type_throws_bson_exception_with_path()
    {
        byte[] bson = Official(new O.BsonDocument("a", new O.BsonDocument("b", "x")));
        var reader = new BsonReader(bson);
        reader.Read();
        reader.Read();
        reader.Read();
        BsonException? ex = null;
        try
        {
            reader.GetInt32();
        }
        catch (BsonException e)
        {
            ex = e;
        }

        Assert.NotNull(ex);
        Assert.Equal("a.b", ex!.Path);
        Assert.Contains("String", ex.Message);
    }

    [Fact]
    public void TryGet_numbers_convert_only_exact_values()
    {
        byte[] bson = Official(new O.BsonDocument { { "i", 5 }, { "big", 1L << 40 }, { "half", 2.5 }, { "whole", 3.0 }, { "s", "x" } });
        var reader = new BsonReader(bson);
        reader.Read();
        reader.Read();
        Assert.True(reader.TryGetInt64(out long l) && l == 5);
        Assert.True(reader.TryGetDouble(out double d) && d == 5);
        reader.Read();
        Assert.False(reader.TryGetInt32(out _));
        Assert.True(reader.TryGetInt64(out l) && l == 1L << 40);
        reader.Read();
        Assert.False(reader.TryGetInt32(out _));
        Assert.False(reader.TryGetInt64(out _));
        reader.Read();
        Assert.True(reader.TryGetInt32(out int i) && i == 3);
        reader.Read();
        Assert.False(reader.TryGetDouble(out _));
    }

    [Fact]
    public void Skip_moves_to_matching_end_and_current_path_names_the_element()
    {
        byte[] bson = Official(new O.BsonDocument { { "a", new O.BsonDocument("x", new O.BsonArray { 1, 2 }) }, { "b", 1 } });
        var reader = new BsonReader(bson);
        reader.Read();
        reader.Read();
        Assert.Equal("a", reader.CurrentPath);
        reader.Skip();
        Assert.Equal(BsonTokenType.EndDocument, reader.TokenType);
        Assert.Equal(1, reader.CurrentDepth);
        reader.Read();
        Assert.Equal("b", reader.CurrentPath);
        Assert.Equal(1, reader.GetInt32());
    }

    [Fact]
    public void Current_path_inside_arrays_uses_indexes()
    {
        byte[] bson = Official(new O.BsonDocument("a", new O.BsonDocument("b", new O.BsonArray { 1, new O.BsonDocument("c", 2) })));
        var reader = new BsonReader(bson);
        var paths = new List<string>();
        while (reader.Read())
        {
            if (reader.TokenType == BsonTokenType.Value)
            {
                paths.Add(reader.CurrentPath);
            }
        }

        Assert.Equal(["a.b.0", "a.b.1.c"], paths);
    }

    [Fact]
    public void Raw_document_memory_slices_without_copying()
    {
        byte[] bson = Official(new O.BsonDocument { { "a", new O.BsonDocument("x", 1) } });
        var reader = new BsonReader(bson.AsMemory());
        reader.Read();
        reader.Read();
        ReadOnlyMemory<byte> raw = reader.GetRawDocumentMemory();
        Assert.True(System.Runtime.InteropServices.MemoryMarshal.TryGetArray(raw, out ArraySegment<byte> segment));
        Assert.Same(bson, segment.Array);
        Assert.Equal(new BsonDocument("x", 1), BsonDocument.FromBytes(raw.Span));
    }

    [Fact]
    public void Trailing_bytes_are_rejected_unless_allowed()
    {
        byte[] bson = [.. Official(new O.BsonDocument("a", 1)), 0xAA];
        var ex = Assert.Throws<BsonFormatException>(() => Drain(bson));
        Assert.Equal(bson.Length - 1, ex.ByteOffset);

        var reader = new BsonReader(bson, new BsonReaderOptions { AllowTrailingBytes = true });
        while (reader.Read())
        {
        }

        Assert.Equal(bson.Length - 1, reader.BytesConsumed);
    }

    [Fact]
    public void Depth_limit_is_enforced_including_inside_code_with_scope()
    {
        var doc = new O.BsonDocument();
        var inner = doc;
        for (int i = 0; i < 5; i++)
        {
            var next = new O.BsonDocument();
            inner.Add("n", next);
            inner = next;
        }

        byte[] bson = Official(doc);
        Drain(bson, new BsonReaderOptions { MaxDepth = 6 });
        var ex = Assert.Throws<BsonFormatException>(() => Drain(bson, new BsonReaderOptions { MaxDepth = 5 }));
        Assert.Equal("n.n.n.n.n", ex.Path);

        byte[] scoped = Official(new O.BsonDocument("js", new O.BsonJavaScriptWithScope("c", new O.BsonDocument("n", new O.BsonDocument()))));
        Drain(scoped, new BsonReaderOptions { MaxDepth = 3 });
        Assert.Throws<BsonFormatException>(() => Drain(scoped, new BsonReaderOptions { MaxDepth = 2 }));
    }

    public static TheoryData<string, byte[], long, string?> Malformed() => new()
    {
        { "empty", [], 0, null },
        { "length too small", [4, 0, 0, 0, 0], 0, null },
        { "length beyond buffer", [6, 0, 0, 0, 0], 0, null },
        { "missing terminator", [5, 0, 0, 0, 1], 4, null },
        { "boolean 2", Bytes.Doc(Bytes.Element(8, "b", 2)), 7, "b" },
        { "string length 0", Bytes.Doc(Bytes.Element(2, "s", [.. Bytes.Int32(0), 0])), 7, "s" },
        { "string length beyond document", Bytes.Doc(Bytes.Element(2, "s", [.. Bytes.Int32(50), 0])), 7, "s" },
        { "string without NUL", Bytes.Doc(Bytes.Element(2, "s", [.. Bytes.Int32(2), (byte)'a', (byte)'b'])), 12, "s" },
        { "string invalid UTF-8", Bytes.Doc(Bytes.Element(2, "s", [.. Bytes.Int32(2), 0xC3, 0])), 11, "s" },
        { "name invalid UTF-8", Bytes.Doc([0x10, 0xFF, 0, .. Bytes.Int32(1)]), 5, null },
        { "name not terminated", [8, 0, 0, 0, 0x10, (byte)'a', (byte)'b', 0], 5, null },
        { "unknown type", Bytes.Doc(Bytes.Element(0x14, "u", 1, 2)), 4, "u" },
        { "int32 truncated", Bytes.Doc(Bytes.Element(0x10, "i", 1, 2)), 7, "i" },
        { "subdocument length beyond parent", Bytes.Doc(Bytes.Element(3, "d", [.. Bytes.Int32(6), 0])), 7, "d" },
        { "subdocument not terminated", Bytes.Doc(Bytes.Element(3, "d", [.. Bytes.Int32(5), 1])), 11, "d" },
        { "terminator before declared end", [.. Bytes.Int32(7), 0, 0, 0], 4, null },
        { "binary negative length", Bytes.Doc(Bytes.Element(5, "b", [.. Bytes.Int32(-1), 0])), 7, "b" },
        { "binary subtype 2 inner mismatch", Bytes.Doc(Bytes.Element(5, "b", [.. Bytes.Int32(5), 2, .. Bytes.Int32(2), 9])), 12, "b" },
        { "binary subtype 2 too short", Bytes.Doc(Bytes.Element(5, "b", [.. Bytes.Int32(2), 2, 0, 0])), 7, "b" },
        { "regex options not terminated", [.. Bytes.Int32(10), 0x0B, (byte)'r', 0, (byte)'a', 0, 0], 9, "r" },
        { "code with scope total too small", Bytes.Doc(Bytes.Element(0x0F, "c", [.. Bytes.Int32(13), .. Bytes.Str("a"), .. Bytes.Int32(5), 0])), 7, "c" },
        { "code with scope total mismatch", Bytes.Doc(Bytes.Element(0x0F, "c", [.. Bytes.Int32(16), .. Bytes.Str("a"), .. Bytes.Int32(5), 0, 0])), 17, "c" },
        { "code with scope invalid scope", Bytes.Doc(Bytes.Element(0x0F, "c", [.. Bytes.Int32(19), .. Bytes.Str("a"), .. Bytes.Doc(Bytes.Element(8, "z", 7))])), 24, "c.z" },
        { "nested path", Bytes.Doc(Bytes.Element(3, "a", Bytes.Doc(Bytes.Element(4, "b", Bytes.Doc(Bytes.Element(8, "0", 3)))))), 21, "a.b.0" },
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public void Malformed_input_throws_format_exception_with_offset_and_path(string description, byte[] bson, long offset, string? path)
    {
        var ex = Assert.Throws<BsonFormatException>(() => Drain(bson));
        Assert.True(offset == ex.ByteOffset, $"{description}: offset {ex.ByteOffset}, expected {offset}: {ex.Message}");
        Assert.Equal(path, ex.Path);
        Assert.Throws<BsonFormatException>(() => BsonDocument.FromBytes(bson));
    }

    [Fact]
    public void Names_of_every_length_and_non_ascii_position_are_read_exactly()
    {
        // Covers the word-at-a-time name scan (names up to 15 bytes) and its fallbacks.
        var doc = new O.BsonDocument();
        var expected = new List<string>();
        for (int length = 0; length <= 20; length++)
        {
            string ascii = new string('n', length);
            expected.Add(ascii + "|" + expected.Count);
            for (int at = 0; at < length; at++)
            {
                expected.Add(ascii.Substring(0, at) + "é" + ascii.Substring(at + 1) + "|" + expected.Count);
            }
        }

        foreach (string name in expected)
        {
            doc.Add(name, 1);
        }

        byte[] bson = Official(doc);
        var reader = new BsonReader(bson);
        reader.Read();
        var names = new List<string>();
        while (reader.Read() && reader.TokenType == BsonTokenType.Value)
        {
            Assert.Equal(Encoding.UTF8.GetBytes(reader.GetName()), reader.NameSpan.ToArray());
            names.Add(reader.GetName());
        }

        Assert.Equal(expected, names);

        // A name with an invalid byte inside the first word is still rejected.
        byte[] bad = Bytes.Doc([0x10, (byte)'a', 0xFF, (byte)'b', 0, .. Bytes.Int32(1)], Bytes.Element(0x10, "padding-element", Bytes.Int32(2)));
        Assert.Throws<BsonFormatException>(() => Drain(bad));
    }

    [Fact]
    public void Strings_may_contain_embedded_nul()
    {
        byte[] bson = Bytes.Doc(Bytes.Element(2, "s", Bytes.Str("a\0b")));
        Assert.Equal("a\0b", BsonDocument.FromBytes(bson)["s"].AsString);
    }

    [Fact]
    public void Scanning_a_valid_document_does_not_allocate()
    {
        byte[] bson = TestDocuments.EveryType().ToBytes();
        Drain(bson);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 100; i++)
        {
            Drain(bson);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    internal static void Drain(ReadOnlySpan<byte> bson, BsonReaderOptions options = default)
    {
        var reader = new BsonReader(bson, options);
        while (reader.Read())
        {
        }
    }
}
