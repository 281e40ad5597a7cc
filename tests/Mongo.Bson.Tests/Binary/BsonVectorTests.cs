using Xunit;

namespace Mongo.Bson.Tests.Binary;

/// <summary>
/// Binary subtype 9 (bson-binary-vector). The spec's own cases (tests/float32.json, int8.json, packed_bit.json,
/// test key "vector") are transcribed below as data, since the shared spec copy does not include them; the
/// spec's runner rules apply: a valid case encodes to its canonical BSON and decodes back to the same numbers,
/// dtype and padding; an invalid case fails to encode from its numbers and fails to decode from its bytes.
/// </summary>
public sealed class BsonVectorTests
{
    public static TheoryData<string, byte, double[], int, string> ValidCases() => new()
    {
        { "Simple Vector FLOAT32", 0x27, [127.0, 7.0], 0, "1C00000005766563746F72000A0000000927000000FE420000E04000" },
        { "Vector with decimals and negative value FLOAT32", 0x27, [127.7, -7.7], 0, "1C00000005766563746F72000A0000000927006666FF426666F6C000" },
        { "Empty Vector FLOAT32", 0x27, [], 0, "1400000005766563746F72000200000009270000" },
        { "Infinity Vector FLOAT32", 0x27, [double.NegativeInfinity, 0.0, double.PositiveInfinity], 0, "2000000005766563746F72000E000000092700000080FF000000000000807F00" },
        { "Simple Vector INT8", 0x03, [127, 7], 0, "1600000005766563746F7200040000000903007F0700" },
        { "Empty Vector INT8", 0x03, [], 0, "1400000005766563746F72000200000009030000" },
        { "Simple Vector PACKED_BIT", 0x10, [127, 7], 0, "1600000005766563746F7200040000000910007F0700" },
        { "PACKED_BIT with padding", 0x10, [127, 8], 3, "1600000005766563746F7200040000000910037F0800" },
        { "Empty Vector PACKED_BIT", 0x10, [], 0, "1400000005766563746F72000200000009100000" },
    };

    // Each: dtype, numbers (null when the case has none), padding, canonical BSON (null when it has none).
    public static TheoryData<string, byte, double[]?, int, string?> InvalidCases() => new()
    {
        { "FLOAT32 with padding", 0x27, [127.0, 7.0], 3, "1C00000005766563746F72000A0000000927030000FE420000E04000" },
        { "Insufficient vector data with 3 bytes FLOAT32", 0x27, null, 0, "1700000005766563746F7200050000000927002A2A2A00" },
        { "Insufficient vector data with 5 bytes FLOAT32", 0x27, null, 0, "1900000005766563746F7200070000000927002A2A2A2A2A00" },
        { "Overflow Vector INT8", 0x03, [128], 0, null },
        { "Underflow Vector INT8", 0x03, [-129], 0, null },
        { "INT8 with padding", 0x03, [127, 7], 3, "1600000005766563746F7200040000000903037F0700" },
        { "INT8 with float inputs", 0x03, [127.77, 7.77], 0, null },
        { "Padding specified with no vector data PACKED_BIT", 0x10, [], 1, "1400000005766563746F72000200000009100100" },
        { "Overflow Vector PACKED_BIT", 0x10, [256], 0, null },
        { "Underflow Vector PACKED_BIT", 0x10, [-1], 0, null },
        { "Vector with float values PACKED_BIT", 0x10, [127.5], 0, null },
        { "Exceeding maximum padding PACKED_BIT", 0x10, [1], 8, "1500000005766563746F7200030000000910080100" },
        { "Negative padding PACKED_BIT", 0x10, [1], -1, null },
    };

    [Theory]
    [MemberData(nameof(ValidCases))]
    public void Valid_case_encodes_to_its_canonical_bson_and_decodes_back(string description, byte dtype, double[] numbers, int padding, string canonicalHex)
    {
        byte[] canonical = Convert.FromHexString(canonicalHex);
        BsonVector vector = BsonVector.Create((BsonVectorDataType)dtype, numbers, padding);
        byte[] encoded = new BsonDocument("vector", vector.ToBsonBinaryData()).ToBytes();
        Assert.True(canonical.AsSpan().SequenceEqual(encoded), $"{description}: {Convert.ToHexString(encoded)}");

        BsonDocument decoded = BsonDocument.FromBytes(canonical);
        BsonVector back = decoded["vector"].AsBsonBinaryData.ToVector();
        Assert.Equal((BsonVectorDataType)dtype, back.DataType);
        Assert.Equal(padding, back.Padding);
        Assert.Equal(vector, back);
        // FLOAT32 cannot hold 127.7 exactly: compare with the numbers as single precision holds them.
        Assert.Equal(numbers.Select(n => dtype == 0x27 ? (float)n : n), NumbersOf(back));
        Assert.True(canonical.AsSpan().SequenceEqual(decoded.ToBytes()));
    }

    [Theory]
    [MemberData(nameof(InvalidCases))]
    public void Invalid_case_fails_to_encode_and_to_decode(string description, byte dtype, double[]? numbers, int padding, string? canonicalHex)
    {
        if (numbers is not null)
        {
            var error = Assert.Throws<BsonException>(() => BsonVector.Create((BsonVectorDataType)dtype, numbers, padding));
            Assert.False(string.IsNullOrWhiteSpace(error.Message), description);
        }

        if (canonicalHex is not null)
        {
            // The document itself is valid BSON (a binary is only bytes); the vector inside it is not.
            BsonDocument document = BsonDocument.FromBytes(Convert.FromHexString(canonicalHex));
            BsonBinaryData binary = document["vector"].AsBsonBinaryData;
            Assert.Equal(BsonBinarySubType.Vector, binary.SubType);
            Assert.Throws<BsonFormatException>(() => binary.ToVector());
            Assert.Throws<BsonFormatException>(() => BsonVector.FromBsonBinaryData(binary));
        }
    }

    [Fact]
    public void Float32_vectors_round_trip_exactly_including_special_values()
    {
        float[] values = [1.5f, -0.0f, float.NaN, float.Epsilon, float.MaxValue, float.MinValue, float.PositiveInfinity, 0.1f];
        BsonVectorFloat32 vector = BsonVector.FromFloat32(values);
        BsonBinaryData binary = vector.ToBsonBinaryData();
        Assert.Equal(BsonBinarySubType.Vector, binary.SubType);
        Assert.Equal(2 + (4 * values.Length), binary.Bytes.Length);
        Assert.Equal([0x27, 0x00, 0x00, 0x00, 0xC0, 0x3F], binary.Bytes[..6]); // 1.5f little-endian

        var back = BsonDocument.FromBytes(new BsonDocument("v", binary).ToBytes())["v"].AsBsonBinaryData.ToVector<BsonVectorFloat32>();
        Assert.Equal(values.Select(BitConverter.SingleToInt32Bits), back.ToArray().Select(BitConverter.SingleToInt32Bits));
        Assert.Equal(values.Length, back.Count);
        Assert.Equal(0, back.Padding);
        Assert.Equal(vector, back);
    }

    [Fact]
    public void Int8_vectors_round_trip()
    {
        sbyte[] values = [sbyte.MinValue, -1, 0, 1, sbyte.MaxValue];
        BsonVectorInt8 vector = BsonVector.FromInt8(values);
        BsonBinaryData binary = BsonBinaryData.FromVector(vector);
        Assert.Equal([0x03, 0x00, 0x80, 0xFF, 0x00, 0x01, 0x7F], binary.Bytes);
        BsonVectorInt8 back = binary.ToVector<BsonVectorInt8>();
        Assert.Equal(values, back.ToArray());
        Assert.Equal(values, back.Values.ToArray());
    }

    [Fact]
    public void Packed_bits_follow_the_spec_example()
    {
        // The spec's example: [238, 224] with padding 4 is the 12 bits 1110 1110 1110.
        BsonVectorPackedBit vector = BsonVector.FromPackedBits([238, 224], padding: 4);
        Assert.Equal([0x10, 0x04, 0xEE, 0xE0], vector.ToBsonBinaryData().Bytes);
        Assert.Equal(12, vector.Count);
        Assert.Equal([true, true, true, false, true, true, true, false, true, true, true, false], vector.ToBits());
        Assert.True(vector[0]);
        Assert.False(vector[11]);
        Assert.Throws<ArgumentOutOfRangeException>(() => vector[12]);
        Assert.Throws<ArgumentOutOfRangeException>(() => vector[-1]);

        Assert.Equal(vector, BsonVector.FromBits(vector.ToBits()));
        Assert.Equal(vector, new BsonBinaryData([0x10, 0x04, 0xEE, 0xE0], BsonBinarySubType.Vector).ToVector());
        Assert.Equal(0, BsonVector.FromBits([]).Count);
        Assert.Equal(7, BsonVector.FromBits([true]).Padding);
        Assert.Equal([0x80], BsonVector.FromBits([true]).ToArray());
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(8)]
    [InlineData(255)]
    public void Packed_bit_padding_outside_0_to_7_is_rejected(int padding)
    {
        Assert.Throws<BsonException>(() => BsonVector.FromPackedBits([0], padding));
        if (padding is >= 0 and <= 255)
        {
            Assert.Throws<BsonFormatException>(() => BsonVector.Decode([0x10, (byte)padding, 0x00]));
        }
    }

    [Fact]
    public void Padding_with_no_data_is_rejected_and_no_padding_with_no_data_is_an_empty_vector()
    {
        Assert.Throws<BsonException>(() => BsonVector.FromPackedBits([], padding: 1));
        Assert.Throws<BsonFormatException>(() => BsonVector.Decode([0x10, 0x07]));
        Assert.Equal(0, BsonVector.FromPackedBits([]).Count);
    }

    [Theory]
    [InlineData(0x27)]
    [InlineData(0x03)]
    public void Padding_on_int8_and_float32_is_rejected_whatever_its_value(byte dtype)
    {
        foreach (int padding in new[] { 1, 7, 8, 255 })
        {
            Assert.Throws<BsonFormatException>(() => BsonVector.Decode([dtype, (byte)padding, 0, 0, 0, 0]));
            Assert.Throws<BsonException>(() => BsonVector.Create((BsonVectorDataType)dtype, [0, 0, 0, 0], padding));
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(5)]
    [InlineData(7)]
    public void Float32_data_must_be_a_whole_number_of_elements(int dataLength)
    {
        byte[] bytes = new byte[2 + dataLength];
        bytes[0] = 0x27;
        var error = Assert.Throws<BsonFormatException>(() => BsonVector.Decode(bytes));
        Assert.Contains("FLOAT32", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0x00)]
    [InlineData(0x01)]
    [InlineData(0x04)]
    [InlineData(0x11)]
    [InlineData(0xFF)]
    public void Unknown_dtypes_are_rejected(byte dtype)
    {
        var error = Assert.Throws<BsonFormatException>(() => BsonVector.Decode([dtype, 0x00]));
        Assert.Contains($"0x{dtype:X2}", error.Message, StringComparison.Ordinal);
        Assert.Throws<BsonException>(() => BsonVector.Create((BsonVectorDataType)dtype, []));
    }

    [Theory]
    [InlineData(new byte[0])]
    [InlineData(new byte[] { 0x27 })]
    public void Binary_too_short_for_the_two_metadata_bytes_is_rejected(byte[] bytes)
    {
        Assert.Throws<BsonFormatException>(() => new BsonBinaryData(bytes, BsonBinarySubType.Vector).ToVector());
    }

    [Fact]
    public void Only_subtype_9_converts_and_a_typed_conversion_checks_the_type()
    {
        var generic = new BsonBinaryData([0x03, 0x00, 0x01], BsonBinarySubType.Binary);
        var error = Assert.Throws<BsonException>(() => generic.ToVector());
        Assert.Contains("subtype 0", error.Message, StringComparison.Ordinal);

        var int8 = new BsonBinaryData([0x03, 0x00, 0x01], BsonBinarySubType.Vector);
        Assert.Throws<BsonException>(() => int8.ToVector<BsonVectorFloat32>());
        Assert.Equal([(sbyte)1], int8.ToVector<BsonVectorInt8>().ToArray());
    }

    [Fact]
    public void Float32_numbers_outside_its_range_are_rejected_but_infinities_and_nan_are_not()
    {
        Assert.Throws<BsonException>(() => BsonVector.Create(BsonVectorDataType.Float32, [1e39]));
        Assert.Throws<BsonException>(() => BsonVector.Create(BsonVectorDataType.Float32, [-1e300]));
        var special = (BsonVectorFloat32)BsonVector.Create(BsonVectorDataType.Float32, [double.NaN, double.NegativeInfinity, 1e-50]);
        Assert.True(float.IsNaN(special.Values.Span[0]));
        Assert.Equal(float.NegativeInfinity, special.Values.Span[1]);
        Assert.Equal(0f, special.Values.Span[2]);
    }

    // Prose test 1: encoding with non-zero ignored bits. We validate, so it is an error.
    [Fact]
    public void Encoding_nonzero_ignored_bits_is_an_error()
    {
        var error = Assert.Throws<BsonException>(() => BsonVector.FromPackedBits([0b1111_1111], padding: 7));
        Assert.Contains("ignored", error.Message, StringComparison.Ordinal);
        Assert.Throws<BsonException>(() => BsonVector.Create(BsonVectorDataType.PackedBit, [255], padding: 7));
        Assert.Throws<BsonException>(() => BsonVector.FromPackedBits([0x00, 0b0000_0100], padding: 3));
        Assert.Equal(5, BsonVector.FromPackedBits([0x00, 0b0000_1000], padding: 3).Count - 8);
    }

    // Prose test 2: decoding non-zero ignored bits. We raise rather than warn.
    [Fact]
    public void Decoding_nonzero_ignored_bits_is_an_error()
    {
        var binary = new BsonBinaryData([0x10, 0x07, 0xFF], BsonBinarySubType.Vector);
        var error = Assert.Throws<BsonFormatException>(() => binary.ToVector());
        Assert.Contains("ignored", error.Message, StringComparison.Ordinal);
        Assert.Throws<BsonFormatException>(() => BsonVector.Decode([0x10, 0x01, 0xFF, 0x01]));
    }

    // Prose test 3: comparison. A vector with set ignored bits cannot be built or read here, so v2 is out of reach.
    [Fact]
    public void Equality_of_binaries_and_of_vectors_agree()
    {
        var b1 = new BsonBinaryData([0x10, 0x07, 0x80], BsonBinarySubType.Vector);
        var b2 = new BsonBinaryData([0x10, 0x07, 0xFF], BsonBinarySubType.Vector);
        BsonBinaryData b3 = BsonVector.FromPackedBits([0b1000_0000], padding: 7).ToBsonBinaryData();

        Assert.NotEqual(b1, b2);
        Assert.Equal(b1, b3);
        Assert.Equal(b1.ToVector(), b3.ToVector());
        Assert.Equal(b1.ToVector().GetHashCode(), b3.ToVector().GetHashCode());
        Assert.Throws<BsonFormatException>(() => b2.ToVector());

        // Different dtypes over the same bytes, and different padding, are different vectors.
        Assert.NotEqual<BsonVector>(BsonVector.FromInt8([1]), BsonVector.FromPackedBits([1]));
        Assert.NotEqual<BsonVector>(BsonVector.FromPackedBits([0x80], 7), BsonVector.FromPackedBits([0x80], 0));
        Assert.NotEqual<BsonVector>(BsonVector.FromFloat32([0.0f]), BsonVector.FromFloat32([-0.0f]));
        Assert.Equal<BsonVector>(BsonVector.FromFloat32([float.NaN]), BsonVector.FromFloat32([float.NaN]));
    }

    [Fact]
    public void Vectors_do_not_share_arrays_with_their_inputs_or_outputs()
    {
        float[] input = [1, 2];
        BsonVectorFloat32 vector = BsonVector.FromFloat32(input);
        input[0] = 99;
        vector.ToArray()[1] = 99;
        vector.ToBsonBinaryData().Bytes[2] = 0xFF;
        Assert.Equal([1f, 2f], vector.ToArray());
    }

    [Fact]
    public void Vectors_survive_extended_json_as_binary_subtype_09()
    {
        BsonVectorInt8 vector = BsonVector.FromInt8([127, 7]);
        var document = new BsonDocument("x", vector.ToBsonBinaryData());
        string json = document.ToJson(ExtendedJsonMode.Canonical);
        Assert.Equal("""{"x":{"$binary":{"base64":"AwB/Bw==","subType":"09"}}}""", json);
        Assert.Equal(vector, BsonDocument.Parse(json)["x"].AsBsonBinaryData.ToVector());
    }

    [Fact]
    public void ToString_names_the_type_and_size()
    {
        Assert.Equal("Float32 vector of 2 elements", BsonVector.FromFloat32([1, 2]).ToString());
        Assert.Equal("PackedBit vector of 12 bits", BsonVector.FromPackedBits([0xEE, 0xE0], 4).ToString());
    }

    private static double[] NumbersOf(BsonVector vector) => vector switch
    {
        BsonVectorFloat32 f => [.. f.ToArray().Select(v => (double)v)],
        BsonVectorInt8 i => [.. i.ToArray().Select(v => (double)v)],
        BsonVectorPackedBit p => [.. p.ToArray().Select(v => (double)v)],
        _ => throw new InvalidOperationException(),
    };
}
