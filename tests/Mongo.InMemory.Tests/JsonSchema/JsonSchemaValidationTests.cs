using Mongo.InMemory.Tests.Engine;
using MongoDB.Driver;
using Xunit;
using O = MongoDB.Bson;

namespace Mongo.InMemory.Tests.JsonSchema;

/// <summary>Collection validators ($jsonSchema and query operators): levels, actions, bypass and mongod's errInfo.</summary>
public sealed class JsonSchemaValidationTests : OfficialDriverTestBase
{
    private const string Schema = """
        {$jsonSchema: {bsonType: 'object', title: 'people', required: ['name', 'year', 'size'],
          properties: {_id: {}, name: {bsonType: 'string', description: 'must be a string'}, year: {bsonType: 'int', minimum: 2017},
                       size: {}, tags: {bsonType: 'array', items: {bsonType: 'string'}}, code: {pattern: '^[A-Z]+$'}, kind: {enum: ['a', 'b']}},
          additionalProperties: false}}
        """;

    private IMongoDatabase _db = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        _db = Client.GetDatabase("jv");
    }

    private static O.BsonDocument D(string json) => O.BsonDocument.Parse(json);

    private Task<O.BsonDocument> Run(string json) => _db.RunCommandAsync<O.BsonDocument>(D(json));

    private async Task<O.BsonDocument> WriteError(string command)
    {
        var reply = await Run(command);
        var error = reply["writeErrors"][0].AsBsonDocument;
        Assert.Equal(121, error["code"].AsInt32);
        Assert.Equal("Document failed validation", error["errmsg"].AsString);
        return error["errInfo"].AsBsonDocument;
    }

    [Fact]
    public async Task A_json_schema_validator_reports_the_failing_rules_as_mongod_does()
    {
        await Run("{create: 'p', validator: " + Schema + "}");
        await Run("{insert: 'p', documents: [{_id: 1, name: 'ann', year: 2020, size: 1, tags: ['x'], code: 'AB', kind: 'a'}]}");
        var errInfo = await WriteError("{insert: 'p', documents: [{_id: 2, name: 5, year: 2000, extra: 1, tags: ['x', 3], code: 'ab', kind: 'c'}]}");
        var expected = D("""
            {failingDocumentId: 2, details: {operatorName: '$jsonSchema', title: 'people', schemaRulesNotSatisfied: [
              {operatorName: 'properties', propertiesNotSatisfied: [
                {propertyName: 'name', description: 'must be a string', details: [
                  {operatorName: 'bsonType', specifiedAs: {bsonType: 'string'}, reason: 'type did not match', consideredValue: 5, consideredType: 'int'}]},
                {propertyName: 'year', details: [
                  {operatorName: 'minimum', specifiedAs: {minimum: 2017}, reason: 'comparison failed', consideredValue: 2000}]},
                {propertyName: 'tags', details: [
                  {operatorName: 'items', reason: 'At least one item did not match the sub-schema', itemIndex: 1, details: [
                    {operatorName: 'bsonType', specifiedAs: {bsonType: 'string'}, reason: 'type did not match', consideredValue: 3, consideredType: 'int'}]}]},
                {propertyName: 'code', details: [
                  {operatorName: 'pattern', specifiedAs: {pattern: '^[A-Z]+$'}, reason: 'regular expression did not match', consideredValue: 'ab'}]},
                {propertyName: 'kind', details: [
                  {operatorName: 'enum', specifiedAs: {enum: ['a', 'b']}, reason: 'value was not found in enum', consideredValue: 'c'}]}]},
              {operatorName: 'additionalProperties', specifiedAs: {additionalProperties: false}, additionalProperties: ['extra']},
              {operatorName: 'required', specifiedAs: {required: ['name', 'year', 'size']}, missingProperties: ['size']}]}}
            """);
        Assert.Equal(expected, errInfo);
        // The official driver hands the same errInfo to the application.
        var ex = await Assert.ThrowsAsync<MongoWriteException>(() => _db.GetCollection<O.BsonDocument>("p").InsertOneAsync(D("{_id: 3, name: 'x', year: 2020}")));
        Assert.Equal(121, ex.WriteError.Code);
        Assert.Equal(D("{operatorName: 'required', specifiedAs: {required: ['name', 'year', 'size']}, missingProperties: ['size']}"),
            ex.WriteError.Details["details"]["schemaRulesNotSatisfied"][0].AsBsonDocument);
        Assert.Equal(1, await _db.GetCollection<O.BsonDocument>("p").CountDocumentsAsync(D("{}")));
    }

    [Fact]
    public async Task Logical_keywords_and_dependencies_explain_their_subschemas()
    {
        await Run("""
            {create: 'l', validator: {$jsonSchema: {properties: {a: {oneOf: [{minimum: 1}, {maximum: 3}]}, b: {not: {bsonType: 'string'}},
              c: {anyOf: [{bsonType: 'string'}, {maximum: 3}]}}, dependencies: {d: ['e'], f: {required: ['g']}}, minProperties: 2}}}
            """);
        var errInfo = await WriteError("{insert: 'l', documents: [{_id: 1, a: 2, b: 's', c: 4, d: 1, f: 1}]}");
        var expected = D("""
            {operatorName: '$jsonSchema', schemaRulesNotSatisfied: [
              {operatorName: 'properties', propertiesNotSatisfied: [
                {propertyName: 'a', details: [{operatorName: 'oneOf', reason: 'more than one subschema matched', matchingSchemaIndexes: [0, 1]}]},
                {propertyName: 'b', details: [{operatorName: 'not', reason: 'child expression matched'}]},
                {propertyName: 'c', details: [{operatorName: 'anyOf', schemasNotSatisfied: [
                  {index: 0, details: [{operatorName: 'bsonType', specifiedAs: {bsonType: 'string'}, reason: 'type did not match', consideredValue: 4, consideredType: 'int'}]},
                  {index: 1, details: [{operatorName: 'maximum', specifiedAs: {maximum: 3}, reason: 'comparison failed', consideredValue: 4}]}]}]}]},
              {operatorName: 'dependencies', failingDependencies: [
                {conditionalProperty: 'd', missingProperties: ['e']},
                {conditionalProperty: 'f', details: [{operatorName: 'required', specifiedAs: {required: ['g']}, missingProperties: ['g']}]}]}]}
            """);
        Assert.Equal(expected, errInfo["details"].AsBsonDocument);
        var minProps = await WriteError("{insert: 'l', documents: [{_id: 2}]}");
        Assert.Equal(D("{operatorName: 'minProperties', specifiedAs: {minProperties: 2}, reason: 'specified number of properties was not satisfied', numberOfProperties: 1}"),
            minProps["details"]["schemaRulesNotSatisfied"][0].AsBsonDocument);
    }

    [Fact]
    public async Task A_schema_that_rejects_objects_always_fails()
    {
        await Run("{create: 'n', validator: {$jsonSchema: {bsonType: 'array'}}}");
        var errInfo = await WriteError("{insert: 'n', documents: [{_id: 1}]}");
        Assert.Equal(D("{operatorName: '$jsonSchema', specifiedAs: {$jsonSchema: {bsonType: 'array'}}, reason: 'expression always evaluates to false'}"), errInfo["details"].AsBsonDocument);
    }

    [Fact]
    public async Task Query_operator_validators_report_their_clauses()
    {
        await Run("{create: 'q1', validator: {qty: {$gte: 0}}}");
        var single = await WriteError("{insert: 'q1', documents: [{_id: 1, qty: -1}]}");
        Assert.Equal(D("{failingDocumentId: 1, details: {operatorName: '$gte', specifiedAs: {qty: {$gte: 0}}, reason: 'comparison failed', consideredValue: -1}}"), single);

        await Run("{create: 'q2', validator: {$or: [{phone: {$type: 'string'}}, {email: {$regex: '@mongodb[.]com$'}}, {status: {$in: ['Unknown', 'Incomplete']}}]}}");
        var or = await WriteError("{insert: 'q2', documents: [{_id: 1, name: 'Amanda', status: 'Updated'}]}");
        Assert.Equal(D("""
            {operatorName: '$or', clausesNotSatisfied: [
              {index: 0, details: {operatorName: '$type', specifiedAs: {phone: {$type: 'string'}}, reason: 'field was missing'}},
              {index: 1, details: {operatorName: '$regex', specifiedAs: {email: {$regex: '@mongodb[.]com$'}}, reason: 'field was missing'}},
              {index: 2, details: {operatorName: '$in', specifiedAs: {status: {$in: ['Unknown', 'Incomplete']}}, reason: 'no matching value found in array', consideredValue: 'Updated'}}]}
            """), or["details"].AsBsonDocument);

        await Run("{create: 'q3', validator: {a: {$gt: 1, $lt: 9}, b: {$exists: true}, $expr: {$eq: ['$a', 5]}, $jsonSchema: {required: ['a']}}}");
        var and = await WriteError("{insert: 'q3', documents: [{_id: 1, a: 12}]}");
        Assert.Equal(D("""
            {operatorName: '$and', clausesNotSatisfied: [
              {index: 1, details: {operatorName: '$lt', specifiedAs: {a: {$lt: 9}}, reason: 'comparison failed', consideredValue: 12}},
              {index: 2, details: {operatorName: '$exists', specifiedAs: {b: {$exists: true}}, reason: 'path does not exist'}},
              {index: 3, details: {operatorName: '$expr', specifiedAs: {$expr: {$eq: ['$a', 5]}}, reason: 'expression did not match', expressionResult: false}}]}
            """), and["details"].AsBsonDocument);

        await Run("{create: 'q4', validator: {$nor: [{$jsonSchema: {required: ['x']}}, {y: 1}]}}");
        var nor = await WriteError("{insert: 'q4', documents: [{_id: 1, x: 1, y: 1}]}");
        Assert.Equal(D("""
            {operatorName: '$nor', clausesSatisfied: [
              {index: 0, details: {operatorName: '$jsonSchema', reason: 'schema matched'}},
              {index: 1, details: {operatorName: '$eq', specifiedAs: {y: 1}, reason: 'comparison succeeded', consideredValue: 1}}]}
            """), nor["details"].AsBsonDocument);
    }

    [Fact]
    public async Task Leaf_details_follow_mongods_shapes_for_arrays_not_and_exists()
    {
        await Run("{create: 'r1', validator: {'a.b': {$eq: 2}}}");
        var many = await WriteError("{insert: 'r1', documents: [{_id: 1, a: [{b: 3}, {b: [4, 5]}]}]}");
        Assert.Equal(D("{operatorName: '$eq', specifiedAs: {'a.b': {$eq: 2}}, reason: 'comparison failed', consideredValues: [3, 4, 5]}"), many["details"].AsBsonDocument);
        var one = await WriteError("{insert: 'r1', documents: [{_id: 2, a: [{b: 3}]}]}");
        Assert.Equal(D("{operatorName: '$eq', specifiedAs: {'a.b': {$eq: 2}}, reason: 'comparison failed', consideredValue: 3}"), one["details"].AsBsonDocument);

        await Run("{create: 'r2', validator: {a: {$not: {$lt: 20, $gt: 5}}, b: {$exists: false}}}");
        var not = await WriteError("{insert: 'r2', documents: [{_id: 1, a: 10, b: 1}]}");
        Assert.Equal(D("""
            {operatorName: '$and', clausesNotSatisfied: [
              {index: 0, details: {operatorName: '$not', details: {operatorName: '$and', clausesSatisfied: [
                {index: 0, details: {operatorName: '$lt', specifiedAs: {a: {$lt: 20}}, reason: 'comparison succeeded', consideredValue: 10}},
                {index: 1, details: {operatorName: '$gt', specifiedAs: {a: {$gt: 5}}, reason: 'comparison succeeded', consideredValue: 10}}]}}},
              {index: 1, details: {operatorName: '$exists', specifiedAs: {b: {$exists: false}}, reason: 'path does exist'}}]}
            """), not["details"].AsBsonDocument);

        await Run("{create: 'r3', validator: {$and: [{$and: [{a: 1}]}, {$and: [{b: 1}]}]}}");
        var nested = await WriteError("{insert: 'r3', documents: [{_id: 1, a: 1, b: 2}]}");
        Assert.Equal(D("{operatorName: '$and', clausesNotSatisfied: [{index: 1, details: {operatorName: '$and', clausesNotSatisfied: [{index: 0, details: {operatorName: '$eq', specifiedAs: {b: 1}, reason: 'comparison failed', consideredValue: 2}}]}}]}"),
            nested["details"].AsBsonDocument);
    }

    [Fact]
    public async Task Levels_actions_and_collMod()
    {
        await Run("{create: 'm'}");
        await Run("{insert: 'm', documents: [{_id: 1, n: 'bad'}, {_id: 2, n: 1}]}");
        await Run("{collMod: 'm', validator: {$jsonSchema: {properties: {n: {bsonType: 'int'}}}}, validationLevel: 'moderate'}");
        var info = (await Run("{listCollections: 1, filter: {name: 'm'}}"))["cursor"]["firstBatch"][0]["options"].AsBsonDocument;
        Assert.Equal(D("{validator: {$jsonSchema: {properties: {n: {bsonType: 'int'}}}}, validationLevel: 'moderate'}"), info);
        // Moderate: an already invalid document may stay invalid; a valid one may not become invalid.
        Assert.Equal(1, (await Run("{update: 'm', updates: [{q: {_id: 1}, u: {$set: {n: 'worse'}}}]}"))["nModified"].AsInt32);
        await WriteError("{update: 'm', updates: [{q: {_id: 2}, u: {$set: {n: 'x'}}}]}");
        await WriteError("{insert: 'm', documents: [{_id: 3, n: 'x'}]}");
        // findAndModify fails as a command; bypassDocumentValidation lets it through.
        var fam = await Assert.ThrowsAsync<MongoCommandException>(() => Run("{findAndModify: 'm', query: {_id: 2}, update: {$set: {n: 'x'}}}"));
        Assert.Equal(121, fam.Code);
        Assert.Equal(2, fam.Result["errInfo"]["failingDocumentId"].AsInt32);
        await Run("{findAndModify: 'm', query: {_id: 2}, update: {$set: {n: 'x'}}, bypassDocumentValidation: true}");
        Assert.Equal(1, (await Run("{update: 'm', updates: [{q: {_id: 2}, u: {$set: {n: 'y'}}}], bypassDocumentValidation: true}"))["nModified"].AsInt32);
        // warn: the write goes through.
        await Run("{collMod: 'm', validationAction: 'warn', validationLevel: 'strict'}");
        Assert.Equal(1, (await Run("{insert: 'm', documents: [{_id: 4, n: 'x'}]}"))["n"].AsInt32);
        await Run("{collMod: 'm', validationAction: 'error'}");
        await WriteError("{insert: 'm', documents: [{_id: 5, n: 'x'}]}");
        var bad = await Assert.ThrowsAsync<MongoCommandException>(() => Run("{collMod: 'm', validator: {$jsonSchema: {type: 'integer'}}}"));
        Assert.Equal(9, bad.Code);
        var badCreate = await Assert.ThrowsAsync<MongoCommandException>(() => Run("{create: 'm2', validator: {$jsonSchema: {unknownKeyword: 1}}}"));
        Assert.Equal(9, badCreate.Code);
        // Validation leaves validate alone.
        Assert.True((await Run("{validate: 'm'}"))["valid"].AsBoolean);
    }

    [Fact]
    public async Task Out_and_merge_enforce_the_target_validator_unless_bypassed()
    {
        await Run("{create: 't', validator: {$jsonSchema: {required: ['ok']}}}");
        await Run("{insert: 's', documents: [{_id: 1, ok: 1}, {_id: 2}]}");
        var merge = await Assert.ThrowsAsync<MongoCommandException>(() => Run("{aggregate: 's', pipeline: [{$merge: {into: 't'}}], cursor: {}}"));
        Assert.Equal(121, merge.Code);
        await Run("{aggregate: 's', pipeline: [{$merge: {into: 't'}}], cursor: {}, bypassDocumentValidation: true}");
        Assert.Equal(2, await _db.GetCollection<O.BsonDocument>("t").CountDocumentsAsync(D("{}")));
        var replace = await Assert.ThrowsAsync<MongoCommandException>(() => Run("{aggregate: 's', pipeline: [{$project: {ok: 0}}, {$merge: {into: 't', whenMatched: 'replace'}}], cursor: {}}"));
        Assert.Equal(121, replace.Code);

        await Run("{create: 'o', validator: {$jsonSchema: {required: ['ok']}}}");
        var @out = await Assert.ThrowsAsync<MongoCommandException>(() => Run("{aggregate: 's', pipeline: [{$out: 'o'}], cursor: {}}"));
        Assert.Equal(121, @out.Code);
        Assert.Equal(0, await _db.GetCollection<O.BsonDocument>("o").CountDocumentsAsync(D("{}")));
        await Run("{aggregate: 's', pipeline: [{$out: 'o'}], cursor: {}, bypassDocumentValidation: true}");
        Assert.Equal(2, await _db.GetCollection<O.BsonDocument>("o").CountDocumentsAsync(D("{}")));
    }
}
