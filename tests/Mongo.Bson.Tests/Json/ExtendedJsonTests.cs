using System.Text;
using System.Text.Json;
using Xunit;

namespace Mongo.Bson.Tests.Json;

public sealed class ExtendedJsonTests
{
    [Fact]
    public void Relaxed_numbers_take_the_smallest_exact_type()
    {
        var doc = BsonDocument.Parse("""{"a": 1, "b": 2147483648, "c": -9223372036854775808, "d": 9223372036854775808, "e": 1.0, "f": 1e3, "g": -0}""");
        Assert.Equal(BsonType.Int32, doc["a"].BsonType);
        Assert.Equal(BsonType.Int64, doc["b"].BsonType);
        Assert.Equal(long.MinValue, doc["c"].AsInt64);
        Assert.Equal(BsonType.Double, doc["d"].BsonType);
        Assert.Equal(9223372036854775808.0, doc["d"].AsDouble);
        Assert.Equal(BsonType.Double, doc["e"].BsonType);
        Assert.Equal(1000.0, doc["f"].AsDouble);
        Assert.Equal(BsonType.Int32, doc["g"].BsonType);
    }

    [Fact]
    public void Number_beyond_double_range_is_an_error()
    {
        var error = Assert.Throws<BsonFormatException>(() => BsonDocument.Parse("""{"x": [1, 1e400]}"""));
        Assert.Equal("x.1", error.Path);
        Assert.NotNull(error.ByteOffset);
    }

    [Fact]
    public void Canonical_wrappers_parse_to_their_types()
    {
        var doc = BsonDocument.Parse("""
            {
              "oid": {"$oid": "57E193D7A9CC81B4027498B5"},
              "sym": {"$symbol": "s"},
              "i": {"$numberInt": "-42"},
              "l": {"$numberLong": "9223372036854775807"},
              "dbl": {"$numberDouble": "-0.0"},
              "inf": {"$numberDouble": "-Infinity"},
              "nan": {"$numberDouble": "NaN"},
              "dec": {"$numberDecimal": "1.50"},
              "bin": {"$binary": {"subType": "80", "base64": "AQIDBAU="}},
              "code": {"$code": "function() {}"},
              "cws": {"$scope": {"x": 1}, "$code": "f"},
              "ts": {"$timestamp": {"i": 2, "t": 4294967295}},
              "re": {"$regularExpression": {"pattern": "a/b", "options": "xi"}},
              "ptr": {"$dbPointer": {"$id": {"$oid": "57e193d7a9cc81b4027498b1"}, "$ref": "db.c"}},
              "date": {"$date": {"$numberLong": "-1"}},
              "min": {"$minKey": 1},
              "max": {"$maxKey": 1},
              "undef": {"$undefined": true}
            }
            """);
        Assert.Equal(ObjectId.Parse("57e193d7a9cc81b4027498b5"), doc["oid"].AsObjectId);
        Assert.Equal(new BsonSymbol("s"), doc["sym"]);
        Assert.Equal(new BsonInt32(-42), doc["i"]);
        Assert.Equal(new BsonInt64(long.MaxValue), doc["l"]);
        Assert.True(double.IsNegative(doc["dbl"].AsDouble) && doc["dbl"].AsDouble == 0);
        Assert.Equal(double.NegativeInfinity, doc["inf"].AsDouble);
        Assert.True(double.IsNaN(doc["nan"].AsDouble));
        Assert.Equal("1.50", doc["dec"].AsDecimal128.ToString());
        Assert.Equal(new BsonBinaryData([1, 2, 3, 4, 5], BsonBinarySubType.UserDefined), doc["bin"]);
        Assert.Equal(new BsonJavaScript("function() {}"), doc["code"]);
        Assert.Equal(new BsonJavaScriptWithScope("f", new BsonDocument("x", 1)), doc["cws"]);
        Assert.Equal(new BsonTimestamp(uint.MaxValue, 2), doc["ts"]);
        Assert.Equal(new BsonRegularExpression("a/b", "ix"), doc["re"]);
        Assert.Equal(new BsonDBPointer("db.c", ObjectId.Parse("57e193d7a9cc81b4027498b1")), doc["ptr"]);
        Assert.Equal(new BsonDateTime(-1), doc["date"]);
        Assert.Same(BsonMinKey.Value, doc["min"]);
        Assert.Same(BsonMaxKey.Value, doc["max"]);
        Assert.Same(BsonUndefined.Value, doc["undef"]);
    }

    [Theory]
    [InlineData("""{"$date": "1970-01-01T00:00:00Z"}""", 0L)]
    [InlineData("""{"$date": "2012-12-24T12:15:30.501Z"}""", 1356351330501L)]
    [InlineData("""{"$date": "2012-12-24T13:15:30.501+01:00"}""", 1356351330501L)]
    [InlineData("""{"$date": "2012-12-24T12:15:30.5012Z"}""", 1356351330501L)]
    [InlineData("""{"$date": {"$numberLong": "253402300800000"}}""", 253402300800000L)]
    public void Date_forms(string json, long expected)
    {
        Assert.Equal(new BsonDateTime(expected), ExtendedJson.ParseValue(json));
    }

    [Fact]
    public void Legacy_binary_regex_and_uuid_forms()
    {
        Assert.Equal(new BsonBinaryData([1, 2], BsonBinarySubType.UserDefined), ExtendedJson.ParseValue("""{"$type": "80", "$binary": "AQI="}"""));
        Assert.Equal(new BsonBinaryData([1], BsonBinarySubType.Function), ExtendedJson.ParseValue("""{"$binary": "AQ==", "$type": "1"}"""));
        Assert.Equal(new BsonRegularExpression("ab", "im"), ExtendedJson.ParseValue("""{"$regex": "ab", "$options": "mi"}"""));
        Assert.Equal(new BsonRegularExpression("ab", ""), ExtendedJson.ParseValue("""{"$regex": "ab"}"""));

        var guid = Guid.Parse("c8edabc3-f738-4ca3-b68d-ab92a91478a3");
        var expected = BsonBinaryData.FromGuid(guid, GuidRepresentation.Standard);
        Assert.Equal(expected, ExtendedJson.ParseValue("""{"$uuid": "c8edabc3-f738-4ca3-b68d-ab92a91478a3"}"""));
        Assert.Equal(expected, ExtendedJson.ParseValue("""{"$uuid": "C8EDABC3F7384CA3B68DAB92A91478A3"}"""));
        Assert.Equal("""{"$binary":{"base64":"yO2rw/c4TKO2jauSqRR4ow==","subType":"04"}}""", expected.ToJson(ExtendedJsonMode.Canonical));
    }

    [Fact]
    public void Query_operators_and_dbrefs_stay_documents()
    {
        var regexOperator = BsonDocument.Parse("""{"f": {"$regex": {"$regularExpression": {"pattern": "p", "options": ""}}, "$options": "ix"}}""");
        BsonDocument op = regexOperator["f"].AsDocument;
        Assert.Equal(new BsonRegularExpression("p", ""), op["$regex"]);
        Assert.Equal("ix", op["$options"].AsString);

        var typeOperator = BsonDocument.Parse("""{"zip": {"$type": 2}, "name": {"$type": "string"}}""");
        Assert.Equal(2, typeOperator["zip"].AsDocument["$type"].AsInt32);
        Assert.Equal("string", typeOperator["name"].AsDocument["$type"].AsString);

        var dbref = BsonDocument.Parse("""{"r": {"$ref": "c", "$id": {"$oid": "57e193d7a9cc81b4027498b1"}, "$db": "d", "x": 1}}""");
        BsonDocument reference = dbref["r"].AsDocument;
        Assert.Equal(4, reference.ElementCount);
        Assert.Equal(BsonType.ObjectId, reference["$id"].BsonType);

        var unknown = BsonDocument.Parse("""{"q": {"$gt": 1, "$lt": {"$numberLong": "5"}}}""");
        Assert.Equal(BsonType.Int64, unknown["q"].AsDocument["$lt"].BsonType);

        // A top-level object is always a document, even when it looks like a wrapper.
        Assert.Equal("{\"$numberInt\":\"1\"}", BsonDocument.Parse("""{"$numberInt": "1"}""").ToJson(ExtendedJsonMode.Canonical));
    }

    [Theory]
    [InlineData("""{"a": {"$oid": "57e193d7a9cc81b4027498b"}}""", "a", "$oid")]
    [InlineData("""{"a": {"$oid": 1}}""", "a", "must be a string")]
    [InlineData("""{"a": {"$numberInt": "2147483648"}}""", "a", "$numberInt")]
    [InlineData("""{"a": {"$numberInt": "1.0"}}""", "a", "$numberInt")]
    [InlineData("""{"a": {"$numberLong": 1}}""", "a", "$numberLong")]
    [InlineData("""{"a": {"$numberDouble": "1e400"}}""", "a", "$numberDouble")]
    [InlineData("""{"a": {"$numberDouble": "-NaN"}}""", "a", "$numberDouble")]
    [InlineData("""{"a": {"$numberDouble": " 1"}}""", "a", "$numberDouble")]
    [InlineData("""{"a": {"$numberDecimal": "1E-6177"}}""", "a", "$numberDecimal")]
    [InlineData("""{"a": {"$binary": {"base64": "AQ", "subType": "00"}}}""", "a", "padded")]
    [InlineData("""{"a": {"$binary": {"base64": "AQ==", "subType": "100"}}}""", "a", "subType")]
    [InlineData("""{"a": {"$binary": {"base64": "AQ=="}}}""", "a", "subType")]
    [InlineData("""{"a": {"$binary": {"base64": "AQ==", "subType": "00", "x": 1}}}""", "a", "'x'")]
    [InlineData("""{"a": {"$binary": {"base64": "AQ==", "subType": "00"}, "$type": "00"}}""", "a", "exactly the keys")]
    [InlineData("""{"a": {"$uuid": "c8edabc3-f738-4ca3-b68d-ab92a91478a"}}""", "a", "$uuid")]
    [InlineData("""{"a": {"$uuid": "c8edabc3f-738-4ca3-b68d-ab92a91478a3"}}""", "a", "$uuid")]
    [InlineData("""{"a": {"$timestamp": {"t": -1, "i": 1}}}""", "a", "$timestamp.t")]
    [InlineData("""{"a": {"$timestamp": {"t": 1.5, "i": 1}}}""", "a", "$timestamp.t")]
    [InlineData("""{"a": {"$timestamp": {"t": 4294967296, "i": 1}}}""", "a", "$timestamp.t")]
    [InlineData("""{"a": {"$timestamp": {"t": 1}}}""", "a", "'i'")]
    [InlineData("""{"a": {"$regularExpression": {"pattern": "p"}}}""", "a", "'options'")]
    [InlineData("""{"a": {"$regularExpression": {"pattern": 1, "options": ""}}}""", "a", "pattern")]
    [InlineData("""{"a": {"$dbPointer": {"$ref": "c", "$id": "57e193d7a9cc81b4027498b1"}}}""", "a", "$dbPointer.$id")]
    [InlineData("""{"a": {"$dbPointer": {"$ref": "c", "$id": {"$numberInt": "1"}}}}""", "a", "$dbPointer.$id")]
    [InlineData("""{"a": {"$date": {"$numberInt": "1"}}}""", "a", "$date")]
    [InlineData("""{"a": {"$date": "2012-13-24T12:15:30Z"}}""", "a", "$date")]
    [InlineData("""{"a": {"$date": true}}""", "a", "$date")]
    [InlineData("""{"a": {"$minKey": 0}}""", "a", "$minKey")]
    [InlineData("""{"a": {"$maxKey": "1"}}""", "a", "$maxKey")]
    [InlineData("""{"a": {"$undefined": false}}""", "a", "$undefined")]
    [InlineData("""{"a": {"$scope": {}}}""", "a", "exactly the keys")]
    [InlineData("""{"a": {"$code": "c", "$scope": []}}""", "a", "$scope")]
    [InlineData("""{"a": {"$code": "c", "x": 1}}""", "a", "exactly the keys")]
    [InlineData("""{"a": {"$oid": "57e193d7a9cc81b4027498b1", "$oid": "57e193d7a9cc81b4027498b1"}}""", "a", "duplicate")]
    [InlineData("""{"a": {"x": 1, "$numberInt": "1"}}""", "a", "mixed")]
    [InlineData("""{"a": [{"b": {"$numberLong": "x"}}]}""", "a.0.b", "$numberLong")]
    public void Invalid_wrappers_fail_with_path_and_offset(string json, string path, string messagePart)
    {
        var error = Assert.Throws<BsonFormatException>(() => BsonDocument.Parse(json));
        Assert.Equal(path, error.Path);
        Assert.NotNull(error.ByteOffset);
        Assert.InRange(error.ByteOffset!.Value, 0, Encoding.UTF8.GetByteCount(json));
        Assert.Contains(messagePart, error.Message, StringComparison.Ordinal);
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("[1]")]
    [InlineData("\"x\"")]
    [InlineData("{\"a\": 1")]
    [InlineData("{\"a\": 1} {}")]
    [InlineData("{\"a\": 1,}")]
    [InlineData("{'a': 1}")]
    [InlineData("{\"a\": /* c */ 1}")]
    [InlineData("{\"a\": NaN}")]
    public void Invalid_json_is_a_BsonFormatException(string json)
    {
        var error = Assert.Throws<BsonFormatException>(() => BsonDocument.Parse(json));
        Assert.NotNull(error.ByteOffset);
    }

    [Fact]
    public void Invalid_utf8_is_a_BsonFormatException()
    {
        byte[] json = [(byte)'{', (byte)'"', (byte)'a', (byte)'"', (byte)':', (byte)'"', 0xC3, 0x28, (byte)'"', (byte)'}'];
        Assert.Throws<BsonFormatException>(() => ExtendedJson.Parse(json));
    }

    [Fact]
    public void Json_error_carries_the_json_exception()
    {
        var error = Assert.Throws<BsonFormatException>(() => BsonDocument.Parse("{\"a\": {\"b\": tru}}"));
        Assert.IsType<JsonException>(error.InnerException, exactMatch: false);
        Assert.Equal("a.b", error.Path);
    }

    [Fact]
    public void Nesting_of_200_levels_is_supported_and_deeper_input_fails_cleanly()
    {
        string deep = string.Concat(Enumerable.Repeat("{\"a\":", 200)) + "1" + new string('}', 200);
        BsonValue value = BsonDocument.Parse(deep);
        for (int i = 0; i < 199; i++)
        {
            value = value.AsDocument["a"];
        }

        Assert.Equal(1, value.AsDocument["a"].AsInt32);

        string tooDeep = string.Concat(Enumerable.Repeat("[", 100_000));
        Assert.Throws<BsonFormatException>(() => ExtendedJson.ParseValue(tooDeep));
    }

    [Fact]
    public void Duplicate_keys_are_preserved_in_order()
    {
        var doc = BsonDocument.Parse("""{"foo": 1, "foo": 2}""");
        Assert.Equal(2, doc.ElementCount);
        Assert.Equal(1, doc["foo"].AsInt32);
        Assert.Equal("""{"foo":1,"foo":2}""", doc.ToJson());
    }

    [Fact]
    public void Escaped_wrapper_keys_are_recognised()
    {
        Assert.Equal(new BsonInt32(5), ExtendedJson.ParseValue("""{"\u0024numberInt": "5"}"""));
    }

    [Fact]
    public void Relaxed_and_canonical_output()
    {
        var doc = new BsonDocument
        {
            { "i", 1 },
            { "l", 2L },
            { "d", 1.0 },
            { "big", 1.5e300 },
            { "negZero", -0.0 },
            { "inf", double.PositiveInfinity },
            { "epoch", new BsonDateTime(0) },
            { "ms", new BsonDateTime(1356351330001) },
            { "before", new BsonDateTime(-1) },
            { "y10k", new BsonDateTime(253402300800000) },
            { "bin", new BsonBinaryData([0xFF], BsonBinarySubType.Function) },
            { "s", "é\"\n<>&'\u0001" },
        };
        Assert.Equal(
            """{"i":1,"l":2,"d":1.0,"big":1.5E+300,"negZero":-0.0,"inf":{"$numberDouble":"Infinity"},"epoch":{"$date":"1970-01-01T00:00:00Z"},"ms":{"$date":"2012-12-24T12:15:30.001Z"},"before":{"$date":{"$numberLong":"-1"}},"y10k":{"$date":{"$numberLong":"253402300800000"}},"bin":{"$binary":{"base64":"/w==","subType":"01"}},"s":"é\"\n<>&'\u0001"}""",
            doc.ToJson());
        Assert.Equal(
            """{"i":{"$numberInt":"1"},"l":{"$numberLong":"2"},"d":{"$numberDouble":"1.0"},"big":{"$numberDouble":"1.5E+300"},"negZero":{"$numberDouble":"-0.0"},"inf":{"$numberDouble":"Infinity"},"epoch":{"$date":{"$numberLong":"0"}},"ms":{"$date":{"$numberLong":"1356351330001"}},"before":{"$date":{"$numberLong":"-1"}},"y10k":{"$date":{"$numberLong":"253402300800000"}},"bin":{"$binary":{"base64":"/w==","subType":"01"}},"s":"é\"\n<>&'\u0001"}""",
            doc.ToJson(ExtendedJsonMode.Canonical));
        Assert.Equal(doc.ToJson(), doc.ToString());
        Assert.Equal("[1,\"x\"]", new BsonArray { 1, "x" }.ToString());
    }

    [Fact]
    public void Writing_is_the_inverse_of_parsing_for_every_type_in_both_modes()
    {
        var doc = new BsonDocument
        {
            { "oid", new BsonObjectId(ObjectId.Parse("57e193d7a9cc81b4027498b5")) },
            { "sym", new BsonSymbol("s") },
            { "i", int.MinValue },
            { "l", long.MinValue },
            { "d", 0.1 },
            { "dec", Decimal128.Parse("-1.23E-100") },
            { "bin", new BsonBinaryData([], BsonBinarySubType.Binary) },
            { "code", new BsonJavaScript("x") },
            { "cws", new BsonJavaScriptWithScope("y", new BsonDocument("z", new BsonArray { 1, new BsonDocument() })) },
            { "ts", new BsonTimestamp(1, 2) },
            { "re", new BsonRegularExpression("^a\"b", "im") },
            { "ptr", new BsonDBPointer("a.b", ObjectId.Parse("57e193d7a9cc81b4027498b1")) },
            { "date", new BsonDateTime(long.MaxValue) },
            { "min", BsonMinKey.Value },
            { "max", BsonMaxKey.Value },
            { "undef", BsonUndefined.Value },
            { "null", BsonNull.Value },
            { "t", true },
            { "arr", new BsonArray { new BsonArray(), "x", 1.5 } },
        };

        foreach (ExtendedJsonMode mode in new[] { ExtendedJsonMode.Canonical, ExtendedJsonMode.Relaxed })
        {
            string json = doc.ToJson(mode);
            Assert.Equal(doc, BsonDocument.Parse(json));
            Assert.Equal(json, BsonDocument.Parse(json).ToJson(mode));
        }
    }

    [Fact]
    public void Write_to_a_caller_owned_writer_and_indented_output()
    {
        var doc = new BsonDocument { { "a", 1 }, { "b", new BsonArray { 2 } } };
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            writer.WriteStartArray();
            ExtendedJson.Write(writer, doc, ExtendedJsonMode.Canonical);
            writer.WriteEndArray();
        }

        Assert.Equal("""[{"a":{"$numberInt":"1"},"b":[{"$numberInt":"2"}]}]""", Encoding.UTF8.GetString(stream.ToArray()));
        string indented = ExtendedJson.Write(doc, ExtendedJsonMode.Relaxed, indented: true);
        Assert.Contains('\n', indented);
        Assert.Equal(doc, BsonDocument.Parse(indented));
    }

    [Fact]
    public void Utf8_overloads_match_string_overloads()
    {
        const string json = """{"a": {"$numberLong": "5"}, "b": "ü"}""";
        Assert.Equal(BsonDocument.Parse(json), ExtendedJson.Parse(Encoding.UTF8.GetBytes(json)));
        Assert.Equal(new BsonInt64(5), ExtendedJson.ParseValue("""{"$numberLong": "5"}"""u8));
    }

    [Fact]
    public void Large_documents_parse_through_the_pooled_path_and_writer_buffers_are_not_pinned()
    {
        var doc = new BsonDocument();
        for (int i = 0; i < 20_000; i++)
        {
            doc.Add("k" + i, new string('x', 100));
        }

        string json = doc.ToJson();
        Assert.True(json.Length > 1 << 20);
        Assert.Equal(doc, BsonDocument.Parse(json));
        Assert.Equal("{}", new BsonDocument().ToJson());
    }

    [Fact]
    public void Cyclic_dom_fails_instead_of_overflowing_the_stack()
    {
        var doc = new BsonDocument();
        var array = new BsonArray { doc };
        doc.Add("self", array);
        Assert.Throws<BsonException>(() => doc.ToJson());
        Assert.Equal("{}", new BsonDocument().ToJson());
    }
}

/// <summary>
/// Legacy-form strictness. We accept the legacy forms (they appear in real exports and in the benchmarking
/// spec's legacy data), but reject wrong value types and extra keys the way the corpus' top-level cases do.
/// Deliberate leniencies: <c>{"$regex": "a"}</c> without <c>$options</c> reads as a regex; <c>{"$type": ...}</c>
/// alone and DBRef-like objects with odd field types stay documents (query operators, DBRef convention);
/// <c>{"$date": &lt;integer&gt;}</c> reads as milliseconds.
/// </summary>
public sealed class ExtendedJsonLegacyTests
{
    [Theory]
    [InlineData("""{"x": {"$regex": 7, "$options": ""}}""")]
    [InlineData("""{"x": {"$regex": "p", "$options": 7}}""")]
    [InlineData("""{"x": {"$regex": "p", "$options": "i", "other": false}}""")]
    [InlineData("""{"x": {"$regex": true}}""")]
    [InlineData("""{"x": {"$binary": 1, "$type": "00"}}""")]
    [InlineData("""{"x": {"$binary": "AA==", "$type": 1}}""")]
    [InlineData("""{"x": {"$binary": "AA=="}}""")]
    [InlineData("""{"x": {"$binary": "AA==", "$type": "00", "other": 1}}""")]
    [InlineData("""{"x": {"$numberDouble": ".5", "other": 1}}""")]
    [InlineData("""{"x": {"$date": {"$numberLong": "1"}, "other": 1}}""")]
    [InlineData("""{"x": {"$timestamp": {"t": 1, "i": 2}, "other": 1}}""")]
    [InlineData("""{"x": {"$timestamp": {"t": 1, "i": 2, "other": 1}}}""")]
    [InlineData("""{"x": {"$dbPointer": {"$ref": "c", "$id": {"$oid": "56e1fc72e0c917e9c4714161"}, "other": 1}}}""")]
    [InlineData("""{"x": {"$minKey": true}}""")]
    [InlineData("""{"x": {"$maxKey": 1, "other": 1}}""")]
    public void Wrong_types_and_extra_keys_are_rejected(string json)
    {
        using (JsonDocument.Parse(json))
        {
            // Plain JSON: the error is Extended JSON-specific.
        }

        var error = Assert.Throws<BsonFormatException>(() => BsonDocument.Parse(json));
        Assert.Equal("x", error.Path);
    }

    [Fact]
    public void Deliberate_leniencies()
    {
        Assert.Equal(new BsonRegularExpression("a", ""), BsonDocument.Parse("""{"x": {"$regex": "a"}}""")["x"]);
        Assert.Equal(BsonType.Document, BsonDocument.Parse("""{"x": {"$type": "00"}}""")["x"].BsonType);
        Assert.Equal(BsonType.Document, BsonDocument.Parse("""{"x": {"$ref": 42, "$id": "abc"}}""")["x"].BsonType);

        // Top-level objects are documents, whatever their keys.
        Assert.Equal(3, BsonDocument.Parse("""{"$regex": "r", "$options": "i", "$other": "x"}""").ElementCount);
        Assert.Equal("AQ==", BsonDocument.Parse("""{"$binary": "AQ=="}""")["$binary"].AsString);
    }
}
