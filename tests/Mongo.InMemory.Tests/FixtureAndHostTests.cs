using System.Diagnostics;
using Mongo.Testing;
using MongoDB.Driver;
using Xunit;
using O = MongoDB.Bson;

namespace Mongo.InMemory.Tests;

/// <summary>The shared backend fixture and the runnable server process.</summary>
public sealed class FixtureAndHostTests
{
    [SkippableFact]
    public async Task Fixture_falls_back_to_the_in_memory_server()
    {
        Skip.If(!string.IsNullOrEmpty(Environment.GetEnvironmentVariable("MONGODB_URI")), "MONGODB_URI is set: the fixture uses that server");
        Skip.If(Environment.GetEnvironmentVariable("MONGO_TEST_DOCKER") == "1", "MONGO_TEST_DOCKER=1: the fixture may use Docker");
        var fixture = new MongoServerFixture();
        await fixture.InitializeAsync();
        try
        {
            Assert.Equal(MongoBackendKind.InMemory, fixture.Kind);
            Assert.NotNull(fixture.InMemoryServer);
            Assert.Contains("Mongo.InMemory", fixture.Description);
            using var client = new MongoClient(fixture.ConnectionString);
            var reply = await client.GetDatabase("admin").RunCommandAsync<O.BsonDocument>(new O.BsonDocument("ping", 1));
            Assert.Equal(1.0, reply["ok"].ToDouble());
        }
        finally
        {
            await fixture.DisposeAsync();
        }
    }

    [SkippableFact]
    public async Task Replica_set_fixture_runs_a_replica_set_and_appends_options_correctly()
    {
        Skip.If(!string.IsNullOrEmpty(Environment.GetEnvironmentVariable("MONGODB_URI")), "MONGODB_URI is set: the fixture uses that server");
        Skip.If(Environment.GetEnvironmentVariable("MONGO_TEST_DOCKER") == "1", "MONGO_TEST_DOCKER=1: the fixture may use Docker");
        var fixture = new MongoReplicaSetFixture();
        await fixture.InitializeAsync();
        try
        {
            string url = fixture.ConnectionStringWith("compressors=zlib");
            Assert.EndsWith("?replicaSet=rs0&compressors=zlib", url);
            using var client = new MongoClient(url);
            var hello = await client.GetDatabase("admin").RunCommandAsync<O.BsonDocument>(new O.BsonDocument("hello", 1));
            Assert.Equal("rs0", hello["setName"].AsString);
            await client.GetDatabase("admin").RunCommandAsync<O.BsonDocument>(new O.BsonDocument("ping", 1)); // hello itself is never compressed
            Assert.True(fixture.InMemoryServer!.Statistics.GetCompressedMessagesReceived("zlib") > 0);
        }
        finally
        {
            await fixture.DisposeAsync();
        }
    }

    [Fact]
    public void ConnectionStringWith_picks_the_right_separator()
    {
        var fixture = new TestableFixture("mongodb://h:1");
        Assert.Equal("mongodb://h:1/?a=b", fixture.ConnectionStringWith("a=b"));
        fixture = new TestableFixture("mongodb://h:1/db");
        Assert.Equal("mongodb://h:1/db?a=b", fixture.ConnectionStringWith("?a=b"));
        fixture = new TestableFixture("mongodb://h:1/?x=y");
        Assert.Equal("mongodb://h:1/?x=y&a=b", fixture.ConnectionStringWith("a=b"));
        Assert.Equal("mongodb://h:1/?x=y", fixture.ConnectionStringWith(""));
    }

    private sealed class TestableFixture : MongoServerFixture
    {
        public TestableFixture(string connectionString) =>
            typeof(MongoServerFixture).GetProperty(nameof(ConnectionString))!.SetValue(this, connectionString);
    }

    [Fact]
    public void Options_are_validated_with_their_names()
    {
        var ex = Assert.Throws<ArgumentException>(() => InMemoryMongoServer.Start(new InMemoryMongoServerOptions { Port = 70000 }));
        Assert.Contains("Port", ex.Message);
        var options = new InMemoryMongoServerOptions();
        options.Compressors.Add("lz4");
        ex = Assert.Throws<ArgumentException>(() => InMemoryMongoServer.Start(options));
        Assert.Contains("Compressors", ex.Message);
    }

    [Fact]
    public async Task Server_runs_as_a_process_and_prints_its_connection_string()
    {
        using var process = ExternalProcesses.StartTool("--port", "0");
        try
        {
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            string? line = await process.StandardOutput.ReadLineAsync(cts.Token);
            Assert.NotNull(line);
            Assert.StartsWith("mongodb://127.0.0.1:", line);
            using var client = new MongoClient(line);
            var reply = await client.GetDatabase("admin").RunCommandAsync<O.BsonDocument>(new O.BsonDocument("ping", 1));
            Assert.Equal(1.0, reply["ok"].ToDouble());
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }
}
