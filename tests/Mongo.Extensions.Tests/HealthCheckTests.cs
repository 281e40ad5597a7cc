using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Mongo.Bson;
using Mongo.Driver;
using Mongo.Extensions.Diagnostics.HealthChecks;

namespace Mongo.Extensions.Tests;

public sealed class HealthCheckTests(InMemoryServerFixture server) : IClassFixture<InMemoryServerFixture>
{
    [Fact]
    public async Task AddMongo_ReachableServer_IsHealthy()
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddMongoClient(server.ConnectionString);
        services.AddHealthChecks().AddMongo();
        await using var provider = services.BuildServiceProvider();

        var report = await provider.GetRequiredService<HealthCheckService>().CheckHealthAsync();
        Assert.Equal(HealthStatus.Healthy, report.Status);
        Assert.Equal(HealthStatus.Healthy, report.Entries["mongo"].Status);
    }

    [Fact]
    public async Task AddMongo_NothingListening_ReportsTheFailureStatusWithTheTopology()
    {
        int port = ClosedPort();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddKeyedMongoClient("down", "mongodb://127.0.0.1:" + port + "/?serverSelectionTimeoutMS=60000");
        services.AddHealthChecks().AddMongo("down-db", serviceKey: "down", timeout: TimeSpan.FromSeconds(1), failureStatus: HealthStatus.Degraded, tags: ["ready"]);
        await using var provider = services.BuildServiceProvider();

        var report = await provider.GetRequiredService<HealthCheckService>().CheckHealthAsync();
        var entry = report.Entries["down-db"];
        Assert.Equal(HealthStatus.Degraded, entry.Status);
        Assert.Contains("ready", entry.Tags);
        Assert.StartsWith("MongoDB did not answer ping within 1 s; topology: { type: ", entry.Description, StringComparison.Ordinal);
        Assert.Contains("127.0.0.1:" + port, entry.Description, StringComparison.Ordinal);
        Assert.Equal("Unknown", entry.Data["topologyType"]);
        Assert.Contains("127.0.0.1:" + port, (string)entry.Data["topology"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task AFailedPing_IsReportedWithTheServersMessage()
    {
        await using var client = new MongoClient(server.ConnectionString);
        var admin = client.GetDatabase("admin");
        await admin.RunCommandAsync(new BsonDocument
        {
            ["configureFailPoint"] = "failCommand",
            ["mode"] = new BsonDocument("times", 1),
            ["data"] = new BsonDocument { ["failCommands"] = new BsonArray { "ping" }, ["errorCode"] = 2, ["errmsg"] = "ping refused by the test" },
        });
        var check = new MongoHealthCheck(client);
        var registration = new HealthCheckRegistration("mongo", check, HealthStatus.Unhealthy, null);
        var result = await check.CheckHealthAsync(new HealthCheckContext { Registration = registration });
        Assert.Equal(HealthStatus.Unhealthy, result.Status);
        Assert.StartsWith("MongoDB ping failed: ", result.Description, StringComparison.Ordinal);
        Assert.Contains("ping refused by the test", result.Description, StringComparison.Ordinal);
        Assert.IsAssignableFrom<MongoCommandException>(result.Exception);
        Assert.Equal(HealthStatus.Healthy, (await check.CheckHealthAsync(new HealthCheckContext { Registration = registration })).Status);
    }

    [Fact]
    public void AMalformedDatabaseName_IsRefusedWhenTheCheckIsCreated()
    {
        using var client = new MongoClient("mongodb://127.0.0.1:1/");
        Assert.Throws<ArgumentException>(() => new MongoHealthCheck(client, databaseName: "bad.name"));
    }

    [Fact]
    public async Task TheCallersCancellation_IsNotReportedAsUnhealthy()
    {
        int port = ClosedPort();
        await using var client = new MongoClient("mongodb://127.0.0.1:" + port + "/?serverSelectionTimeoutMS=60000");
        var check = new MongoHealthCheck(client, timeout: TimeSpan.FromMinutes(5));
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
        var context = new HealthCheckContext { Registration = new HealthCheckRegistration("mongo", check, null, null) };
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => check.CheckHealthAsync(context, cts.Token));
    }

    [Fact]
    public void ANonPositiveTimeout_IsRefused()
    {
        using var client = new MongoClient("mongodb://127.0.0.1:1/");
        Assert.Throws<ArgumentOutOfRangeException>(() => new MongoHealthCheck(client, timeout: TimeSpan.Zero));
    }

    [Fact]
    public void TopologyDescription_NamesTheSeeds()
    {
        using var client = new MongoClient("mongodb://127.0.0.1:1,127.0.0.1:2/?replicaSet=rs9");
        var description = client.TopologyDescription;
        Assert.Equal(2, description.Servers.Count);
        Assert.Equal("rs9", description.SetName);
    }

    /// <summary>A loopback port nothing listens on: bound by the OS, then released.</summary>
    private static int ClosedPort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
