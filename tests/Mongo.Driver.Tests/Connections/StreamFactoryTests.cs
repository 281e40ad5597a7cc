using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using Mongo.Driver.Connections;
using Mongo.InMemory;
using Mongo.Testing;
using Xunit;

namespace Mongo.Driver.Tests.Connections;

/// <summary>The socket and TLS stream a connection opens: TCP options, SNI, client certificates.</summary>
public sealed class StreamFactoryTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task TcpSocketsHaveNoDelayAndKeepAlive(bool async)
    {
        await using InMemoryMongoServer server = await InMemoryMongoServer.StartAsync();
        (Stream stream, Socket? socket) = await StreamFactory.OpenAsync(async, CoreTestHelpers.Address(server), new ConnectionSettings(), CancellationToken.None);
        await using (stream)
        {
            Assert.NotNull(socket);
            Assert.True(socket!.NoDelay);
            Assert.Equal(1, (int)socket.GetSocketOption(SocketOptionLevel.Socket, SocketOptionName.KeepAlive)!);
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task TlsSendsTheHostNameAsSniAndTheClientCertificate(bool async)
    {
        using X509Certificate2 authority = TestCertificates.CreateAuthority();
        using X509Certificate2 serverCertificate = TestCertificates.IssueServer(authority);
        using X509Certificate2 clientCertificate = TestCertificates.IssueClient(authority, new X500DistinguishedName("CN=app,O=Mongo Tests"));
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        string? sni = null;
        X509Certificate? presented = null;
        Task serverSide = Task.Run(async () =>
        {
            using TcpClient accepted = await listener.AcceptTcpClientAsync();
            await using var ssl = new SslStream(accepted.GetStream(), false, (_, certificate, _, _) =>
            {
                presented = certificate is null ? null : new X509Certificate2(certificate);
                return true;
            });
            await ssl.AuthenticateAsServerAsync(new SslServerAuthenticationOptions
            {
                ServerCertificateSelectionCallback = (_, hostName) =>
                {
                    sni = hostName;
                    return serverCertificate;
                },
                ClientCertificateRequired = true,
            });
        });

        var settings = new ConnectionSettings
        {
            ConnectTimeout = TimeSpan.FromSeconds(10),
            Tls = new TlsSettings { CACertificates = [authority], ClientCertificate = clientCertificate },
        };
        (Stream stream, _) = await StreamFactory.OpenAsync(async, new MongoServerAddress("localhost", port), settings, CancellationToken.None);
        await using (stream)
        {
            await serverSide.WaitAsync(TimeSpan.FromSeconds(10));
        }

        Assert.Equal("localhost", sni);
        Assert.NotNull(presented);
        Assert.Equal(clientCertificate.Thumbprint, ((X509Certificate2)presented!).Thumbprint);
    }
}
