using MongoDB.Driver;
using Xunit;
using O = MongoDB.Bson;

namespace Mongo.InMemory.Tests.Engine;

/// <summary>
/// The expressions mongod 8.0 has beyond the classic set ($bitAnd..., $binarySize, $tsSecond, $unsetField, $stdDevPop as
/// an expression, $regexFindAll, $toUUID) and $convert's 8.0 binData forms, results and errors as mongod's.
/// </summary>
public sealed class EngineVersion8ExpressionTests : OfficialDriverTestBase
{
    private const string Doc = "{_id: 1, n: 12, l: NumberLong(10), s: 'héllo', b: BinData(0, 'AQID'), t: Timestamp(100, 7), " +
        "u: UUID('0123abcd-4567-89ef-0123-456789abcdef'), arr: [1, 2, 3, 4], o: {a: 1, b: 2}}";

    private async Task<O.BsonDocument> Project(string projection)
    {
        var c = Client.GetDatabase("t").GetCollection<O.BsonDocument>("x" + Guid.NewGuid().ToString("N"));
        await c.InsertOneAsync(O.BsonDocument.Parse(Doc));
        return await c.Aggregate<O.BsonDocument>(new[] { O.BsonDocument.Parse("{$project: " + projection + "}") }).SingleAsync();
    }

    private async Task<MongoCommandException> Fails(string expression)
    {
        return await Assert.ThrowsAsync<MongoCommandException>(() => Project("{_id: 0, v: " + expression + "}"));
    }

    [Fact]
    public async Task Bitwise_operators_keep_int_or_long_and_refuse_other_types()
    {
        var r = await Project("{_id: 0, and: {$bitAnd: ['$n', 10]}, or: {$bitOr: ['$n', 3]}, xor: {$bitXor: ['$n', 10]}, " +
            "andLong: {$bitAnd: ['$n', '$l']}, emptyAnd: {$bitAnd: []}, emptyOr: {$bitOr: []}, nul: {$bitOr: [1, null]}, " +
            "miss: {$bitAnd: [1, '$nope']}, not: {$bitNot: '$n'}, notLong: {$bitNot: '$l'}, notNull: {$bitNot: null}}");
        Assert.Equal(new O.BsonInt32(8), r["and"]);
        Assert.Equal(new O.BsonInt32(15), r["or"]);
        Assert.Equal(new O.BsonInt32(6), r["xor"]);
        Assert.Equal(new O.BsonInt64(8), r["andLong"]);
        Assert.Equal(new O.BsonInt32(-1), r["emptyAnd"]);
        Assert.Equal(new O.BsonInt32(0), r["emptyOr"]);
        Assert.Equal(O.BsonNull.Value, r["nul"]);
        Assert.Equal(O.BsonNull.Value, r["miss"]);
        Assert.Equal(new O.BsonInt32(-13), r["not"]);
        Assert.Equal(new O.BsonInt64(-11), r["notLong"]);
        Assert.Equal(O.BsonNull.Value, r["notNull"]);

        var e = await Fails("{$bitAnd: [1, 1.5]}");
        Assert.Equal((14, "$bitAnd only supports int and long operands."), (e.Code, e.ErrorMessage));
        e = await Fails("{$bitNot: 1.5}");
        Assert.Equal((14, "$bitNot only supports int and long, not: double."), (e.Code, e.ErrorMessage));
        e = await Fails("{$bitNot: 'abc'}");
        Assert.Equal((28765, "$bitNot only supports numeric types, not string"), (e.Code, e.ErrorMessage));
        e = await Fails("{$bitNot: [1, 2]}");
        Assert.Equal(16020, e.Code);
    }

    [Fact]
    public async Task BinarySize_and_timestamp_parts()
    {
        var r = await Project("{_id: 0, s: {$binarySize: '$s'}, b: {$binarySize: '$b'}, n: {$binarySize: null}, " +
            "sec: {$tsSecond: '$t'}, inc: {$tsIncrement: '$t'}, tn: {$tsSecond: '$nope'}}");
        Assert.Equal(6, r["s"].AsInt32); // é is two UTF-8 bytes
        Assert.Equal(3, r["b"].AsInt32);
        Assert.Equal(O.BsonNull.Value, r["n"]);
        Assert.Equal(new O.BsonInt64(100), r["sec"]);
        Assert.Equal(new O.BsonInt64(7), r["inc"]);
        Assert.Equal(O.BsonNull.Value, r["tn"]);

        var e = await Fails("{$binarySize: 1}");
        Assert.Equal((51276, "$binarySize requires a string or BinData argument, found: int"), (e.Code, e.ErrorMessage));
        e = await Fails("{$tsSecond: 1}");
        Assert.Equal((5687301, " Argument to $tsSecond must be a timestamp, but is int"), (e.Code, e.ErrorMessage));
        e = await Fails("{$tsIncrement: 'x'}");
        Assert.Equal(5687302, e.Code);
    }

    [Fact]
    public async Task UnsetField_removes_one_field_by_constant_name()
    {
        var r = await Project("{_id: 0, a: {$unsetField: {field: 'a', input: '$o'}}, d: {$unsetField: {field: {$literal: '$x'}, input: {$literal: {'$x': 1, y: 2}}}}, " +
            "n: {$unsetField: {field: 'a', input: '$nope'}}}");
        Assert.Equal(O.BsonDocument.Parse("{b: 2}"), r["a"]);
        Assert.Equal(O.BsonDocument.Parse("{y: 2}"), r["d"]);
        Assert.Equal(O.BsonNull.Value, r["n"]);

        Assert.Equal(4161106, (await Fails("{$unsetField: {field: {$concat: ['a']}, input: '$o'}}")).Code);
        Assert.Equal(4161107, (await Fails("{$unsetField: {field: 1, input: '$o'}}")).Code);
        Assert.Equal(4161108, (await Fails("{$unsetField: {field: '$a', input: '$o'}}")).Code);
        Assert.Equal(4161109, (await Fails("{$unsetField: {field: 'a'}}")).Code);
        Assert.Equal(4161105, (await Fails("{$unsetField: {field: 'a', input: 1}}")).Code);

        // The field name is checked when the pipeline is parsed, so even an empty collection refuses it.
        var empty = Client.GetDatabase("t").GetCollection<O.BsonDocument>("empty" + Guid.NewGuid().ToString("N"));
        var parse = await Assert.ThrowsAsync<MongoCommandException>(() =>
            empty.Aggregate<O.BsonDocument>(new[] { O.BsonDocument.Parse("{$project: {v: {$unsetField: {field: 7, input: '$o'}}}}") }).ToListAsync());
        Assert.Equal(4161107, parse.Code);
    }

    [Fact]
    public async Task StdDev_as_an_expression_over_an_array_or_arguments()
    {
        var r = await Project("{_id: 0, pop: {$stdDevPop: '$arr'}, samp: {$stdDevSamp: '$arr'}, args: {$stdDevPop: [1, 3, 'x']}, " +
            "one: {$stdDevSamp: [5]}, none: {$stdDevPop: ['a']}}");
        Assert.Equal(Math.Sqrt(1.25), r["pop"].AsDouble, 12);
        Assert.Equal(Math.Sqrt(5.0 / 3), r["samp"].AsDouble, 12);
        Assert.Equal(1.0, r["args"].AsDouble, 12);
        Assert.Equal(O.BsonNull.Value, r["one"]);
        Assert.Equal(O.BsonNull.Value, r["none"]);
    }

    [Fact]
    public async Task RegexFindAll_lists_every_match_with_code_point_indexes()
    {
        var r = await Project("{_id: 0, all: {$regexFindAll: {input: 'é1b22c333', regex: '([a-z]?)(\\\\d+)'}}, " +
            "none: {$regexFindAll: {input: 'abc', regex: '\\\\d'}}, nul: {$regexFindAll: {input: null, regex: 'a'}}, " +
            "ci: {$regexFindAll: {input: 'aAa', regex: 'a', options: 'i'}}, one: {$regexFind: {input: '😀é1', regex: '\\\\d'}}}");
        var all = r["all"].AsBsonArray;
        Assert.Equal(3, all.Count);
        Assert.Equal(O.BsonDocument.Parse("{match: '1', idx: 1, captures: ['', '1']}"), all[0]);
        Assert.Equal(O.BsonDocument.Parse("{match: 'b22', idx: 2, captures: ['b', '22']}"), all[1]);
        Assert.Equal(5, all[2]["idx"].AsInt32);
        Assert.Empty(r["none"].AsBsonArray);
        Assert.Empty(r["nul"].AsBsonArray);
        Assert.Equal(3, r["ci"].AsBsonArray.Count);
        Assert.Equal(2, r["one"]["idx"].AsInt32); // code points: the emoji is one (two UTF-16 units)

        Assert.Equal(51104, (await Fails("{$regexFindAll: {input: 1, regex: 'a'}}")).Code);
        Assert.Equal(51105, (await Fails("{$regexFindAll: {input: 'a', regex: 1}}")).Code);
    }

    [Fact]
    public async Task ToUuid_and_toString_of_a_uuid()
    {
        var r = await Project("{_id: 0, u: {$toUUID: '0123abcd-4567-89ef-0123-456789abcdef'}, n: {$toUUID: null}, " +
            "s: {$toString: '$u'}, b64: {$toString: '$b'}}");
        var u = r["u"].AsBsonBinaryData;
        Assert.Equal(O.BsonBinarySubType.UuidStandard, u.SubType);
        Assert.Equal(Convert.FromHexString("0123abcd456789ef0123456789abcdef"), u.Bytes);
        Assert.Equal(O.BsonNull.Value, r["n"]);
        Assert.Equal("0123abcd-4567-89ef-0123-456789abcdef", r["s"].AsString);
        Assert.Equal("AQID", r["b64"].AsString);

        var e = await Fails("{$toUUID: 'not-a-uuid'}");
        Assert.Equal(241, e.Code);
        Assert.StartsWith("Failed to parse BinData 'not-a-uuid' in $convert with no onError value", e.ErrorMessage);
        Assert.Equal(241, (await Fails("{$toUUID: 5}")).Code);
    }

    [Fact]
    public async Task Convert_between_string_and_binData_with_a_format()
    {
        var r = await Project("{_id: 0, " +
            "fromB64: {$convert: {input: 'AQID', to: 'binData', format: 'base64'}}, " +
            "fromHex: {$convert: {input: '0A0b', to: {type: 'binData', subtype: 128}, format: 'hex'}}, " +
            "fromUtf8: {$convert: {input: 'hé', to: 5, format: 'utf8'}}, " +
            "fromUuid: {$convert: {input: '0123abcd-4567-89ef-0123-456789abcdef', to: {type: 'binData', subtype: 4}, format: 'uuid'}}, " +
            "toHex: {$convert: {input: '$b', to: 'string', format: 'hex'}}, " +
            "toB64Url: {$convert: {input: {$convert: {input: '+/8=', to: 'binData', format: 'base64'}}, to: 'string', format: 'base64url'}}, " +
            "toUtf8: {$convert: {input: {$convert: {input: 'hé', to: 'binData', format: 'utf8'}}, to: 'string', format: 'utf8'}}, " +
            "toUuid: {$convert: {input: '$u', to: 'string', format: 'uuid'}}, " +
            "same: {$convert: {input: '$b', to: 'binData'}}, " +
            "nullTo: {$convert: {input: 'x', to: {type: null}}}, " +
            "mismatch: {$convert: {input: 'AQID', to: {type: 'binData', subtype: 4}, format: 'base64', onError: 'caught'}}, " +
            "otherSubtype: {$convert: {input: '$b', to: {type: 'binData', subtype: 5}, onError: 'caught'}}}");
        Assert.Equal(new O.BsonBinaryData(new byte[] { 1, 2, 3 }), r["fromB64"]);
        Assert.Equal(new O.BsonBinaryData(new byte[] { 10, 11 }, O.BsonBinarySubType.UserDefined), r["fromHex"]);
        Assert.Equal(new O.BsonBinaryData(new byte[] { 0x68, 0xC3, 0xA9 }), r["fromUtf8"]);
        Assert.Equal(O.BsonBinarySubType.UuidStandard, r["fromUuid"].AsBsonBinaryData.SubType);
        Assert.Equal("010203", r["toHex"].AsString);
        Assert.Equal("-_8", r["toB64Url"].AsString);
        Assert.Equal("hé", r["toUtf8"].AsString);
        Assert.Equal("0123abcd-4567-89ef-0123-456789abcdef", r["toUuid"].AsString);
        Assert.Equal(new O.BsonBinaryData(new byte[] { 1, 2, 3 }), r["same"]);
        Assert.Equal(O.BsonNull.Value, r["nullTo"]);
        Assert.Equal("caught", r["mismatch"].AsString);
        Assert.Equal("caught", r["otherSubtype"].AsString);

        // Argument errors are not conversion failures: onError does not hide them.
        var e = await Fails("{$convert: {input: '$b', to: 'string', onError: 0}}");
        Assert.Equal((4341115, "Format must be speficied when converting from 'binData' to 'string'"), (e.Code, e.ErrorMessage));
        Assert.Equal(4341125, (await Fails("{$convert: {input: 'a', to: 'binData', format: 'base32', onError: 0}}")).Code);
        Assert.Equal(4341114, (await Fails("{$convert: {input: 'a', to: 'binData', format: 1}}")).Code);
        Assert.Equal(4341108, (await Fails("{$convert: {input: 'a', to: {type: 'binData', subtype: 'x'}, format: 'hex'}}")).Code);
        Assert.Equal(4341106, (await Fails("{$convert: {input: 'a', to: {type: 'binData', subtype: 1.5}, format: 'hex'}}")).Code);
        Assert.Equal(4341107, (await Fails("{$convert: {input: 'a', to: {type: 'binData', subtype: 900}, format: 'hex'}}")).Code);
        Assert.Equal(9, (await Fails("{$convert: {input: 1, to: 100}}")).Code);
        Assert.Equal(2, (await Fails("{$convert: {input: 1, to: 'dinosaur', onError: 0}}")).Code);
        Assert.Equal(241, (await Fails("{$convert: {input: 'zz', to: 'binData', format: 'hex'}}")).Code);
        Assert.Equal(241, (await Fails("{$convert: {input: 1.5, to: 'object'}}")).Code);
        Assert.Equal(9, (await Fails("{$convert: {input: 1, to: 'int', base: 2}}")).Code);
    }
}
