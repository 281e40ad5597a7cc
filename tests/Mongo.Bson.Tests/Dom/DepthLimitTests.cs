using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using Xunit;

namespace Mongo.Bson.Tests.Dom;

/// <summary>
/// One nesting limit, <see cref="BsonLimits.MaxDepth"/>, for decoding, parsing and every DOM walk. The deep cases
/// are 100,000 levels on purpose: without the limit each of these entry points overflows the stack and takes the
/// test host down, so passing here means the guard fires before recursion gets anywhere near that.
/// </summary>
public sealed class DepthLimitTests
{
    private const int VeryDeep = 100_000;

    // The top-level document counts as 1, as BsonReader counts it.
    private static BsonDocument DocumentOfDepth(int depth)
    {
        var doc = new BsonDocument("leaf", 1);
        for (int i = 1; i < depth; i++)
        {
            doc = new BsonDocument("a", doc);
        }

        return doc;
    }

    private static BsonDocument ArraysOfDepth(int depth)
    {
        BsonValue value = new BsonArray { 1 };
        for (int i = 2; i < depth; i++)
        {
            value = new BsonArray { value };
        }

        return new BsonDocument("a", value);
    }

    public static TheoryData<string, Func<BsonDocument, BsonDocument, object?>> Operations() => new()
    {
        { "ToBytes", (d, _) => d.ToBytes() },
        { "WriteTo", (d, _) => WriteWith(w => d.WriteTo(w)) },
        { "BsonWriter.WriteValue", (d, _) => WriteWith(w => w.WriteValue(d)) },
        { "BsonSerializer.Serialize", (d, _) => BsonSerializer.Serialize(d) },
        { "GetEncodedSize", (d, _) => d.GetEncodedSize() },
        { "Equals", (d, other) => d.Equals(other) },
        { "Equals(object)", (d, other) => d.Equals((object)other) },
        { "operator ==", (d, other) => d == other },
        { "GetHashCode", (d, _) => d.GetHashCode() },
        { "DeepClone", (d, _) => d.DeepClone() },
        { "ToJson", (d, _) => d.ToJson() },
        { "ToJson canonical", (d, _) => d.ToJson(ExtendedJsonMode.Canonical) },
        { "ToString", (d, _) => d.ToString() },
        { "ExtendedJson.Write indented", (d, _) => ExtendedJson.Write(d, ExtendedJsonMode.Relaxed, indented: true) },
        { "ExtendedJson.Write to a Utf8JsonWriter", (d, _) => WriteJson(d) },
        { "CompareTo", (d, other) => d.CompareTo(other) },
    };

    [Theory]
    [MemberData(nameof(Operations))]
    public void A_100000_level_document_throws_instead_of_overflowing_the_stack(string name, Func<BsonDocument, BsonDocument, object?> operation)
    {
        // Two equal trees that are not the same object, so Equals and CompareTo cannot stop at a reference check.
        BsonDocument deep = DocumentOfDepth(VeryDeep);
        BsonDocument twin = DocumentOfDepth(VeryDeep);

        var error = Assert.ThrowsAny<BsonException>(() => operation(deep, twin));
        Assert.Contains(BsonLimits.MaxDepth.ToString(System.Globalization.CultureInfo.InvariantCulture), error.Message, StringComparison.Ordinal);
        Assert.False(string.IsNullOrEmpty(name));
    }

    [Theory]
    [MemberData(nameof(Operations))]
    public void A_100000_level_array_nest_throws_too(string name, Func<BsonDocument, BsonDocument, object?> operation)
    {
        Assert.ThrowsAny<BsonException>(() => operation(ArraysOfDepth(VeryDeep), ArraysOfDepth(VeryDeep)));
        Assert.False(string.IsNullOrEmpty(name));
    }

    [Theory]
    [MemberData(nameof(Operations))]
    public void The_limit_itself_is_allowed_and_one_more_is_not(string name, Func<BsonDocument, BsonDocument, object?> operation)
    {
        operation(DocumentOfDepth(BsonLimits.MaxDepth), DocumentOfDepth(BsonLimits.MaxDepth));
        operation(ArraysOfDepth(BsonLimits.MaxDepth), ArraysOfDepth(BsonLimits.MaxDepth));
        Assert.ThrowsAny<BsonException>(() => operation(DocumentOfDepth(BsonLimits.MaxDepth + 1), DocumentOfDepth(BsonLimits.MaxDepth + 1)));
        Assert.ThrowsAny<BsonException>(() => operation(ArraysOfDepth(BsonLimits.MaxDepth + 1), ArraysOfDepth(BsonLimits.MaxDepth + 1)));
        Assert.False(string.IsNullOrEmpty(name));
    }

    [Fact]
    public void A_code_with_scope_counts_its_scope_as_one_level_as_the_reader_does()
    {
        // At depth MaxDepth - 1 a code-with-scope's scope is at MaxDepth: allowed everywhere, and it reads back.
        BsonDocument atLimit = WithScopeAtTheBottom(new BsonDocument("x", 1));
        BsonDocument overLimit = WithScopeAtTheBottom(new BsonDocument("x", new BsonDocument()));

        byte[] bytes = atLimit.ToBytes();
        Assert.Equal(atLimit, BsonDocument.FromBytes(bytes, new BsonReaderOptions { MaxDepth = BsonLimits.MaxDepth }));
        Assert.Equal(atLimit, ExtendedJson.Parse(atLimit.ToJson(ExtendedJsonMode.Canonical)));
        Assert.Equal(0, atLimit.CompareTo(atLimit.DeepClone()));
        Assert.Equal(atLimit.GetEncodedSize(), bytes.Length);

        Assert.Throws<BsonException>(() => overLimit.ToBytes());
        Assert.Throws<BsonException>(() => overLimit.ToJson());
        Assert.Throws<BsonException>(() => overLimit.DeepClone());
        Assert.Throws<BsonException>(() => overLimit.GetHashCode());
        Assert.Throws<BsonException>(() => overLimit.GetEncodedSize());
        Assert.Throws<BsonException>(() => overLimit.Equals(WithScopeAtTheBottom(new BsonDocument("x", new BsonDocument()))));
        Assert.Throws<BsonException>(() => overLimit.CompareTo(WithScopeAtTheBottom(new BsonDocument("x", new BsonDocument()))));

        static BsonDocument WithScopeAtTheBottom(BsonDocument scope)
        {
            var doc = new BsonDocument("leaf", new BsonJavaScriptWithScope("f", scope));
            for (int i = 1; i < BsonLimits.MaxDepth - 1; i++)
            {
                doc = new BsonDocument("a", doc);
            }

            return doc;
        }
    }

    [Fact]
    public void A_document_that_contains_itself_fails_cleanly()
    {
        var doc = new BsonDocument("x", 1);
        doc.Add("self", doc);
        var array = new BsonArray();
        array.Add(array);

        Assert.Throws<BsonException>(() => doc.ToBytes());
        Assert.Throws<BsonException>(() => doc.ToJson());
        Assert.Throws<BsonException>(() => doc.GetHashCode());
        Assert.Throws<BsonException>(() => doc.DeepClone());
        Assert.Throws<BsonException>(() => doc.GetEncodedSize());
        Assert.Throws<BsonException>(() => new BsonDocument("a", array).ToBytes());
        Assert.Throws<BsonException>(() => array.GetHashCode());
    }

    [Fact]
    public void The_writer_can_be_reset_and_reused_after_the_depth_error()
    {
        using var writer = new BsonWriter();
        Assert.Throws<BsonException>(() => writer.WriteValue(DocumentOfDepth(VeryDeep)));
        writer.Reset();
        writer.WriteValue(DocumentOfDepth(BsonLimits.MaxDepth));
        Assert.Equal(DocumentOfDepth(BsonLimits.MaxDepth), BsonDocument.FromBytes(writer.WrittenSpan, new BsonReaderOptions { MaxDepth = BsonLimits.MaxDepth }));
    }

    [Fact]
    public void Manual_writer_calls_are_limited_too()
    {
        using var writer = new BsonWriter();
        writer.WriteStartDocument();
        bool inArray = false;
        for (int depth = 2; depth <= BsonLimits.MaxDepth; depth++)
        {
            if (inArray)
            {
                writer.WriteStartDocument();
            }
            else
            {
                writer.WriteStartArray("a");
            }

            inArray = !inArray;
        }

        Assert.Equal(BsonLimits.MaxDepth, writer.CurrentDepth);
        var error = Assert.Throws<BsonException>(() =>
        {
            if (inArray)
            {
                writer.WriteStartDocument();
            }
            else
            {
                writer.WriteStartDocument("one-too-many");
            }
        });
        Assert.Contains("BsonLimits.MaxDepth", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Reader_max_depth_is_capped_at_the_shared_limit()
    {
        Assert.Equal(BsonReaderOptions.DefaultMaxDepth, default(BsonReaderOptions).MaxDepth);
        Assert.True(BsonReaderOptions.DefaultMaxDepth <= BsonLimits.MaxDepth);
        Assert.Equal(BsonLimits.MaxDepth, new BsonReaderOptions { MaxDepth = BsonLimits.MaxDepth }.MaxDepth);
        Assert.Throws<ArgumentOutOfRangeException>(() => new BsonReaderOptions { MaxDepth = BsonLimits.MaxDepth + 1 });
        Assert.Throws<ArgumentOutOfRangeException>(() => new BsonReaderOptions { MaxDepth = int.MaxValue });
        Assert.Throws<ArgumentOutOfRangeException>(() => new BsonReaderOptions { MaxDepth = -1 });
    }

    [Fact]
    public void Decoding_defaults_to_the_shared_limit_and_a_lower_setting_is_honoured()
    {
        // The server stores documents 180 levels deep and wraps them in replies, so the default reads up to maxBSONDepth.
        byte[] atLimit = DocumentOfDepth(BsonLimits.MaxDepth).ToBytes();
        Assert.Equal(BsonLimits.MaxDepth, BsonReaderOptions.DefaultMaxDepth);
        Assert.Equal(DocumentOfDepth(BsonLimits.MaxDepth), BsonDocument.FromBytes(atLimit));
        Assert.Throws<BsonFormatException>(() => BsonDocument.FromBytes(atLimit, new BsonReaderOptions { MaxDepth = 100 }));
    }

    [Fact]
    public void Decoding_100000_levels_of_bytes_is_a_format_error_at_any_allowed_setting()
    {
        byte[] bson = NestedBytes(VeryDeep);
        var error = Assert.Throws<BsonFormatException>(() => BsonDocument.FromBytes(bson, new BsonReaderOptions { MaxDepth = BsonLimits.MaxDepth }));
        Assert.Contains("depth", error.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Throws<BsonFormatException>(() => BsonDocument.FromBytes(bson));
        Assert.Throws<BsonFormatException>(() => BsonSerializer.Deserialize<BsonDocument>(bson));
    }

    [Fact]
    public void Nested_code_with_scope_decodes_up_to_the_configured_depth()
    {
        // The decoder re-reads scopes the reader has validated; it used to apply the default limit (100) to
        // each scope afresh, so this document failed to decode even with MaxDepth raised to fit it.
        BsonDocument doc = new("x", 1);
        for (int i = 1; i < 150; i++)
        {
            doc = new BsonDocument("c", new BsonJavaScriptWithScope("f", doc));
        }

        byte[] bytes = doc.ToBytes();
        Assert.Equal(doc, BsonDocument.FromBytes(bytes, new BsonReaderOptions { MaxDepth = 150 }));
        Assert.Throws<BsonFormatException>(() => BsonDocument.FromBytes(bytes, new BsonReaderOptions { MaxDepth = 149 }));
    }

    [Fact]
    public void Extended_json_parsing_shares_the_limit()
    {
        Assert.Equal(DocumentOfDepth(BsonLimits.MaxDepth), ExtendedJson.Parse(NestedJson(BsonLimits.MaxDepth, array: false)));
        Assert.Equal(BsonType.Array, ExtendedJson.Parse(NestedJson(BsonLimits.MaxDepth, array: true))["a"].BsonType);

        foreach (int depth in new[] { BsonLimits.MaxDepth + 1, VeryDeep })
        {
            foreach (bool array in new[] { false, true })
            {
                var error = Assert.Throws<BsonFormatException>(() => ExtendedJson.Parse(NestedJson(depth, array)));
                Assert.Contains(BsonLimits.MaxDepth.ToString(System.Globalization.CultureInfo.InvariantCulture), error.Message, StringComparison.Ordinal);
                Assert.NotNull(error.ByteOffset);
            }
        }

        Assert.Throws<BsonFormatException>(() => ExtendedJson.ParseValue(NestedJson(VeryDeep, array: true)));
    }

    [Fact]
    public void Json_wrappers_do_not_count_as_levels()
    {
        // A $dbPointer needs three JSON objects at the leaf, and code-with-scope two per level, but BSON depth
        // is what counts: this document is exactly MaxDepth deep.
        var doc = new BsonDocument("p", new BsonDBPointer("db.c", ObjectId.Parse("56e1fc72e0c917e9c4714161")));
        for (int i = 1; i < BsonLimits.MaxDepth; i++)
        {
            doc = new BsonDocument("a", doc);
        }

        Assert.Equal(doc, ExtendedJson.Parse(doc.ToJson(ExtendedJsonMode.Canonical)));

        BsonDocument scopes = new("x", 1);
        for (int i = 1; i < BsonLimits.MaxDepth; i++)
        {
            scopes = new BsonDocument("c", new BsonJavaScriptWithScope("f", scopes));
        }

        Assert.Equal(scopes, ExtendedJson.Parse(scopes.ToJson()));
        Assert.Equal(scopes, BsonDocument.FromBytes(scopes.ToBytes(), new BsonReaderOptions { MaxDepth = BsonLimits.MaxDepth }));
    }

    private static object? WriteWith(Action<BsonWriter> write)
    {
        using var writer = new BsonWriter();
        write(writer);
        return writer.WrittenCount;
    }

    private static object? WriteJson(BsonDocument document)
    {
        using var stream = new MemoryStream();
        using var writer = new Utf8JsonWriter(stream);
        ExtendedJson.Write(writer, document);
        writer.Flush();
        return stream.Length;
    }

    private static string NestedJson(int depth, bool array)
    {
        // {"a": {"a": ... {"leaf": 1} ...}} or {"a": [[ ... [1] ... ]]}, depth counted as BSON counts it.
        var builder = new StringBuilder((depth * 6) + 16);
        if (array)
        {
            builder.Append("{\"a\": ").Append('[', depth - 1).Append('1').Append(']', depth - 1).Append('}');
        }
        else
        {
            for (int i = 1; i < depth; i++)
            {
                builder.Append("{\"a\": ");
            }

            builder.Append("{\"leaf\": 1}").Append('}', depth - 1);
        }

        return builder.ToString();
    }

    /// <summary>{"a": {"a": ... {} ...}} as BSON, <paramref name="depth"/> documents deep, built without recursion.</summary>
    private static byte[] NestedBytes(int depth)
    {
        int levels = depth - 1;
        var bytes = new byte[(8 * levels) + 5];
        int pos = 0;
        for (int i = 0; i < levels; i++)
        {
            // Each level adds a length, a type byte, "a", its NUL and a terminator: 8 bytes around the next one.
            BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(pos), (8 * (levels - i)) + 5);
            pos += 4;
            bytes[pos++] = (byte)BsonType.Document;
            bytes[pos++] = (byte)'a';
            bytes[pos++] = 0;
        }

        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(pos), 5);
        return bytes;
    }
}
