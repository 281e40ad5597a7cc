using Mongo.Testing;
using Xunit;

namespace Mongo.Driver.Tests.Api;

/// <summary>A shared server per test class (Mongo.InMemory, or MONGODB_URI) and a fresh client of ours per test.</summary>
public abstract class ServerClientTestBase : IClassFixture<MongoServerFixture>, IAsyncLifetime
{
    protected ServerClientTestBase(MongoServerFixture server) => Server = server;

    /// <summary>The server under test.</summary>
    protected MongoServerFixture Server { get; }

    /// <summary>Our client, connected to <see cref="Server"/>.</summary>
    protected MongoClient Client { get; private set; } = null!;

    public Task InitializeAsync()
    {
        Client = new MongoClient(Server.ConnectionString);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await Client.DisposeAsync();
}
