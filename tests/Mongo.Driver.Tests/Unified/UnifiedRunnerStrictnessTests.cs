using Mongo.Bson;
using Mongo.Testing;
using Mongo.Testing.Unified;
using Xunit;

namespace Mongo.Driver.Tests.Unified;

/// <summary>
/// The unified runner refuses what it does not implement instead of passing vacuously: unknown keys at every level,
/// and a malformed or unsupported schemaVersion, fail the test (UnifiedAssertionException, never a skip or a pass).
/// </summary>
public sealed class UnifiedRunnerStrictnessTests(MongoServerFixture server) : IClassFixture<MongoServerFixture>, IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("unified-strict").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    /// <summary>A passing file: one insert whose event is expected; <paramref name="edit"/> breaks one part of it.</summary>
    private string File(Action<BsonDocument> edit)
    {
        var file = BsonDocument.Parse("""
            {
              "description": "strictness",
              "schemaVersion": "1.9",
              "createEntities": [
                { "client": { "id": "client0", "observeEvents": ["commandStartedEvent"] } },
                { "database": { "id": "database0", "client": "client0", "databaseName": "strict-db" } },
                { "collection": { "id": "collection0", "database": "database0", "collectionName": "coll" } }
              ],
              "initialData": [ { "collectionName": "coll", "databaseName": "strict-db", "documents": [] } ],
              "tests": [
                {
                  "description": "insert",
                  "operations": [
                    { "name": "insertOne", "object": "collection0", "arguments": { "document": { "_id": 1 } }, "expectResult": { "insertedId": 1 } }
                  ],
                  "expectEvents": [ { "client": "client0", "events": [ { "commandStartedEvent": { "commandName": "insert" } } ] } ],
                  "outcome": [ { "collectionName": "coll", "databaseName": "strict-db", "documents": [ { "_id": 1 } ] } ]
                }
              ]
            }
            """);
        edit(file);
        var path = Path.Combine(_folder, Guid.NewGuid().ToString("N") + ".json");
        System.IO.File.WriteAllText(path, file.ToString());
        return path;
    }

    private async Task RunAsync(string path)
    {
        await using var runner = new UnifiedTestRunner(server.ConnectionString, server.Kind == MongoBackendKind.InMemory);
        await runner.RunFileAsync(path, 0, async: true);
    }

    private static BsonDocument Test(BsonDocument file) => file["tests"].AsArray[0].AsDocument;

    [Fact]
    public async Task TheUneditedFilePasses() => await RunAsync(File(_ => { }));

    public static TheoryData<string, string> Breakages() => new()
    {
        { "file key", "Unsupported test file field 'expectNothing'" },
        { "test key", "Unsupported test field expectEventz" },
        { "operation key", "Unsupported operation field 'expectedResult'" },
        { "argument", "Unsupported argument 'documentz'" },
        { "database entity key", "Unsupported database entity field 'databaseOpts'" },
        { "collection entity key", "Unsupported collection entity field 'collectionOpts'" },
        { "expectEvents key", "Unsupported argument 'ignoreExtra'" },
        { "outcome key", "Unsupported argument 'docs'" },
        { "initialData key", "Unsupported argument 'options'" },
        { "requirement key", "Unsupported runOnRequirements field 'minServerVersionz'" },
        { "expectError key", "Unsupported expectError field errorCodez" },
        { "malformed schemaVersion", "schemaVersion '1.x' is malformed" },
        { "newer schemaVersion", "schemaVersion 1.99 is not supported" },
        { "other major schemaVersion", "schemaVersion 2.0 is not supported" },
        { "missing schemaVersion", "schemaVersion is missing" },
    };

    [Theory]
    [MemberData(nameof(Breakages))]
    public async Task AnythingTheRunnerDoesNotImplementFailsTheTest(string breakage, string message)
    {
        var path = File(file =>
        {
            var test = Test(file);
            var operation = test["operations"].AsArray[0].AsDocument;
            switch (breakage)
            {
                case "file key": file.Add("expectNothing", true); break;
                case "test key": test.Add("expectEventz", new BsonArray()); break;
                case "operation key": operation.Add("expectedResult", 1); break;
                case "argument": operation["arguments"].AsDocument.Add("documentz", 1); break;
                case "database entity key": file["createEntities"].AsArray[1].AsDocument["database"].AsDocument.Add("databaseOpts", new BsonDocument()); break;
                case "collection entity key": file["createEntities"].AsArray[2].AsDocument["collection"].AsDocument.Add("collectionOpts", new BsonDocument()); break;
                case "expectEvents key": test["expectEvents"].AsArray[0].AsDocument.Add("ignoreExtra", true); break;
                case "outcome key": test["outcome"].AsArray[0].AsDocument.Add("docs", new BsonArray()); break;
                case "initialData key": file["initialData"].AsArray[0].AsDocument.Add("options", new BsonDocument()); break;
                case "requirement key": test.Add("runOnRequirements", new BsonArray { new BsonDocument("minServerVersionz", "4.0") }); break;
                case "expectError key":
                    operation.Remove("expectResult");
                    operation["arguments"].AsDocument["document"] = new BsonDocument("_id", 1);
                    test["operations"].AsArray.Add(new BsonDocument
                    {
                        { "name", "insertOne" }, { "object", "collection0" }, { "arguments", new BsonDocument("document", new BsonDocument("_id", 1)) },
                        { "expectError", new BsonDocument("errorCodez", 11000) },
                    });
                    break;
                case "malformed schemaVersion": file["schemaVersion"] = "1.x"; break;
                case "newer schemaVersion": file["schemaVersion"] = "1.99"; break;
                case "other major schemaVersion": file["schemaVersion"] = "2.0"; break;
                case "missing schemaVersion": file.Remove("schemaVersion"); break;
            }
        });
        var ex = await Assert.ThrowsAsync<UnifiedAssertionException>(() => RunAsync(path));
        Assert.Contains(message, ex.Message);
    }

    [Theory]
    [InlineData(8, true)]
    [InlineData(9, false)]
    public async Task ErrorResponseIsCheckedOnTheServerReply(int expectedCode, bool passes)
    {
        var path = File(file =>
        {
            var test = Test(file);
            test["operations"] = new BsonArray
            {
                BsonDocument.Parse("""
                    { "name": "failPoint", "object": "testRunner", "arguments": { "client": "client0", "failPoint":
                      { "configureFailPoint": "failCommand", "mode": { "times": 1 }, "data": { "failCommands": ["find"], "errorCode": 8 } } } }
                    """),
                BsonDocument.Parse("""{ "name": "find", "object": "collection0", "arguments": { "filter": {} }, "expectError": { "errorResponse": { "code": """ + expectedCode + " } } }"),
            };
            test.Remove("expectEvents");
            test["outcome"] = new BsonArray { BsonDocument.Parse("""{ "collectionName": "coll", "databaseName": "strict-db", "documents": [] }""") };
        });
        if (passes)
        {
            await RunAsync(path);
        }
        else
        {
            var ex = await Assert.ThrowsAsync<UnifiedAssertionException>(() => RunAsync(path));
            Assert.Contains("errorResponse", ex.Message);
        }
    }

    [Fact]
    public async Task ServerParametersAreReadWithTheRunningRunnersClient()
    {
        // Server information is cached per server: the first runner's client is disposed when the second one asks.
        var met = File(file => Test(file).Add("runOnRequirements", new BsonArray { BsonDocument.Parse("""{ "serverParameters": { "enableTestCommands": true } }""") }));
        await RunAsync(File(_ => { }));
        await RunAsync(met);
        await RunAsync(met);

        var unmet = File(file => Test(file).Add("runOnRequirements", new BsonArray { BsonDocument.Parse("""{ "serverParameters": { "enableTestCommands": false } }""") }));
        var skip = await Assert.ThrowsAsync<UnifiedSkipException>(() => RunAsync(unmet));
        Assert.Contains("needs server parameter enableTestCommands", skip.Message);
    }
}
