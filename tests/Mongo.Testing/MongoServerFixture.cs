using System.Net.Sockets;
using Mongo.InMemory;
using Testcontainers.MongoDb;
using Xunit;

namespace Mongo.Testing;

/// <summary>Which kind of server a <see cref="MongoServerFixture"/> is using.</summary>
public enum MongoBackendKind
{
    /// <summary>A real deployment named by the <c>MONGODB_URI</c> environment variable.</summary>
    External,

    /// <summary>A <c>mongo:8.0</c> container started with Testcontainers (<c>MONGO_TEST_DOCKER=1</c> and Docker reachable).</summary>
    Docker,

    /// <summary>An in-process <see cref="InMemoryMongoServer"/> (the default).</summary>
    InMemory,
}

/// <summary>
/// The one place tests get a server from: <c>MONGODB_URI</c> if set; otherwise a Testcontainers MongoDB when
/// <c>MONGO_TEST_DOCKER=1</c> and Docker is reachable; otherwise an in-process <see cref="InMemoryMongoServer"/>.
/// It says which it picked (and why) on the console. Use it as an xunit class or collection fixture.
/// </summary>
public class MongoServerFixture : IAsyncLifetime
{
    private MongoDbContainer? _container;

    /// <summary>The connection string of the chosen server.</summary>
    public string ConnectionString { get; private set; } = string.Empty;

    /// <summary>Which backend is in use.</summary>
    public MongoBackendKind Kind { get; private set; }

    /// <summary>A human-readable description of the backend and why it was chosen.</summary>
    public string Description { get; private set; } = string.Empty;

    /// <summary>The in-memory server, when <see cref="Kind"/> is <see cref="MongoBackendKind.InMemory"/> (for its statistics).</summary>
    public InMemoryMongoServer? InMemoryServer { get; private set; }

    /// <summary>
    /// The connection string with extra URI options appended (e.g. <c>"compressors=zstd&amp;appName=x"</c>),
    /// using '?' or '&amp;' as the existing string requires.
    /// </summary>
    public string ConnectionStringWith(string options)
    {
        if (string.IsNullOrEmpty(options))
        {
            return ConnectionString;
        }

        string trimmed = options.TrimStart('?', '&');
        int query = ConnectionString.IndexOf('?', StringComparison.Ordinal);
        if (query < 0)
        {
            // Options follow the path: "mongodb://host/?a=b" (add the '/' when the string has no path yet).
            int hostsStart = ConnectionString.IndexOf("://", StringComparison.Ordinal) + 3;
            string separator = ConnectionString.IndexOf('/', hostsStart) < 0 ? "/?" : "?";
            return ConnectionString + separator + trimmed;
        }

        return ConnectionString.EndsWith('?') || ConnectionString.EndsWith('&') ? ConnectionString + trimmed : ConnectionString + "&" + trimmed;
    }

    /// <summary>Options for the in-memory server; override to ask for replica-set mode and the like.</summary>
    protected virtual InMemoryMongoServerOptions CreateInMemoryOptions() => new();

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        string? uri = Environment.GetEnvironmentVariable("MONGODB_URI");
        if (!string.IsNullOrWhiteSpace(uri))
        {
            ConnectionString = uri;
            Kind = MongoBackendKind.External;
            Description = "external server from MONGODB_URI";
            Report();
            return;
        }

        string? fallbackReason = null;
        if (Environment.GetEnvironmentVariable("MONGO_TEST_DOCKER") == "1")
        {
            if (!DockerLooksReachable(out string why))
            {
                fallbackReason = "MONGO_TEST_DOCKER=1 but " + why;
            }
            else
            {
                try
                {
                    _container = new MongoDbBuilder("mongo:8.0").Build();
                    await _container.StartAsync().ConfigureAwait(false);
                    ConnectionString = _container.GetConnectionString();
                    Kind = MongoBackendKind.Docker;
                    Description = "Testcontainers mongo:8.0";
                    Report();
                    return;
                }
                catch (Exception ex)
                {
                    fallbackReason = $"MONGO_TEST_DOCKER=1 but the container did not start ({ex.GetType().Name}: {ex.Message})";
                    if (_container is not null)
                    {
                        await _container.DisposeAsync().ConfigureAwait(false);
                        _container = null;
                    }
                }
            }
        }

        InMemoryServer = await InMemoryMongoServer.StartAsync(CreateInMemoryOptions()).ConfigureAwait(false);
        ConnectionString = InMemoryServer.ConnectionString;
        Kind = MongoBackendKind.InMemory;
        Description = "Mongo.InMemory at " + ConnectionString + (fallbackReason is null ? string.Empty : " (fallback: " + fallbackReason + ")");
        Report();
    }

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        if (InMemoryServer is not null)
        {
            await InMemoryServer.DisposeAsync().ConfigureAwait(false);
            InMemoryServer = null;
        }

        if (_container is not null)
        {
            await _container.DisposeAsync().ConfigureAwait(false);
            _container = null;
        }

        GC.SuppressFinalize(this);
    }

    private void Report() => Console.WriteLine("[Mongo.Testing] server backend: " + Description);

    private static bool DockerLooksReachable(out string why)
    {
        string? host = Environment.GetEnvironmentVariable("DOCKER_HOST");
        if (!string.IsNullOrEmpty(host))
        {
            why = string.Empty;
            return true;
        }

        const string socketPath = "/var/run/docker.sock";
        if (OperatingSystem.IsWindows())
        {
            why = string.Empty;
            return true; // named pipe: let Testcontainers try
        }

        if (!File.Exists(socketPath))
        {
            why = "no Docker socket at " + socketPath + " and DOCKER_HOST is not set";
            return false;
        }

        try
        {
            using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            socket.Connect(new UnixDomainSocketEndPoint(socketPath));
            why = string.Empty;
            return true;
        }
        catch (SocketException ex)
        {
            why = "the Docker socket does not answer (" + ex.Message + ")";
            return false;
        }
    }
}

/// <summary>
/// Like <see cref="MongoServerFixture"/>, but the in-memory fallback is a one-member replica set named "rs0", which
/// retryable writes, sessions with cluster time, and replica-set-only spec tests need.
/// </summary>
public class MongoReplicaSetFixture : MongoServerFixture
{
    /// <inheritdoc />
    protected override InMemoryMongoServerOptions CreateInMemoryOptions() => new() { ReplicaSetName = "rs0" };
}
