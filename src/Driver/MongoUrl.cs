namespace Mongo.Driver;

/// <summary>Wire compressors a client may negotiate (compression spec).</summary>
public enum MongoCompressor
{
    /// <summary>Snappy.</summary>
    Snappy,

    /// <summary>zlib (deflate).</summary>
    Zlib,

    /// <summary>Zstandard.</summary>
    Zstd,
}

/// <summary>The server monitoring protocol (SDAM <c>serverMonitoringMode</c>).</summary>
public enum ServerMonitoringMode
{
    /// <summary>Streaming when the server supports it, except on FaaS platforms.</summary>
    Auto,

    /// <summary>Streaming (awaitable hello) where supported.</summary>
    Stream,

    /// <summary>Periodic polling.</summary>
    Poll,
}

/// <summary>
/// An immutable, parsed MongoDB connection string (<c>mongodb://</c> or <c>mongodb+srv://</c>), following the
/// connection-string, URI-options and auth specs. Every option property is null when the option was not given
/// (or was ignored with a warning). Unknown options never throw: they are listed in <see cref="Warnings"/> and logged.
/// <see cref="ToString"/> never shows a password.
/// </summary>
public sealed partial class MongoUrl
{
    /// <summary>Parses a connection string strictly (see <see cref="MongoUrlParseOptions.IgnoreInvalidValues"/>).</summary>
    /// <exception cref="MongoConfigurationException">The connection string is invalid; the message names the part or option.</exception>
    public MongoUrl(string connectionString) : this(Parts.Split(connectionString), MongoUrlParseOptions.Default, null)
    {
    }

    /// <summary>Parses a connection string.</summary>
    /// <exception cref="MongoConfigurationException">The connection string is invalid; the message names the part or option.</exception>
    public static MongoUrl Parse(string connectionString, MongoUrlParseOptions? options = null) =>
        new(Parts.Split(connectionString), options ?? MongoUrlParseOptions.Default, null);

    /// <summary>Parses a connection string, returning false (and the reason) instead of throwing.</summary>
    public static bool TryParse(string connectionString, out MongoUrl? url, out string? error)
    {
        try
        {
            url = Parse(connectionString);
            error = null;
            return true;
        }
        catch (MongoConfigurationException ex)
        {
            url = null;
            error = ex.Message;
            return false;
        }
    }

    /// <summary>Whether the scheme is <c>mongodb+srv</c> (hosts come from DNS SRV records).</summary>
    public bool IsSrv { get; }

    /// <summary>
    /// Whether this URL is the result of SRV resolution: <see cref="Hosts"/> are then the seeds from DNS and the
    /// TXT record's options are merged in.
    /// </summary>
    public bool IsSrvResolved { get; }

    /// <summary>The SRV host name of a <c>mongodb+srv</c> URL (lower case), else null.</summary>
    public string? SrvHost { get; }

    /// <summary>The hosts: for <c>mongodb+srv</c> before resolution, the single SRV host name with the default port.</summary>
    public IReadOnlyList<MongoServerAddress> Hosts { get; }

    /// <summary>Whether the connection string has user information (an '@'), which requests authentication.</summary>
    public bool HasUserInfo { get; }

    /// <summary>The decoded user name, or null.</summary>
    public string? Username { get; }

    /// <summary>The decoded password, or null. Never printed.</summary>
    public string? Password { get; }

    /// <summary>The decoded database from the path (the default database and default auth source), or null.</summary>
    public string? DatabaseName { get; }

    /// <summary>The options as given (decoded), in order, keys as written.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Options { get; }

    /// <summary>Warnings: unknown or repeated options, deprecated names or values, ignored values.</summary>
    public IReadOnlyList<string> Warnings { get; }

    /// <summary>The credential the connection string configures, or null when it requests no authentication.</summary>
    public MongoCredential? Credential { get; private set; }

    /// <summary>The read concern (<see cref="ReadConcern.Default"/> when not given).</summary>
    public ReadConcern ReadConcern { get; private set; } = ReadConcern.Default;

    /// <summary>The write concern (<see cref="WriteConcern.Default"/> when not given).</summary>
    public WriteConcern WriteConcern { get; private set; } = WriteConcern.Default;

    /// <summary>The read preference, or null when no read preference option was given.</summary>
    public ReadPreference? ReadPreference { get; private set; }

    /// <summary><c>appName</c>.</summary>
    public string? ApplicationName { get; private set; }

    /// <summary><c>authMechanism</c> as given.</summary>
    public string? AuthMechanism { get; private set; }

    /// <summary><c>authMechanismProperties</c>.</summary>
    public IReadOnlyDictionary<string, string>? AuthMechanismProperties { get; private set; }

    /// <summary><c>authSource</c>.</summary>
    public string? AuthSource { get; private set; }

    /// <summary><c>compressors</c>: the supported ones, in the order given (unknown names are warned about and dropped).</summary>
    public IReadOnlyList<MongoCompressor>? Compressors { get; private set; }

    /// <summary><c>zlibCompressionLevel</c> (-1..9).</summary>
    public int? ZlibCompressionLevel { get; private set; }

    /// <summary><c>connectTimeoutMS</c> (zero means no timeout).</summary>
    public TimeSpan? ConnectTimeout { get; private set; }

    /// <summary><c>directConnection</c>.</summary>
    public bool? DirectConnection { get; private set; }

    /// <summary><c>heartbeatFrequencyMS</c> (at least 500 ms).</summary>
    public TimeSpan? HeartbeatFrequency { get; private set; }

    /// <summary><c>journal</c>.</summary>
    public bool? Journal { get; private set; }

    /// <summary><c>loadBalanced</c>.</summary>
    public bool? LoadBalanced { get; private set; }

    /// <summary><c>localThresholdMS</c>.</summary>
    public TimeSpan? LocalThreshold { get; private set; }

    /// <summary><c>maxIdleTimeMS</c> (zero means no limit).</summary>
    public TimeSpan? MaxIdleTime { get; private set; }

    /// <summary><c>maxPoolSize</c> (0 means no maximum).</summary>
    public int? MaxPoolSize { get; private set; }

    /// <summary><c>minPoolSize</c>.</summary>
    public int? MinPoolSize { get; private set; }

    /// <summary><c>maxConnecting</c> (positive).</summary>
    public int? MaxConnecting { get; private set; }

    /// <summary><c>maxStalenessSeconds</c> (-1 s means no maximum).</summary>
    public TimeSpan? MaxStaleness { get; private set; }

    /// <summary><c>readConcernLevel</c>.</summary>
    public string? ReadConcernLevel { get; private set; }

    /// <summary><c>readPreference</c> (the mode).</summary>
    public ReadPreferenceMode? ReadPreferenceMode { get; private set; }

    /// <summary><c>readPreferenceTags</c>, one tag set per occurrence, in order.</summary>
    public IReadOnlyList<TagSet>? ReadPreferenceTags { get; private set; }

    /// <summary><c>replicaSet</c>.</summary>
    public string? ReplicaSet { get; private set; }

    /// <summary><c>retryReads</c>.</summary>
    public bool? RetryReads { get; private set; }

    /// <summary><c>retryWrites</c>.</summary>
    public bool? RetryWrites { get; private set; }

    /// <summary><c>serverMonitoringMode</c>.</summary>
    public ServerMonitoringMode? ServerMonitoringMode { get; private set; }

    /// <summary><c>serverSelectionTimeoutMS</c>.</summary>
    public TimeSpan? ServerSelectionTimeout { get; private set; }

    /// <summary><c>serverSelectionTryOnce</c>.</summary>
    public bool? ServerSelectionTryOnce { get; private set; }

    /// <summary><c>socketTimeoutMS</c> (zero means no timeout; deprecated in favour of timeoutMS).</summary>
    public TimeSpan? SocketTimeout { get; private set; }

    /// <summary><c>srvMaxHosts</c> (0 means no limit).</summary>
    public int? SrvMaxHosts { get; private set; }

    /// <summary><c>srvServiceName</c>.</summary>
    public string? SrvServiceName { get; private set; }

    /// <summary><c>timeoutMS</c> (client-side operation timeout; zero means no timeout).</summary>
    public TimeSpan? Timeout { get; private set; }

    /// <summary><c>tls</c> (or its alias <c>ssl</c>); true for <c>mongodb+srv</c> unless given.</summary>
    public bool? Tls { get; private set; }

    /// <summary><c>tlsAllowInvalidCertificates</c>.</summary>
    public bool? TlsAllowInvalidCertificates { get; private set; }

    /// <summary><c>tlsAllowInvalidHostnames</c>.</summary>
    public bool? TlsAllowInvalidHostnames { get; private set; }

    /// <summary><c>tlsCAFile</c>.</summary>
    public string? TlsCAFile { get; private set; }

    /// <summary><c>tlsCertificateKeyFile</c>.</summary>
    public string? TlsCertificateKeyFile { get; private set; }

    /// <summary><c>tlsCertificateKeyFilePassword</c>. Never printed.</summary>
    public string? TlsCertificateKeyFilePassword { get; private set; }

    /// <summary><c>tlsInsecure</c>: allow invalid certificates and host names, and skip revocation checks.</summary>
    public bool? TlsInsecure { get; private set; }

    /// <summary><c>tlsDisableOCSPEndpointCheck</c>.</summary>
    public bool? TlsDisableOcspEndpointCheck { get; private set; }

    /// <summary><c>tlsDisableCertificateRevocationCheck</c>.</summary>
    public bool? TlsDisableCertificateRevocationCheck { get; private set; }

    /// <summary><c>w</c>.</summary>
    public WriteConcernW? W { get; private set; }

    /// <summary><c>wTimeoutMS</c> (or the deprecated <c>wtimeout</c>).</summary>
    public TimeSpan? WTimeout { get; private set; }

    /// <summary><c>waitQueueTimeoutMS</c> (deprecated in favour of timeoutMS).</summary>
    public TimeSpan? WaitQueueTimeout { get; private set; }

    /// <summary><c>proxyHost</c> (SOCKS5).</summary>
    public string? ProxyHost { get; private set; }

    /// <summary><c>proxyPort</c> (SOCKS5; 1080 when a host is given without a port).</summary>
    public int? ProxyPort { get; private set; }

    /// <summary><c>proxyUsername</c> (SOCKS5).</summary>
    public string? ProxyUsername { get; private set; }

    /// <summary><c>proxyPassword</c> (SOCKS5). Never printed.</summary>
    public string? ProxyPassword { get; private set; }

    /// <summary><c>uuidRepresentation</c> (this driver's option): how <see cref="Guid"/> values are encoded.</summary>
    public Mongo.Bson.GuidRepresentation? UuidRepresentation { get; private set; }

    /// <summary><c>maxAdaptiveRetries</c> (client backpressure).</summary>
    public int? MaxAdaptiveRetries { get; private set; }

    /// <summary><c>enableOverloadRetargeting</c> (client backpressure).</summary>
    public bool? EnableOverloadRetargeting { get; private set; }

    /// <summary>The connection string with every password (user, TLS key file, proxy) replaced by <c>&lt;redacted&gt;</c>.</summary>
    public override string ToString() => _redacted;
}
