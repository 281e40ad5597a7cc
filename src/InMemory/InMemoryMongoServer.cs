using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Mongo.InMemory.Commands;
using Mongo.InMemory.Server;

namespace Mongo.InMemory;

/// <summary>
/// An in-process server that speaks MongoDB's wire protocol (OP_MSG, OP_COMPRESSED, the legacy OP_QUERY
/// handshake) and keeps its data in memory. Start one per test class or process:
/// <code>
/// await using var server = await InMemoryMongoServer.StartAsync();
/// var client = new MongoClient(server.ConnectionString);
/// </code>
/// </summary>
public sealed class InMemoryMongoServer : IAsyncDisposable, IDisposable
{
    private readonly TcpListener _listener;
    private readonly ServerState _state;
    private readonly CommandDispatcher _dispatcher;
    private readonly CancellationTokenSource _shutdown = new();
    private readonly ConcurrentDictionary<int, (ClientConnection Connection, Task Task)> _connections = new();
    private Task _acceptLoop = Task.CompletedTask;
    private int _disposed;

    private InMemoryMongoServer(InMemoryMongoServerOptions options)
    {
        _state = new ServerState(options) { ShutdownToken = _shutdown.Token };
        _dispatcher = new CommandDispatcher(_state);
        _listener = new TcpListener(options.BindAddress, options.Port);
    }

    /// <summary>The port the server listens on (the ephemeral one chosen, when the options asked for port 0).</summary>
    public int Port => _state.Port;

    /// <summary>
    /// A connection string for this server, e.g. <c>mongodb://127.0.0.1:41234/</c>; in replica-set mode it names
    /// the set (<c>?replicaSet=rs0</c>); in load-balanced mode it says so (<c>?loadBalanced=true</c>).
    /// </summary>
    public string ConnectionString
    {
        get
        {
            string host = _state.Options.BindAddress.Equals(IPAddress.Any) || _state.Options.BindAddress.Equals(IPAddress.Loopback)
                ? "127.0.0.1"
                : _state.Options.BindAddress.AddressFamily == AddressFamily.InterNetworkV6
                    ? "[" + _state.Options.BindAddress + "]"
                    : _state.Options.BindAddress.ToString();
            string url = "mongodb://" + host + ":" + Port.ToString(CultureInfo.InvariantCulture) + "/";
            if (_state.Options.ReplicaSetName is string setName)
            {
                return url + "?replicaSet=" + Uri.EscapeDataString(setName);
            }

            return _state.Options.LoadBalanced ? url + "?loadBalanced=true" : url;
        }
    }

    /// <summary>Traffic counters (messages per opcode, compressed messages per compressor, connections, commands).</summary>
    public InMemoryServerStatistics Statistics => _state.Statistics;

    /// <summary>The options the server runs with (a copy; changing it has no effect).</summary>
    public InMemoryMongoServerOptions Options => _state.Options;

    internal ServerState State => _state;

    /// <summary>Starts a server with default options: standalone, 127.0.0.1, an ephemeral port.</summary>
    public static Task<InMemoryMongoServer> StartAsync(CancellationToken cancellationToken = default) =>
        StartAsync(new InMemoryMongoServerOptions(), cancellationToken);

    /// <summary>Starts a server listening as <paramref name="options"/> say.</summary>
    /// <exception cref="ArgumentException">An option is invalid (the message names it).</exception>
    /// <exception cref="SocketException">The port cannot be bound.</exception>
    public static Task<InMemoryMongoServer> StartAsync(InMemoryMongoServerOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        cancellationToken.ThrowIfCancellationRequested();
        InMemoryMongoServerOptions copy = options.Clone();
        copy.Validate();
        var server = new InMemoryMongoServer(copy);
        server.Start();
        return Task.FromResult(server);
    }

    /// <summary>Starts a server synchronously (for hosts without an async entry point).</summary>
    public static InMemoryMongoServer Start(InMemoryMongoServerOptions? options = null)
    {
        InMemoryMongoServerOptions copy = (options ?? new InMemoryMongoServerOptions()).Clone();
        copy.Validate();
        var server = new InMemoryMongoServer(copy);
        server.Start();
        return server;
    }

    private void Start()
    {
        _listener.Server.NoDelay = true;
        _listener.Start(backlog: 512);
        _state.Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _acceptLoop = Task.Run(AcceptLoopAsync);
    }

    private async Task AcceptLoopAsync()
    {
        CancellationToken token = _shutdown.Token;
        while (!token.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await _listener.AcceptSocketAsync(token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or SocketException or InvalidOperationException)
            {
                if (token.IsCancellationRequested)
                {
                    return;
                }

                continue; // a failed accept (e.g. the client reset first) must not stop the server
            }

            if (_state.Statistics.CurrentConnections >= _state.Options.MaxConnections)
            {
                _state.Statistics.ConnectionRejected();
                socket.Dispose();
                continue;
            }

            socket.NoDelay = true;
            var connection = new ClientConnection(socket, _state, _dispatcher);
            _state.Statistics.ConnectionOpened();
            var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            Task task = Task.Run(async () =>
            {
                await started.Task.ConfigureAwait(false);
                try
                {
                    await connection.RunAsync(token).ConfigureAwait(false);
                }
                finally
                {
                    _state.Statistics.ConnectionClosed();
                    _connections.TryRemove(connection.Id, out _);
                }
            }, CancellationToken.None);
            _connections[connection.Id] = (connection, task);
            started.SetResult();
        }
    }

    /// <summary>Stops listening, closes every connection and waits for them to finish.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _shutdown.CancelAsync().ConfigureAwait(false);
        _listener.Stop();
        foreach (var pair in _connections)
        {
            pair.Value.Connection.Abort();
        }

        try
        {
            await _acceptLoop.ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or SocketException)
        {
            // Stopping.
        }

        Task[] tasks = _connections.Values.Select(static c => c.Task).ToArray();
        try
        {
            await Task.WhenAll(tasks).WaitAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is TimeoutException or OperationCanceledException or IOException or SocketException)
        {
            // Connections that do not finish in time are abandoned; their sockets are already closed.
        }

        _state.Dispose();
        _shutdown.Dispose();
    }

    /// <summary>Stops the server synchronously.</summary>
    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();
}
