using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Mongo.Bson;
using Mongo.Driver.Connections;
using Mongo.Driver.Operations;
using Mongo.InMemory;
using Mongo.Testing;
using Xunit;

namespace Mongo.Driver.Tests.Connections;

public sealed class TlsTests : IDisposable
{
    private readonly X509Certificate2 _serverCertificate = CreateCertificate("CN=localhost", "localhost", IPAddress.Loopback);
    private readonly string _tempDirectory = Directory.CreateTempSubdirectory("mongo-tls-").FullName;

    public void Dispose()
    {
        _serverCertificate.Dispose();
        Directory.Delete(_tempDirectory, recursive: true);
    }

    private static X509Certificate2 CreateCertificate(string subject, string dnsName, IPAddress? ip = null) =>
        TestCertificates.CreateSelfSigned(subject, dnsName, ip);

    private async Task<InMemoryMongoServer> StartAsync(bool requireClientCertificate = false) =>
        await InMemoryMongoServer.StartAsync(new InMemoryMongoServerOptions { TlsCertificate = _serverCertificate, TlsRequireClientCertificate = requireClientCertificate });

    private static async Task PingAsync(InMemoryMongoServer server, string host, TlsSettings tls, bool async)
    {
        var settings = new ConnectionSettings { Tls = tls, ConnectTimeout = TimeSpan.FromSeconds(10) };
        using var connection = new Connection(1, new MongoServerAddress(host, server.Port), 0, settings);
        ValueTask open = connection.OpenAsync(async, CancellationToken.None);
        if (async)
        {
            await open;
        }
        else
        {
            open.GetAwaiter().GetResult();
        }

        var response = await CoreTestHelpers.RunAsync(connection, async, "admin", new BsonDocument("ping", 1));
        Assert.True(ExceptionFactory.IsOk(response.Bytes.Span));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Connects_with_a_custom_CA(bool async)
    {
        await using InMemoryMongoServer server = await StartAsync();
        await PingAsync(server, "localhost", new TlsSettings { CACertificates = [_serverCertificate] }, async);
    }

    [Fact]
    public async Task Connects_with_a_CA_file()
    {
        await using InMemoryMongoServer server = await StartAsync();
        string caFile = Path.Combine(_tempDirectory, "ca.pem");
        await File.WriteAllTextAsync(caFile, _serverCertificate.ExportCertificatePem());
        await PingAsync(server, "localhost", new TlsSettings { CAFile = caFile }, async: true);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Untrusted_certificate_is_rejected(bool async)
    {
        await using InMemoryMongoServer server = await StartAsync();
        var ex = await Assert.ThrowsAsync<MongoConnectionException>(() => PingAsync(server, "localhost", new TlsSettings(), async));
        Assert.Contains("TLS", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_different_CA_is_rejected()
    {
        await using InMemoryMongoServer server = await StartAsync();
        using X509Certificate2 otherCa = CreateCertificate("CN=other", "other.example");
        await Assert.ThrowsAsync<MongoConnectionException>(() => PingAsync(server, "localhost", new TlsSettings { CACertificates = [otherCa] }, async: true));
    }

    [Fact]
    public async Task AllowInvalidCertificates_accepts_an_untrusted_certificate()
    {
        await using InMemoryMongoServer server = await StartAsync();
        await PingAsync(server, "localhost", new TlsSettings { AllowInvalidCertificates = true }, async: true);
    }

    [Fact]
    public async Task Host_name_mismatch_is_rejected_unless_allowed()
    {
        using X509Certificate2 wrongName = CreateCertificate("CN=db.example", "db.example");
        await using InMemoryMongoServer server = await InMemoryMongoServer.StartAsync(new InMemoryMongoServerOptions { TlsCertificate = wrongName });
        await Assert.ThrowsAsync<MongoConnectionException>(() => PingAsync(server, "localhost", new TlsSettings { CACertificates = [wrongName] }, async: true));
        await PingAsync(server, "localhost", new TlsSettings { CACertificates = [wrongName], AllowInvalidHostnames = true }, async: true);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("p4ss")]
    public async Task Client_certificate_from_a_PEM_file(string? password)
    {
        await using InMemoryMongoServer server = await StartAsync(requireClientCertificate: true);
        using X509Certificate2 client = CreateCertificate("CN=client", "client.example");
        using ECDsa key = client.GetECDsaPrivateKey()!;
        string keyPem = password is null
            ? key.ExportPkcs8PrivateKeyPem()
            : key.ExportEncryptedPkcs8PrivateKeyPem(password, new PbeParameters(PbeEncryptionAlgorithm.Aes256Cbc, HashAlgorithmName.SHA256, 100_000));
        string file = Path.Combine(_tempDirectory, "client.pem");
        await File.WriteAllTextAsync(file, client.ExportCertificatePem() + "\n" + keyPem);

        await Assert.ThrowsAsync<MongoConnectionException>(() => PingAsync(server, "localhost", new TlsSettings { CACertificates = [_serverCertificate] }, async: true));
        await PingAsync(server, "localhost", new TlsSettings { CACertificates = [_serverCertificate], CertificateKeyFile = file, CertificateKeyFilePassword = password }, async: true);
    }

    [Fact]
    public void Wrong_key_file_password_is_a_configuration_error_without_the_password()
    {
        using X509Certificate2 client = CreateCertificate("CN=client", "client.example");
        using ECDsa key = client.GetECDsaPrivateKey()!;
        string file = Path.Combine(_tempDirectory, "enc.pem");
        File.WriteAllText(file, client.ExportCertificatePem() + "\n" + key.ExportEncryptedPkcs8PrivateKeyPem("right", new PbeParameters(PbeEncryptionAlgorithm.Aes256Cbc, HashAlgorithmName.SHA256, 1000)));
        var ex = Assert.Throws<MongoConfigurationException>(() => TlsCertificates.LoadClientCertificate(file, "wrong-secret"));
        Assert.DoesNotContain("wrong-secret", ex.ToString(), StringComparison.Ordinal);
    }
}
