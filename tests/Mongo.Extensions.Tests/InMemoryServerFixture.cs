using Mongo.InMemory;

namespace Mongo.Extensions.Tests;

/// <summary>One in-process server for the whole class: the tests register clients against it, not servers.</summary>
public sealed class InMemoryServerFixture : IAsyncLifetime
{
    private InMemoryMongoServer? _server;

    public string ConnectionString => (_server ?? throw new InvalidOperationException("not started")).ConnectionString;

    public async Task InitializeAsync() => _server = await InMemoryMongoServer.StartAsync();

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}
