using Mongo.Bson;
using Mongo.Driver.Tests.Telemetry;
using Mongo.Testing;
using Mongo.Testing.Unified;
using Xunit;

namespace Mongo.Driver.Tests.Unified;

/// <summary>
/// The runner's tracing expectations (schema 1.27: observeTracingMessages, expectTracingMessages) assert what they say:
/// a file written in the OpenTelemetry tests' shape passes, and each broken expectation or unknown key fails the test
/// (UnifiedAssertionException, never a skip or a pass). Independent of the spec data, which may lack those tests.
/// </summary>
[Collection(TelemetryCollection.Name)]
public sealed class UnifiedRunnerTracingTests(MongoServerFixture server, Xunit.Abstractions.ITestOutputHelper output) : IClassFixture<MongoServerFixture>, IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("unified-tracing").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    /// <summary>A passing file: a find traced with its command payload; <paramref name="edit"/> breaks one part of it.</summary>
    private string File(Action<BsonDocument> edit)
    {
        var file = BsonDocument.Parse("""
            {
              "description": "tracing",
              "schemaVersion": "1.27",
              "createEntities": [
                { "client": { "id": "client0", "observeTracingMessages": { "enableCommandPayload": true } } },
                { "client": { "id": "client1" } },
                { "database": { "id": "database0", "client": "client0", "databaseName": "tracing-db" } },
                { "database": { "id": "database1", "client": "client1", "databaseName": "tracing-db" } },
                { "collection": { "id": "collection0", "database": "database0", "collectionName": "coll" } },
                { "collection": { "id": "collection1", "database": "database1", "collectionName": "coll" } }
              ],
              "initialData": [ { "collectionName": "coll", "databaseName": "tracing-db", "documents": [] } ],
              "tests": [
                {
                  "description": "find",
                  "operations": [
                    { "name": "insertOne", "object": "collection1", "arguments": { "document": { "_id": 1, "x": 1 } } },
                    { "name": "find", "object": "collection0", "arguments": { "filter": { "x": 1 } }, "expectResult": [ { "_id": 1, "x": 1 } ] }
                  ],
                  "expectTracingMessages": [
                    {
                      "client": "client0",
                      "ignoreExtraSpans": false,
                      "spans": [
                        {
                          "name": "find tracing-db.coll",
                          "attributes": {
                            "db.system.name": "mongodb",
                            "db.namespace": "tracing-db",
                            "db.collection.name": "coll",
                            "db.operation.name": "find",
                            "db.operation.summary": "find tracing-db.coll"
                          },
                          "nested": [
                            {
                              "name": "find",
                              "attributes": {
                                "db.command.name": "find",
                                "db.query.summary": "find tracing-db.coll",
                                "server.port": { "$$type": "long" },
                                "db.mongodb.cursor_id": { "$$exists": false },
                                "exception.message": { "$$exists": false },
                                "db.query.text": { "$$matchAsDocument": { "$$matchAsRoot": { "find": "coll", "filter": { "x": 1 } } } }
                              }
                            }
                          ]
                        }
                      ]
                    }
                  ]
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

    private static BsonArray Operations(BsonDocument file) => Test(file)["operations"].AsArray;

    private static BsonDocument Expectation(BsonDocument file) => Test(file)["expectTracingMessages"].AsArray[0].AsDocument;

    private static BsonDocument Operation(BsonDocument file) => Expectation(file)["spans"].AsArray[0].AsDocument;

    private static BsonDocument Command(BsonDocument file) => Operation(file)["nested"].AsArray[0].AsDocument;

    private static BsonDocument Attributes(BsonDocument span) => span["attributes"].AsDocument;

    private static BsonDocument Count() =>
        BsonDocument.Parse("""{ "name": "countDocuments", "object": "collection0", "arguments": { "filter": {} }, "expectResult": 0 }""");

    /// <summary>The insert of client1, which observes no tracing, is not among the spans (ignoreExtraSpans is false).</summary>
    [Fact]
    public async Task TheUneditedFilePasses() => await RunAsync(File(_ => { }));

    public static TheoryData<string> Breakages() =>
    [
        "operation span name",
        "command span name",
        "operation attribute value",
        "command attribute that must not exist",
        "command attribute type",
        "query text field",
        "missing nested span",
        "extra expected span",
        "unknown span key",
        "unknown expectation key",
        "unknown observeTracingMessages key",
        "expectation for a client that does not observe tracing",
        "extra actual span without ignoreExtraSpans",
        "span without attributes",
        "empty nested array",
        "empty spans array",
        "ignoreExtraSpans not a boolean",
    ];

    [Theory]
    [MemberData(nameof(Breakages))]
    public async Task EachBrokenExpectationFails(string breakage)
    {
        Action<BsonDocument> edit = breakage switch
        {
            "operation span name" => f => Operation(f)["name"] = "find coll",
            "command span name" => f => Command(f)["name"] = "find tracing-db.coll",
            "operation attribute value" => f => Attributes(Operation(f))["db.operation.name"] = "findOne",
            "command attribute that must not exist" => f => Attributes(Command(f)).Set("db.namespace", new BsonDocument("$$exists", false)),
            "command attribute type" => f => Attributes(Command(f))["server.port"] = new BsonDocument("$$type", "string"),
            "query text field" => f => Attributes(Command(f))["db.query.text"].AsDocument["$$matchAsDocument"].AsDocument["$$matchAsRoot"].AsDocument["filter"] = new BsonDocument("x", 2),
            "missing nested span" => f => Command(f).Set("nested", new BsonArray { new BsonDocument { { "name", "getMore" }, { "attributes", new BsonDocument() } } }),
            "extra expected span" => f => Expectation(f)["spans"].AsArray.Add(Operation(f).DeepClone()),
            "unknown span key" => f => Command(f).Set("events", new BsonArray()),
            "unknown expectation key" => f => Expectation(f).Set("ignoreExtraEvents", true),
            "unknown observeTracingMessages key" => f => f["createEntities"].AsArray[0].AsDocument["client"].AsDocument["observeTracingMessages"].AsDocument.Set("sampleRate", 1),
            "expectation for a client that does not observe tracing" => f => Expectation(f)["client"] = "client1",
            "extra actual span without ignoreExtraSpans" => f => Operations(f).Insert(0, Count()),
            "span without attributes" => f => Command(f).Remove("attributes"),
            "empty nested array" => f => Command(f).Set("nested", new BsonArray()),
            "empty spans array" => f => Expectation(f)["spans"] = new BsonArray(),
            "ignoreExtraSpans not a boolean" => f => Expectation(f)["ignoreExtraSpans"] = "no",
            _ => throw new ArgumentOutOfRangeException(nameof(breakage)),
        };

        var failure = await Assert.ThrowsAsync<UnifiedAssertionException>(() => RunAsync(File(edit)));
        Assert.False(string.IsNullOrEmpty(failure.Message));
        output.WriteLine(failure.Message);
    }

    /// <summary>With ignoreExtraSpans the expected spans may have others between them (a fail point's configureFailPoint, here a count).</summary>
    [Fact]
    public async Task IgnoreExtraSpansLetsOtherSpansComeBetween() => await RunAsync(File(f =>
    {
        Operations(f).Insert(0, Count());
        Expectation(f)["ignoreExtraSpans"] = true;
    }));

    /// <summary>A tracing client that a createEntities operation creates is traced too (the trace starts before the operations).</summary>
    [Fact]
    public async Task AClientCreatedByATestOperationIsTraced() => await RunAsync(File(f =>
    {
        var entities = f["createEntities"].AsArray;
        var traced = new BsonArray { entities[0], entities[2], entities[4] };
        foreach (var entity in traced)
        {
            entities.Remove(entity);
        }

        Operations(f).Insert(0, new BsonDocument
        {
            { "name", "createEntities" }, { "object", "testRunner" }, { "arguments", new BsonDocument("entities", traced) },
        });
    }));
}
