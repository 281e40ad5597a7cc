using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Mongo.Bson;

namespace Mongo.Driver.Connections;

/// <summary>
/// Everything a connection needs to open, handshake and authenticate, resolved once from
/// <see cref="MongoClientSettings"/> so connections do not re-read (mutable) client settings.
/// </summary>
internal sealed class ConnectionSettings
{
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Per socket read/write; <see cref="Timeout.InfiniteTimeSpan"/> = none (the default, as in the spec).</summary>
    public TimeSpan SocketTimeout { get; init; } = Timeout.InfiniteTimeSpan;

    public string? ApplicationName { get; init; }

    /// <summary>Compressor names in the client's order of preference.</summary>
    public IReadOnlyList<string> Compressors { get; init; } = [];

    public int ZlibCompressionLevel { get; init; } = -1;

    public MongoCredential? Credential { get; init; }

    /// <summary>The most SCRAM iterations a server may ask for (<see cref="MongoClientSettings.MaxScramIterationCount"/>).</summary>
    public int MaxScramIterationCount { get; init; } = Auth.ScramConversation.DefaultMaximumIterationCount;

    public ServerApi? ServerApi { get; init; }

    public bool LoadBalanced { get; init; }

    public TlsSettings? Tls { get; init; }

    /// <summary>
    /// Test seam: opens the byte stream to a server instead of a socket (fault injection, fake servers).
    /// Null in production.
    /// </summary>
    public Func<MongoServerAddress, CancellationToken, ValueTask<Stream>>? StreamFactory { get; init; }

    /// <summary>Extra fields for the handshake's client document (driver wrappers); null for none.</summary>
    public BsonDocument? ExtraClientMetadata { get; init; }

    /// <summary>The handshake's client document, built once per settings object.</summary>
    public BsonDocument ClientMetadata => field ??= Connections.ClientMetadata.Create(ApplicationName, ExtraClientMetadata);

    /// <summary>The same settings without credentials or compression (monitoring connections neither authenticate nor compress).</summary>
    public ConnectionSettings ForMonitoring() => new()
    {
        ConnectTimeout = ConnectTimeout,
        SocketTimeout = ConnectTimeout,
        ApplicationName = ApplicationName,
        ServerApi = ServerApi,
        LoadBalanced = LoadBalanced,
        Tls = Tls,
        StreamFactory = StreamFactory,
        ExtraClientMetadata = ExtraClientMetadata,
    };

    /// <summary>Builds connection settings from client settings.</summary>
    public static ConnectionSettings From(MongoClientSettings settings)
    {
        var compressors = new List<string>(settings.Compressors.Count);
        foreach (MongoCompressor compressor in settings.Compressors)
        {
            compressors.Add(compressor switch
            {
                MongoCompressor.Snappy => "snappy",
                MongoCompressor.Zlib => "zlib",
                _ => "zstd",
            });
        }

        return new ConnectionSettings
        {
            ConnectTimeout = settings.ConnectTimeout,
            SocketTimeout = settings.SocketTimeout,
            ApplicationName = settings.ApplicationName,
            Compressors = compressors,
            ZlibCompressionLevel = settings.ZlibCompressionLevel,
            MaxScramIterationCount = settings.MaxScramIterationCount,
            Credential = settings.Credential,
            ServerApi = settings.ServerApi,
            LoadBalanced = settings.LoadBalanced,
            Tls = settings.UseTls
                ? new TlsSettings
                {
                    AllowInvalidCertificates = settings.TlsAllowInvalidCertificates,
                    AllowInvalidHostnames = settings.TlsAllowInvalidHostnames,
                    CAFile = settings.TlsCAFile,
                    CertificateKeyFile = settings.TlsCertificateKeyFile,
                    CertificateKeyFilePassword = settings.TlsCertificateKeyFilePassword,
                    CheckCertificateRevocation = !settings.TlsDisableCertificateRevocationCheck && !settings.TlsAllowInvalidCertificates,
                }
                : null,
        };
    }
}

/// <summary>TLS options of a connection.</summary>
internal sealed class TlsSettings
{
    public bool AllowInvalidCertificates { get; init; }

    public bool AllowInvalidHostnames { get; init; }

    /// <summary>PEM file with the CA certificate(s) that server chains must end in (instead of the system store).</summary>
    public string? CAFile { get; init; }

    /// <summary>PEM file with the client certificate and its private key.</summary>
    public string? CertificateKeyFile { get; init; }

    public string? CertificateKeyFilePassword { get; init; }

    public bool CheckCertificateRevocation { get; init; }

    /// <summary>In-memory alternatives to the files (tests and code configuration).</summary>
    public X509Certificate2Collection? CACertificates { get; init; }

    public X509Certificate2? ClientCertificate { get; init; }

    /// <summary>Overrides the whole validation (callers that know better); null to use the rules above.</summary>
    public RemoteCertificateValidationCallback? ServerCertificateValidationCallback { get; init; }
}
