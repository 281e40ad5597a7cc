using Mongo.Bson;
using Mongo.InMemory;
using Mongo.Testing.Unified;
using Xunit;

namespace Mongo.Driver.Tests.Unified;

/// <summary>
/// The runner's getSnapshotTime operation, sessionOptions.snapshotTime and $$matchesEntity on a saved time, on a file
/// that needs no document history (the spec's own snapshotTime tests, in the sessions suite, write between the reads).
/// </summary>
public sealed class UnifiedRunnerSnapshotTimeTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("unified-snapshot-time").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string File(string operations, string events)
    {
        var file = BsonDocument.Parse($$"""
            {
              "description": "snapshot time",
              "schemaVersion": "1.21",
              "createEntities": [
                { "client": { "id": "client0", "observeEvents": ["commandStartedEvent"] } },
                { "database": { "id": "database0", "client": "client0", "databaseName": "snap-db" } },
                { "collection": { "id": "collection0", "database": "database0", "collectionName": "coll" } },
                { "session": { "id": "session0", "client": "client0", "sessionOptions": { "snapshot": true } } }
              ],
              "initialData": [ { "collectionName": "coll", "databaseName": "snap-db", "documents": [ { "_id": 1, "x": 11 } ] } ],
              "tests": [ { "description": "t", "operations": {{operations}}, "expectEvents": [ { "client": "client0", "events": {{events}} } ] } ]
            }
            """);
        var path = Path.Combine(_folder, Guid.NewGuid().ToString("N") + ".json");
        System.IO.File.WriteAllText(path, file.ToString());
        return path;
    }

    private static async Task RunAsync(string path, bool async)
    {
        await using InMemoryMongoServer server = await InMemoryMongoServer.StartAsync(new InMemoryMongoServerOptions { ReplicaSetName = "rs0" });
        await using var runner = new UnifiedTestRunner(server.ConnectionString, inMemory: true);
        await runner.RunFileAsync(path, 0, async);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_saved_snapshot_time_starts_another_session_at_it(bool async)
    {
        string path = File(
            """
            [
              { "name": "find", "object": "collection0", "arguments": { "session": "session0", "filter": {} }, "expectResult": [ { "_id": 1, "x": 11 } ] },
              { "name": "getSnapshotTime", "object": "session0", "saveResultAsEntity": "savedSnapshotTime" },
              { "name": "createEntities", "object": "testRunner", "arguments": { "entities": [
                { "session": { "id": "session2", "client": "client0", "sessionOptions": { "snapshot": true, "snapshotTime": "savedSnapshotTime" } } } ] } },
              { "name": "distinct", "object": "collection0", "arguments": { "fieldName": "x", "filter": {}, "session": "session2" }, "expectResult": [ 11 ] }
            ]
            """,
            """
            [
              { "commandStartedEvent": { "command": { "find": "coll", "readConcern": { "level": "snapshot", "atClusterTime": { "$$exists": false } } } } },
              { "commandStartedEvent": { "command": { "distinct": "coll", "readConcern": { "level": "snapshot", "atClusterTime": { "$$matchesEntity": "savedSnapshotTime" } } } } }
            ]
            """);
        await RunAsync(path, async);
    }

    [Fact]
    public async Task A_different_saved_time_does_not_match()
    {
        // session3 is never used for a read: its given time (1, 1) is only saved, and the distinct of session2 carries
        // session0's time, so $$matchesEntity must compare the two and fail, not just resolve the entity.
        string path = File(
            """
            [
              { "name": "find", "object": "collection0", "arguments": { "session": "session0", "filter": {} } },
              { "name": "getSnapshotTime", "object": "session0", "saveResultAsEntity": "savedSnapshotTime" },
              { "name": "createEntities", "object": "testRunner", "arguments": { "entities": [
                { "session": { "id": "session2", "client": "client0", "sessionOptions": { "snapshot": true, "snapshotTime": "savedSnapshotTime" } } },
                { "session": { "id": "session3", "client": "client0", "sessionOptions": { "snapshot": true, "snapshotTime": { "$timestamp": { "t": 1, "i": 1 } } } } } ] } },
              { "name": "getSnapshotTime", "object": "session3", "saveResultAsEntity": "otherTime" },
              { "name": "distinct", "object": "collection0", "arguments": { "fieldName": "x", "filter": {}, "session": "session2" } }
            ]
            """,
            """
            [
              { "commandStartedEvent": { "command": { "find": "coll" } } },
              { "commandStartedEvent": { "command": { "distinct": "coll", "readConcern": { "level": "snapshot", "atClusterTime": { "$$matchesEntity": "otherTime" } } } } }
            ]
            """);
        var ex = await Assert.ThrowsAsync<UnifiedAssertionException>(() => RunAsync(path, async: true));
        Assert.Contains("command event 1: command.readConcern.atClusterTime: expected Timestamp(1, 1), got", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetSnapshotTime_before_the_first_read_is_a_client_error()
    {
        string path = File(
            """[ { "name": "getSnapshotTime", "object": "session0", "expectError": { "isClientError": true } } ]""",
            "[]");
        await RunAsync(path, async: false);
    }

    [Fact]
    public async Task GetSnapshotTime_takes_no_arguments()
    {
        string path = File(
            """[ { "name": "getSnapshotTime", "object": "session0", "arguments": { "extra": 1 } } ]""",
            "[]");
        var ex = await Assert.ThrowsAsync<UnifiedAssertionException>(() => RunAsync(path, async: false));
        Assert.Contains("extra", ex.Message, StringComparison.Ordinal);
    }
}
