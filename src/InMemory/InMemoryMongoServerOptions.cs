using System.Net;

namespace Mongo.InMemory;

/// <summary>Settings for an <see cref="InMemoryMongoServer"/>. Every setting has a default that suits tests.</summary>
public sealed class InMemoryMongoServerOptions
{
    /// <summary>The largest message the server accepts or sends, as a MongoDB 8.0 server announces it.</summary>
    public const int DefaultMaxMessageSizeBytes = 48_000_000;

    /// <summary>The TCP port to listen on; 0 (the default) picks a free ephemeral port.</summary>
    public int Port { get; set; }

    /// <summary>The address to listen on; the loopback address 127.0.0.1 by default.</summary>
    public IPAddress BindAddress { get; set; } = IPAddress.Loopback;

    /// <summary>
    /// When set, the server also listens on a unix domain socket at this path (it must end in <c>.sock</c>, as
    /// connection strings require). An existing file there is replaced; the file is removed when the server stops.
    /// Null (the default): no socket.
    /// </summary>
    public string? UnixSocketPath { get; set; }

    /// <summary>Whether to listen on TCP (<see cref="BindAddress"/>, <see cref="Port"/>); true by default. False needs <see cref="UnixSocketPath"/>.</summary>
    public bool ListenOnTcp { get; set; } = true;

    /// <summary>
    /// When set, the server presents itself as the primary of a one-member replica set with this name
    /// (hello carries setName, hosts, primary, me, electionId, lastWrite; replies carry $clusterTime and operationTime;
    /// replSetGetStatus and the other replSet* commands answer). When null (the default) it is a standalone server.
    /// For several members, failover and lagging secondaries, use <see cref="InMemoryReplicaSet"/>.
    /// </summary>
    public string? ReplicaSetName { get; set; }

    /// <summary>
    /// When true, the server presents itself as a mongos (hello carries <c>msg: "isdbgrid"</c>), so drivers see a
    /// sharded cluster of one router. Cannot be combined with <see cref="ReplicaSetName"/>.
    /// </summary>
    public bool Sharded { get; set; }

    /// <summary>
    /// When true, the server behaves as a mongos behind a load balancer: a hello with <c>loadBalanced: true</c> gets a
    /// <c>serviceId</c>, and <see cref="InMemoryMongoServer.ConnectionString"/> carries <c>loadBalanced=true</c>.
    /// Implies <see cref="Sharded"/>.
    /// </summary>
    public bool LoadBalanced { get; set; }

    /// <summary>The compressors the server agrees to (any of "snappy", "zlib", "zstd"); all three by default.</summary>
    public IList<string> Compressors { get; } = ["snappy", "zlib", "zstd"];

    /// <summary>The most client connections open at once; further connections are closed on accept. Default 10,000.</summary>
    public int MaxConnections { get; set; } = 10_000;

    /// <summary>How long an unused cursor lives before the server kills it (the server's default is 10 minutes).</summary>
    public TimeSpan CursorTimeout { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>The largest message accepted, announced as maxMessageSizeBytes. Default 48,000,000.</summary>
    public int MaxMessageSizeBytes { get; set; } = DefaultMaxMessageSizeBytes;

    /// <summary>The server version reported by buildInfo and serverStatus.</summary>
    public string ServerVersion { get; set; } = "8.0.4";

    /// <summary>
    /// When set, every connection must start with a TLS handshake and the server presents this certificate
    /// (which needs its private key). Null (the default): plain TCP.
    /// </summary>
    public System.Security.Cryptography.X509Certificates.X509Certificate2? TlsCertificate { get; set; }

    /// <summary>
    /// With TLS: require the client to present a certificate (as mongod's tlsMode requireTLS with a CA file). Either
    /// way the server asks for one, so clients can authenticate with MONGODB-X509.
    /// </summary>
    public bool TlsRequireClientCertificate { get; set; }

    /// <summary>
    /// With TLS: the CA client certificates must chain to (mongod's tlsCAFile for clients). Null (the default): any
    /// client certificate is accepted, which suits tests but trusts whatever subject a client claims.
    /// </summary>
    public System.Security.Cryptography.X509Certificates.X509Certificate2? TlsClientCertificateAuthority { get; set; }

    /// <summary>
    /// Users for SCRAM-SHA-1/SCRAM-SHA-256 and (in <c>$external</c>, see <see cref="InMemoryMongoUser.X509"/>) MONGODB-X509
    /// authentication. Empty (the default): authentication is not required (users added later with <c>createUser</c> can
    /// still authenticate). Otherwise every command except the handshake, authentication and a few diagnostics requires
    /// an authenticated connection.
    /// </summary>
    public IList<InMemoryMongoUser> Users { get; } = [];

    /// <summary>Checks the settings, naming the offending option.</summary>
    /// <exception cref="ArgumentException">A setting is out of range or unknown.</exception>
    public void Validate()
    {
        if (Port is < 0 or > 65535)
        {
            throw new ArgumentException($"Option '{nameof(Port)}' must be between 0 and 65535 but was {Port}.", nameof(Port));
        }

        if (UnixSocketPath is not null && (!UnixSocketPath.EndsWith(".sock", StringComparison.Ordinal) || !Path.IsPathFullyQualified(UnixSocketPath)))
        {
            throw new ArgumentException(
                $"Option '{nameof(UnixSocketPath)}' must be an absolute path ending in '.sock' but was '{UnixSocketPath}'.", nameof(UnixSocketPath));
        }

        if (!ListenOnTcp && UnixSocketPath is null)
        {
            throw new ArgumentException(
                $"Option '{nameof(ListenOnTcp)}' is false and '{nameof(UnixSocketPath)}' is not set: the server would not listen anywhere.", nameof(ListenOnTcp));
        }

        if (MaxConnections < 1)
        {
            throw new ArgumentException($"Option '{nameof(MaxConnections)}' must be positive but was {MaxConnections}.", nameof(MaxConnections));
        }

        if (CursorTimeout <= TimeSpan.Zero)
        {
            throw new ArgumentException($"Option '{nameof(CursorTimeout)}' must be positive but was {CursorTimeout}.", nameof(CursorTimeout));
        }

        if (MaxMessageSizeBytes is < 1024 or > DefaultMaxMessageSizeBytes)
        {
            throw new ArgumentException(
                $"Option '{nameof(MaxMessageSizeBytes)}' must be between 1024 and {DefaultMaxMessageSizeBytes} but was {MaxMessageSizeBytes}.",
                nameof(MaxMessageSizeBytes));
        }

        if (ReplicaSetName is not null && (Sharded || LoadBalanced))
        {
            throw new ArgumentException(
                $"Option '{nameof(ReplicaSetName)}' cannot be combined with '{nameof(Sharded)}' or '{nameof(LoadBalanced)}'.", nameof(ReplicaSetName));
        }

        if (ReplicaSetName is { Length: 0 })
        {
            throw new ArgumentException($"Option '{nameof(ReplicaSetName)}' must not be empty (use null for a standalone server).", nameof(ReplicaSetName));
        }

        foreach (InMemoryMongoUser user in Users)
        {
            if (ValidateUser(user) is string error)
            {
                throw new ArgumentException($"Option '{nameof(Users)}': {error}", nameof(Users));
            }
        }

        foreach (string compressor in Compressors)
        {
            if (compressor is not ("snappy" or "zlib" or "zstd"))
            {
                throw new ArgumentException(
                    $"Option '{nameof(Compressors)}' contains unknown compressor '{compressor}'; supported: snappy, zlib, zstd.",
                    nameof(Compressors));
            }
        }
    }

    /// <summary>Why a user cannot be used, or null: X.509 users live in $external only, SCRAM users anywhere else.</summary>
    internal static string? ValidateUser(InMemoryMongoUser user)
    {
        bool external = user.Database == "$external";
        foreach (string mechanism in user.Mechanisms)
        {
            if (mechanism is not ("SCRAM-SHA-1" or "SCRAM-SHA-256" or InMemoryMongoUser.X509Mechanism))
            {
                return $"user '{user}' has unsupported mechanism '{mechanism}'; supported: SCRAM-SHA-1, SCRAM-SHA-256, MONGODB-X509.";
            }

            if (external != (mechanism == InMemoryMongoUser.X509Mechanism))
            {
                return $"user '{user}' cannot use {mechanism}: MONGODB-X509 users are in '$external' (see InMemoryMongoUser.X509) and SCRAM users are not.";
            }
        }

        return null;
    }

    internal InMemoryMongoServerOptions Clone()
    {
        var clone = new InMemoryMongoServerOptions
        {
            Port = Port,
            BindAddress = BindAddress,
            UnixSocketPath = UnixSocketPath,
            ListenOnTcp = ListenOnTcp,
            ReplicaSetName = ReplicaSetName,
            Sharded = Sharded,
            LoadBalanced = LoadBalanced,
            MaxConnections = MaxConnections,
            CursorTimeout = CursorTimeout,
            MaxMessageSizeBytes = MaxMessageSizeBytes,
            ServerVersion = ServerVersion,
            TlsCertificate = TlsCertificate,
            TlsRequireClientCertificate = TlsRequireClientCertificate,
            TlsClientCertificateAuthority = TlsClientCertificateAuthority,
        };
        clone.Compressors.Clear();
        foreach (string compressor in Compressors)
        {
            clone.Compressors.Add(compressor);
        }

        foreach (InMemoryMongoUser user in Users)
        {
            clone.Users.Add(user);
        }

        return clone;
    }
}
