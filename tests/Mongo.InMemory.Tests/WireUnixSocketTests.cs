using System.Net.Sockets;
using MongoDB.Driver;
using Xunit;
using O = MongoDB.Bson;

namespace Mongo.InMemory.Tests;

/// <summary>The server's unix domain socket listener: options, the socket file's life, and the official driver over it.</summary>
public sealed class WireUnixSocketTests : IDisposable
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), "mongo-inmem-" + Guid.NewGuid().ToString("N")[..12] + ".sock");

    public void Dispose() => File.Delete(_path);

    [SkippableFact]
    public async Task Listens_on_tcp_and_the_socket_and_removes_the_file_when_stopped()
    {
        Skip.IfNot(Socket.OSSupportsUnixDomainSockets, "This OS has no unix domain sockets.");
        await using (InMemoryMongoServer server = await InMemoryMongoServer.StartAsync(new InMemoryMongoServerOptions { UnixSocketPath = _path }))
        {
            Assert.True(File.Exists(_path));
            Assert.StartsWith("mongodb://127.0.0.1:", server.ConnectionString, StringComparison.Ordinal);
            Assert.Equal("mongodb://" + Uri.EscapeDataString(_path) + "/", server.UnixSocketConnectionString);

            // A raw hello over the socket gets a reply (the server speaks the same protocol on both listeners).
            using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            await socket.ConnectAsync(new UnixDomainSocketEndPoint(_path));
            using var stream = new NetworkStream(socket);
            await stream.WriteAsync(HelloMessage());
            var header = new byte[16];
            await stream.ReadExactlyAsync(header);
            Assert.Equal(2013, BitConverter.ToInt32(header, 12)); // OP_MSG
            Assert.True(server.Statistics.ConnectionsAccepted >= 1);
        }

        Assert.False(File.Exists(_path));
    }

    [SkippableFact]
    public async Task A_stale_socket_file_is_replaced()
    {
        Skip.IfNot(Socket.OSSupportsUnixDomainSockets, "This OS has no unix domain sockets.");
        await File.WriteAllTextAsync(_path, "left over by a server that crashed");
        await using InMemoryMongoServer server = await InMemoryMongoServer.StartAsync(new InMemoryMongoServerOptions { UnixSocketPath = _path, ListenOnTcp = false });
        Assert.Equal(0, server.Port);
        Assert.Equal(server.UnixSocketConnectionString, server.ConnectionString);
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        await socket.ConnectAsync(new UnixDomainSocketEndPoint(_path));
    }

    [Theory]
    [InlineData("relative/mongo.sock", "UnixSocketPath")]
    [InlineData("/tmp/mongo.socket", "UnixSocketPath")]
    [InlineData(null, "ListenOnTcp")]
    public void Invalid_socket_options_name_the_option(string? path, string option)
    {
        var options = new InMemoryMongoServerOptions { UnixSocketPath = path, ListenOnTcp = false };
        var ex = Assert.Throws<ArgumentException>(options.Validate);
        Assert.Contains(option, ex.Message, StringComparison.Ordinal);
    }

    /// <summary>
    /// The official driver 3.14 has no unix domain socket support (it resolves the escaped path as a DNS name), so its
    /// traffic reaches the socket through a TCP-to-socket relay: the server must serve a full official session there.
    /// </summary>
    [SkippableFact]
    public async Task Official_driver_traffic_is_served_over_the_socket()
    {
        Skip.IfNot(Socket.OSSupportsUnixDomainSockets, "This OS has no unix domain sockets.");
        await using InMemoryMongoServer server = await InMemoryMongoServer.StartAsync(new InMemoryMongoServerOptions { UnixSocketPath = _path, ListenOnTcp = false });
        using var relay = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        relay.Bind(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 0));
        relay.Listen();
        using var stop = new CancellationTokenSource();
        Task relaying = RelayAsync(relay, _path, stop.Token);

        int port = ((System.Net.IPEndPoint)relay.LocalEndPoint!).Port;
        var settings = MongoClientSettings.FromConnectionString("mongodb://127.0.0.1:" + port + "/?directConnection=true");
        settings.ServerSelectionTimeout = TimeSpan.FromSeconds(5);
        using (var client = new MongoClient(settings))
        {
            IMongoCollection<O.BsonDocument> collection = client.GetDatabase("app").GetCollection<O.BsonDocument>("c");
            await collection.InsertManyAsync([new O.BsonDocument("x", 1), new O.BsonDocument("x", 2)]);
            Assert.Equal(2, await collection.CountDocumentsAsync(FilterDefinition<O.BsonDocument>.Empty));
        }

        Assert.True(server.Statistics.ConnectionsAccepted >= 1);
        await stop.CancelAsync();
        relay.Close();
        await relaying.WaitAsync(TimeSpan.FromSeconds(10));
    }

    private static async Task RelayAsync(Socket listener, string path, CancellationToken cancellationToken)
    {
        var pumps = new List<Task>();
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                Socket tcp = await listener.AcceptAsync(cancellationToken);
                var unix = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                await unix.ConnectAsync(new UnixDomainSocketEndPoint(path), cancellationToken);
                var a = new NetworkStream(tcp, ownsSocket: true);
                var b = new NetworkStream(unix, ownsSocket: true);
                pumps.Add(PumpAsync(a, b));
                pumps.Add(PumpAsync(b, a));
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // The test is over.
        }
    }

    private static async Task PumpAsync(Stream from, Stream to)
    {
        try
        {
            await from.CopyToAsync(to);
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or SocketException)
        {
            // One side closed.
        }
        finally
        {
            to.Dispose();
            from.Dispose();
        }
    }

    private static byte[] HelloMessage()
    {
        byte[] body = new Mongo.Bson.BsonDocument { { "hello", 1 }, { "$db", "admin" } }.ToBytes();
        var message = new byte[16 + 4 + 1 + body.Length];
        BitConverter.TryWriteBytes(message.AsSpan(0), message.Length);
        BitConverter.TryWriteBytes(message.AsSpan(4), 1);
        BitConverter.TryWriteBytes(message.AsSpan(12), 2013);
        body.CopyTo(message, 21);
        return message;
    }
}
