using Mongo.InMemory;
using MongoDB.Driver;
using Xunit;

namespace Mongo.InMemory.Tests.Engine;

/// <summary>A fresh in-memory server per test and an official-driver client connected to it.</summary>
public abstract class OfficialDriverTestBase : IAsyncLifetime
{
    /// <summary>The server under test.</summary>
    protected InMemoryMongoServer Server { get; private set; } = null!;

    /// <summary>The official driver's client, failing fast when the server does not answer.</summary>
    protected MongoClient Client { get; private set; } = null!;

    public virtual async Task InitializeAsync()
    {
        Server = await InMemoryMongoServer.StartAsync();
        var settings = MongoClientSettings.FromConnectionString(Server.ConnectionString);
        settings.ServerSelectionTimeout = TimeSpan.FromSeconds(5);
        Client = new MongoClient(settings);
    }

    public async Task DisposeAsync()
    {
        Client.Dispose();
        await Server.DisposeAsync();
    }
}
