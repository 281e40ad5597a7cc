using System.Net;
using System.Net.Sockets;
using System.Security.Authentication;
using Mongo.Driver.Connections;
using Xunit;

namespace Mongo.Driver.Tests.Connections;

/// <summary>
/// The CMAP backpressure labels (network errors and timeouts before the hello reply are SystemOverloadedError and
/// RetryableError, DNS/TLS/auth failures are not) and the network-timeout classification SDAM relies on.
/// </summary>
public sealed class ConnectionErrorsTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task RefusedConnectionIsLabelledAsPossibleOverload(bool async)
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop(); // nothing listens there now: connect is refused
        var connection = new Connection(1, new MongoServerAddress("127.0.0.1", port), 0, new ConnectionSettings { ConnectTimeout = TimeSpan.FromSeconds(5) });
        MongoException error = await Assert.ThrowsAnyAsync<MongoException>(async () =>
        {
            if (async)
            {
                await connection.OpenAsync(true, CancellationToken.None);
            }
            else
            {
                connection.OpenAsync(false, CancellationToken.None).GetAwaiter().GetResult();
            }
        });
        Assert.True(error.HasErrorLabel(ConnectionErrors.SystemOverloadedError), error.ToString());
        Assert.True(error.HasErrorLabel(ConnectionErrors.RetryableError));
    }

    [Fact]
    public void DnsTlsAndAuthFailuresAreNotLabelled()
    {
        var dns = new MongoConnectionException("Could not resolve host 'x'", new SocketException((int)SocketError.HostNotFound));
        var tls = new MongoConnectionException("The TLS handshake failed", new AuthenticationException("bad certificate"));
        var auth = new MongoAuthenticationException("Authentication failed.", null);
        foreach (MongoException error in new MongoException[] { dns, tls, auth })
        {
            ConnectionErrors.AddBackpressureLabels(error);
            Assert.False(error.HasErrorLabel(ConnectionErrors.SystemOverloadedError), error.Message);
        }

        var timeout = new MongoTimeoutException("Timed out connecting.");
        ConnectionErrors.AddBackpressureLabels(timeout);
        Assert.True(timeout.HasErrorLabel(ConnectionErrors.SystemOverloadedError));
    }

    [Fact]
    public void SocketTimeoutsAreNetworkTimeoutsAndResetsAreNot()
    {
        Assert.True(ConnectionErrors.IsNetworkTimeout(new MongoConnectionException("socketTimeoutMS", new IOException("x", new SocketException((int)SocketError.TimedOut)))));
        Assert.True(ConnectionErrors.IsNetworkTimeout(new MongoConnectionException("socketTimeoutMS", new OperationCanceledException())));
        Assert.True(ConnectionErrors.IsNetworkTimeout(new MongoTimeoutException("operation deadline")));
        Assert.False(ConnectionErrors.IsNetworkTimeout(new MongoConnectionException("reset", new IOException("connection reset"))));
        Assert.False(ConnectionErrors.IsNetworkTimeout(new MongoConnectionException("closed")));
    }
}
