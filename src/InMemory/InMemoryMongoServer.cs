using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Mongo.InMemory.Commands;
using Mongo.InMemory.Server;
using Mongo.InMemory.Server.Replication;

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
    private readonly List<Socket> _listeners = [];
    private readonly ServerState _state;
    private readonly CommandDispatcher _dispatcher;
    private readonly CancellationTokenSource _shutdown = new();
    private readonly ConcurrentDictionary<int, (ClientConnection Connection, Task Task)> _connections = new();
    private Task[] _acceptLoops = [];
    private int _disposed;

    private InMemoryMongoServer(InMemoryMongoServerOptions options, ReplicaMember? member = null)
    {
        _state = new ServerState(options, member) { ShutdownToken = _shutdown.Token };
        _dispatcher = new CommandDispatcher(_state);
    }

    private InMemoryMongoServer(InMemoryMongoServerOptions options, ShardedClusterState cluster)
    {
        _state = new ServerState(options, cluster) { ShutdownToken = _shutdown.Token };
        _dispatcher = new CommandDispatcher(_state);
    }

    /// <summary>Starts one router of an <see cref="InMemoryShardedCluster"/> (<paramref name="options"/> validated, a copy).</summary>
    internal static InMemoryMongoServer StartRouter(InMemoryMongoServerOptions options, ShardedClusterState cluster)
    {
        var server = new InMemoryMongoServer(options, cluster);
        try
        {
            server.Start();
        }
        catch
        {
            server._state.Dispose();
            server._shutdown.Dispose();
            throw;
        }

        return server;
    }

    /// <summary>
    /// Starts the server of one member of an <see cref="InMemoryReplicaSet"/> (<paramref name="options"/> validated, a copy
    /// the server may keep). The caller tells the set when it is up.
    /// </summary>
    /// <param name="options">The member's server options.</param>
    /// <param name="member">The member it answers for.</param>
    /// <param name="beforeListening">Runs once the server exists, before it accepts connections (the set marks the member up).</param>
    internal static InMemoryMongoServer StartMember(InMemoryMongoServerOptions options, ReplicaMember member, Action? beforeListening = null)
    {
        var server = new InMemoryMongoServer(options, member);
        try
        {
            server.Start(beforeListening);
        }
        catch
        {
            server._state.Dispose();
            server._shutdown.Dispose();
            throw;
        }

        return server;
    }

    /// <summary>The TCP port the server listens on (the ephemeral one chosen, when the options asked for port 0); 0 without TCP.</summary>
    public int Port => _state.Port;

    /// <summary>
    /// A connection string for this server, e.g. <c>mongodb://127.0.0.1:41234/</c> (or, without TCP, the unix domain
    /// socket as in <see cref="UnixSocketConnectionString"/>); in replica-set mode it names the set
    /// (<c>?replicaSet=rs0</c>); in load-balanced mode it says so (<c>?loadBalanced=true</c>).
    /// </summary>
    public string ConnectionString => WithOptions(_state.Options.ListenOnTcp ? TcpUrl() : UnixUrl()!);

    /// <summary>
    /// With <see cref="InMemoryMongoServerOptions.UnixSocketPath"/>: a connection string that reaches the server through
    /// its unix domain socket, the path percent-encoded (e.g. <c>mongodb://%2Ftmp%2Fmongo.sock/</c>); otherwise null.
    /// </summary>
    public string? UnixSocketConnectionString => UnixUrl() is string url ? WithOptions(url) : null;

    private string TcpUrl() => "mongodb://" + HostAndPort(_state.Options.BindAddress, Port) + "/";

    /// <summary>"host:port" for a server bound to <paramref name="bind"/>: the loopback address for a wildcard or loopback bind.</summary>
    internal static string HostAndPort(IPAddress bind, int port)
    {
        string host = bind.Equals(IPAddress.Any) || bind.Equals(IPAddress.Loopback)
            ? "127.0.0.1"
            : bind.AddressFamily == AddressFamily.InterNetworkV6 ? "[" + bind + "]" : bind.ToString();
        return host + ":" + port.ToString(CultureInfo.InvariantCulture);
    }

    private string? UnixUrl() =>
        _state.Options.UnixSocketPath is string path ? "mongodb://" + Uri.EscapeDataString(path) + "/" : null;

    private string WithOptions(string url)
    {
        if (_state.Options.ReplicaSetName is string setName)
        {
            return url + "?replicaSet=" + Uri.EscapeDataString(setName);
        }

        return _state.Options.LoadBalanced ? url + "?loadBalanced=true" : url;
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

    private void Start(Action? beforeListening = null)
    {
        try
        {
            if (_state.Options.ListenOnTcp)
            {
                IPAddress bind = _state.Options.BindAddress;
                var tcp = new Socket(bind.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
                _listeners.Add(tcp);
                tcp.NoDelay = true;
                tcp.Bind(new IPEndPoint(bind, _state.Options.Port));
                tcp.Listen(backlog: 512);
                _state.Port = ((IPEndPoint)tcp.LocalEndPoint!).Port;
            }

            if (_state.Options.UnixSocketPath is string path)
            {
                // A socket file left by a server that did not stop cleanly would make bind fail, as mongod removes it too.
                DeleteSocketFile(path);
                var unix = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                _listeners.Add(unix);
                unix.Bind(new UnixDomainSocketEndPoint(path));
                unix.Listen(backlog: 512);
            }
        }
        catch
        {
            CloseListeners();
            throw;
        }

        beforeListening?.Invoke();
        _acceptLoops = _listeners.Select(listener => Task.Run(() => AcceptLoopAsync(listener))).ToArray();
    }

    private async Task AcceptLoopAsync(Socket listener)
    {
        CancellationToken token = _shutdown.Token;
        bool tcp = listener.AddressFamily != AddressFamily.Unix;
        while (!token.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await listener.AcceptAsync(token).ConfigureAwait(false);
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

            if (tcp)
            {
                socket.NoDelay = true;
            }

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
        CloseListeners();
        foreach (var pair in _connections)
        {
            pair.Value.Connection.Abort();
        }

        try
        {
            await Task.WhenAll(_acceptLoops).ConfigureAwait(false);
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

    private void CloseListeners()
    {
        foreach (Socket listener in _listeners)
        {
            listener.Dispose();
        }

        if (_state.Options.UnixSocketPath is string path)
        {
            DeleteSocketFile(path);
        }
    }

    private static void DeleteSocketFile(string path)
    {
        try
        {
            if (File.Exists(path))
            {
                File.Delete(path);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Bind reports the problem, with the path, if the file is still in the way.
        }
    }

    /// <summary>Stops the server synchronously.</summary>
    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();
}
