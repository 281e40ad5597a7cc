using Mongo.InMemory.Tests.Engine;
using MongoDB.Driver;
using Xunit;
using O = MongoDB.Bson;

namespace Mongo.InMemory.Tests.JsonSchema;

/// <summary>$jsonSchema as a query operator: mongod's keyword semantics and its parse errors.</summary>
public sealed class JsonSchemaQueryTests : OfficialDriverTestBase
{
    private IMongoDatabase _db = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        _db = Client.GetDatabase("js");
        await Run("""
            {insert: 'c', documents: [
              {_id: 1, name: 'ann', age: 30, tags: ['a', 'b'], addr: {city: 'Oslo', zip: '0150'}},
              {_id: 2, name: 'bob', age: 17.5, tags: ['a', 'a'], addr: {city: 'Rome'}},
              {_id: 3, name: 42, age: NumberLong(70), tags: [1, 2, 3]},
              {_id: 4, name: ['x'], extra: true},
              {_id: 5, name: 'ñandú😀', age: null}
            ]}
            """);
    }

    private static O.BsonDocument D(string json) => O.BsonDocument.Parse(json);

    private Task<O.BsonDocument> Run(string json) => _db.RunCommandAsync<O.BsonDocument>(D(json));

    private async Task<int[]> Ids(string schema)
    {
        var reply = await Run("{find: 'c', filter: {$jsonSchema: " + schema + "}, sort: {_id: 1}}");
        return reply["cursor"]["firstBatch"].AsBsonArray.Select(d => d["_id"].AsInt32).ToArray();
    }

    private async Task Expect(string schema, params int[] ids) => Assert.Equal(ids, await Ids(schema));

    [Fact]
    public async Task Types_required_and_properties_follow_json_schema_semantics()
    {
        await Expect("{}", 1, 2, 3, 4, 5);
        await Expect("{properties: {name: {bsonType: 'string'}}, required: ['name']}", 1, 2, 5);
        // No implicit array traversal: ['x'] is an array, not a string.
        await Expect("{properties: {name: {bsonType: ['string', 'array']}}}", 1, 2, 4, 5);
        await Expect("{properties: {age: {bsonType: 'number'}}, required: ['age']}", 1, 2, 3);
        await Expect("{properties: {age: {type: 'number'}}, required: ['age']}", 1, 2, 3);
        await Expect("{properties: {age: {bsonType: 'long'}}, required: ['age']}", 3);
        await Expect("{properties: {age: {type: 'null'}}, required: ['age']}", 5);
        await Expect("{type: 'object'}", 1, 2, 3, 4, 5);
        Assert.Empty(await Ids("{bsonType: 'string'}"));
        await Expect("{required: ['extra']}", 4);
    }

    [Fact]
    public async Task Restriction_keywords_only_constrain_their_own_type()
    {
        // minimum ignores the non-numbers (strings, null, missing); with a stated type it applies to that type only.
        await Expect("{properties: {age: {minimum: 18}}}", 1, 3, 4, 5);
        await Expect("{properties: {age: {minimum: 17.5, exclusiveMinimum: true}}}", 1, 3, 4, 5);
        await Expect("{properties: {age: {maximum: 30}}}", 1, 2, 4, 5);
        await Expect("{properties: {age: {multipleOf: 10}}}", 1, 3, 4, 5);
        await Expect("{properties: {age: {multipleOf: 0.5}}}", 1, 2, 3, 4, 5);
        // Lengths count code points: 'ñandú😀' is 6 of them (7 UTF-16 units).
        await Expect("{properties: {name: {maxLength: 6}}}", 1, 2, 3, 4, 5);
        await Expect("{properties: {name: {minLength: 6}}}", 3, 4, 5);
        await Expect("{properties: {name: {pattern: '^b'}}, required: ['name']}", 2, 3, 4);
        await Expect("{properties: {name: {pattern: '^[an]'}}}", 1, 3, 4);
        await Expect("{properties: {tags: {uniqueItems: true}}}", 1, 3, 4, 5);
        await Expect("{properties: {tags: {maxItems: 2}}}", 1, 2, 4, 5);
        await Expect("{properties: {tags: {items: {bsonType: 'string'}}}}", 1, 2, 4, 5);
        await Expect("{properties: {tags: {items: [{bsonType: 'string'}], additionalItems: {bsonType: 'string'}}}}", 1, 2, 4, 5);
        await Expect("{properties: {tags: {items: [{}], additionalItems: false}}}", 4, 5);
    }

    [Fact]
    public async Task Object_and_logical_keywords()
    {
        await Expect("{properties: {addr: {required: ['zip']}}}", 1, 3, 4, 5);
        await Expect("{properties: {_id: {}, name: {}, age: {bsonType: ['number', 'null']}, tags: {}, addr: {}}, additionalProperties: false}", 1, 2, 3, 5);
        await Expect("{patternProperties: {'^ex': {bsonType: 'bool'}}, required: ['extra']}", 4);
        await Expect("{additionalProperties: {bsonType: ['int', 'string', 'array', 'object', 'double', 'long', 'null']}}", 1, 2, 3, 5);
        await Expect("{minProperties: 3, maxProperties: 3}", 4, 5);
        await Expect("{dependencies: {tags: ['addr']}}", 1, 2, 4, 5);
        await Expect("{dependencies: {age: {properties: {name: {bsonType: 'string'}}}}}", 1, 2, 4, 5);
        await Expect("{allOf: [{required: ['addr']}, {properties: {name: {bsonType: 'string'}}}]}", 1, 2);
        await Expect("{anyOf: [{required: ['addr']}, {required: ['extra']}]}", 1, 2, 4);
        await Expect("{oneOf: [{required: ['age']}, {required: ['addr']}]}", 3, 5);
        await Expect("{not: {required: ['addr']}}", 3, 4, 5);
        await Expect("{properties: {name: {enum: ['ann', 'bob']}}, required: ['name']}", 1, 2);
        // A top-level enum compares whole documents, field order aside.
        await Expect("{enum: [{extra: true, name: ['x'], _id: 4}, 'not an object']}", 4);
    }

    [Fact]
    public async Task JsonSchema_combines_with_query_operators_and_pipelines()
    {
        var reply = await Run("{find: 'c', filter: {$or: [{$jsonSchema: {required: ['extra']}}, {_id: 1}]}, sort: {_id: 1}}");
        Assert.Equal(2, reply["cursor"]["firstBatch"].AsBsonArray.Count);
        reply = await Run("{find: 'c', filter: {$nor: [{$jsonSchema: {required: ['age']}}]}}");
        Assert.Equal(4, reply["cursor"]["firstBatch"][0]["_id"].AsInt32);
        var agg = await Run("{aggregate: 'c', pipeline: [{$match: {$jsonSchema: {properties: {age: {minimum: 20}}, required: ['age']}}}, {$count: 'n'}], cursor: {}}");
        Assert.Equal(3, agg["cursor"]["firstBatch"][0]["n"].AsInt32);
        await Run("{insert: 'o', documents: [{_id: 1, items: [{q: 1}, {q: 'x'}]}, {_id: 2, items: [{q: 'y'}]}]}");
        var elem = await Run("{find: 'o', filter: {items: {$elemMatch: {$jsonSchema: {properties: {q: {bsonType: 'int'}}, required: ['q']}}}}}");
        Assert.Equal(1, Assert.Single(elem["cursor"]["firstBatch"].AsBsonArray)["_id"].AsInt32);
        var lookup = await Run("{aggregate: 'o', pipeline: [{$lookup: {from: 'c', pipeline: [{$match: {$jsonSchema: {required: ['extra']}}}], as: 'x'}}, {$limit: 1}], cursor: {}}");
        Assert.Equal(4, Assert.Single(lookup["cursor"]["firstBatch"][0]["x"].AsBsonArray)["_id"].AsInt32);
        var count = await _db.GetCollection<O.BsonDocument>("c").CountDocumentsAsync(D("{$jsonSchema: {required: ['addr']}}"));
        Assert.Equal(2, count);
    }

    [Theory]
    [InlineData("{type: 'integer'}", 9, "$jsonSchema type 'integer' is not currently supported.")]
    [InlineData("{properties: {a: {type: ['string', 'integer']}}}", 9, "$jsonSchema type 'integer' is not currently supported.")]
    [InlineData("{foo: 1}", 9, "Unknown $jsonSchema keyword: foo")]
    [InlineData("{format: 'email'}", 9, "$jsonSchema keyword 'format' is not currently supported")]
    [InlineData("{properties: {a: {$ref: '#/x'}}}", 9, "$jsonSchema keyword '$ref' is not currently supported")]
    [InlineData("{type: 'object', bsonType: 'object'}", 9, "Cannot specify both $jsonSchema keywords 'type' and 'bsonType'")]
    [InlineData("{title: 1}", 14, "$jsonSchema keyword 'title' must be of type string")]
    [InlineData("{enum: []}", 9, "$jsonSchema keyword 'enum' cannot be an empty array")]
    [InlineData("{enum: [1, 1.0]}", 9, "$jsonSchema keyword 'enum' array cannot contain duplicate values.")]
    [InlineData("{required: []}", 9, "$jsonSchema keyword 'required' cannot be an empty array")]
    [InlineData("{required: 'a'}", 14, "$jsonSchema keyword 'required' must be an array, but found an element of type string")]
    [InlineData("{properties: {a: {multipleOf: 0}}}", 9, "$jsonSchema keyword 'multipleOf' must have a positive value")]
    [InlineData("{properties: {a: {exclusiveMaximum: true}}}", 9, "$jsonSchema keyword 'maximum' must be a present if exclusiveMaximum is present")]
    [InlineData("{properties: {a: {minimum: 'x'}}}", 14, "$jsonSchema keyword 'minimum' must be a number")]
    [InlineData("{anyOf: []}", 2, "$jsonSchema keyword 'anyOf' must be a non-empty array")]
    [InlineData("{bsonType: 'str'}", 2, "Unknown type name alias: str")]
    [InlineData("{properties: {a: 1}}", 14, "Nested schema for $jsonSchema property 'a' must be an object")]
    [InlineData("{additionalProperties: 'no'}", 14, "$jsonSchema keyword 'additionalProperties' must be an object or a boolean")]
    [InlineData("{encrypt: {}, encryptMetadata: {keyId: []}}", 9, "Cannot specify both $jsonSchema keywords 'encrypt' and 'encryptMetadata'")]
    public async Task Parse_errors_match_mongod(string schema, int code, string message)
    {
        var ex = await Assert.ThrowsAsync<MongoCommandException>(() => Run("{find: 'c', filter: {$jsonSchema: " + schema + "}}"));
        Assert.Equal(code, ex.Code);
        Assert.Equal(message, ex.ErrorMessage);
    }

    [Fact]
    public async Task A_non_object_operand_is_a_type_mismatch()
    {
        var ex = await Assert.ThrowsAsync<MongoCommandException>(() => Run("{find: 'c', filter: {$jsonSchema: 1}}"));
        Assert.Equal(14, ex.Code);
        Assert.Equal("$jsonSchema must be an object", ex.ErrorMessage);
    }

    [Fact]
    public async Task Encrypt_requires_encrypted_binary_values()
    {
        await Run("{insert: 'e', documents: [{_id: 1, s: BinData(6, 'AQ==')}, {_id: 2, s: 'plain'}]}");
        var reply = await Run("{find: 'e', filter: {$jsonSchema: {properties: {s: {encrypt: {}}}}}}");
        Assert.Equal(1, Assert.Single(reply["cursor"]["firstBatch"].AsBsonArray)["_id"].AsInt32);
    }
}
