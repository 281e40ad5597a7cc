using Microsoft.Extensions.Logging;

namespace Mongo.Driver;

/// <summary>The scheme a client's settings came from.</summary>
public enum ConnectionStringScheme
{
    /// <summary><c>mongodb://</c>: the hosts are listed.</summary>
    MongoDB,

    /// <summary><c>mongodb+srv://</c>: the hosts come from DNS SRV records.</summary>
    MongoDBPlusSrv,
}

/// <summary>
/// Mutable settings of a client. Create them in code, or from a connection string with
/// <see cref="FromConnectionString(string)"/> / <see cref="FromUrl"/>, then adjust; <see cref="Clone"/> makes an
/// independent copy. Times are <see cref="TimeSpan"/>s; <see cref="System.Threading.Timeout.InfiniteTimeSpan"/> means "no timeout"
/// where the spec allows one (a connection string's <c>0</c> maps to it). Setters validate their value.
/// <see cref="ToString"/> never shows a password.
/// </summary>
public sealed partial class MongoClientSettings
{
    private List<MongoServerAddress> _servers = [new MongoServerAddress("localhost")];
    private IReadOnlyList<MongoCompressor> _compressors = [];
    private bool? _loadBalanced;
    private bool? _useTls;
    private TimeSpan _connectTimeout = TimeSpan.FromSeconds(10);
    private TimeSpan _heartbeatFrequency = TimeSpan.FromSeconds(10);
    private TimeSpan _localThreshold = TimeSpan.FromMilliseconds(15);
    private TimeSpan _maxIdleTime = System.Threading.Timeout.InfiniteTimeSpan;
    private TimeSpan _serverSelectionTimeout = TimeSpan.FromSeconds(30);
    private TimeSpan _socketTimeout = System.Threading.Timeout.InfiniteTimeSpan;
    private TimeSpan _waitQueueTimeout = TimeSpan.FromMinutes(2);
    private TimeSpan? _timeout;
    private int _maxPoolSize = 100;
    private int _minPoolSize;
    private int _maxConnecting = 2;
    private int _srvMaxHosts;
    private int _zlibCompressionLevel = -1;
    private string _srvServiceName = "mongodb";

    /// <summary>Creates default settings: <c>localhost:27017</c>, no authentication, no TLS.</summary>
    public MongoClientSettings()
    {
    }

    /// <summary>Parses a connection string (strictly) into settings.</summary>
    /// <exception cref="MongoConfigurationException">The connection string is invalid.</exception>
    public static MongoClientSettings FromConnectionString(string connectionString) => FromUrl(MongoUrl.Parse(connectionString));

    /// <summary>Creates settings from a parsed connection string: each option it gives replaces the default.</summary>
    public static MongoClientSettings FromUrl(MongoUrl url)
    {
        ArgumentNullException.ThrowIfNull(url);

        // What is not an option of its own: the hosts and path, and the objects several options combine into.
        var s = new MongoClientSettings
        {
            ConnectionStringWarnings = url.Warnings,
            Scheme = url.IsSrv && !url.IsSrvResolved ? ConnectionStringScheme.MongoDBPlusSrv : ConnectionStringScheme.MongoDB,
            Servers = url.Hosts,
            Credential = url.Credential,
            ReadConcern = url.ReadConcern,
            WriteConcern = url.WriteConcern,
            ReadPreference = url.ReadPreference ?? ReadPreference.Primary,
            DefaultDatabase = url.DatabaseName,
        };

        // Every option that has a setting of its own, from the one option table.
        foreach (MongoUrl.OptionDescriptor option in MongoUrl.OptionTable)
        {
            option.ToSettings?.Invoke(url, s);
        }

        return s;
    }

    /// <summary>An independent copy (immutable members are shared).</summary>
    public MongoClientSettings Clone()
    {
        var copy = (MongoClientSettings)MemberwiseClone();
        copy._servers = [.. _servers];
        return copy;
    }

    /// <summary>Whether the hosts are listed or come from DNS SRV records.</summary>
    public ConnectionStringScheme Scheme { get; set; }

    /// <summary>
    /// The seed hosts. For <see cref="ConnectionStringScheme.MongoDBPlusSrv"/>, the single SRV host name
    /// (its port is not used).
    /// </summary>
    public IReadOnlyList<MongoServerAddress> Servers
    {
        get => _servers;
        set
        {
            ArgumentNullException.ThrowIfNull(value);
            if (value.Count == 0)
            {
                throw new MongoConfigurationException("Invalid setting 'Servers': at least one host is required.");
            }

            _servers = [.. value];
        }
    }

    /// <summary>The application name sent in the handshake (<c>appName</c>); at most 128 bytes of UTF-8.</summary>
    public string? ApplicationName
    {
        get;
        set
        {
            if (value is not null && System.Text.Encoding.UTF8.GetByteCount(value) > 128)
            {
                throw new MongoConfigurationException("Invalid setting 'appName': it must not exceed 128 bytes of UTF-8.");
            }

            field = value;
        }
    }

    /// <summary>The credential, or null for no authentication.</summary>
    public MongoCredential? Credential { get; set; }

    /// <summary>The default database of the connection string's path, or null.</summary>
    public string? DefaultDatabase { get; set; }

    /// <summary>Compressors offered to the server, in order of preference (<c>compressors</c>).</summary>
    public IReadOnlyList<MongoCompressor> Compressors
    {
        get => _compressors;
        set => _compressors = [.. value ?? throw new ArgumentNullException(nameof(value))];
    }

    /// <summary>The zlib level, -1 (default) to 9 (<c>zlibCompressionLevel</c>).</summary>
    public int ZlibCompressionLevel
    {
        get => _zlibCompressionLevel;
        set => _zlibCompressionLevel = value is >= -1 and <= 9 ? value : throw Invalid("zlibCompressionLevel", "must be between -1 and 9");
    }

    /// <summary>
    /// The most PBKDF2 iterations a server may ask for in SCRAM authentication (default 100,000; servers default to
    /// 10,000/15,000). A higher count fails authentication instead of burning CPU on every new connection. Not a URI
    /// option: raise it in code for a server deliberately configured above it.
    /// </summary>
    public int MaxScramIterationCount
    {
        get => _maxScramIterationCount;
        set => _maxScramIterationCount = value >= Auth.ScramConversation.MinimumIterationCount
            ? value
            : throw Invalid("MaxScramIterationCount", "must be at least " + Auth.ScramConversation.MinimumIterationCount + " (the SCRAM minimum)");
    }

    private int _maxScramIterationCount = Auth.ScramConversation.DefaultMaximumIterationCount;

    /// <summary>How long a TCP connect (and TLS handshake) may take (<c>connectTimeoutMS</c>, default 10 s).</summary>
    public TimeSpan ConnectTimeout { get => _connectTimeout; set => _connectTimeout = NonNegativeOrInfinite(value, "connectTimeoutMS"); }

    /// <summary>Whether to talk to the single seed only (<c>directConnection</c>); null lets the topology decide.</summary>
    public bool? DirectConnection { get; set; }

    /// <summary>Interval between server checks (<c>heartbeatFrequencyMS</c>, default 10 s, at least 500 ms).</summary>
    public TimeSpan HeartbeatFrequency
    {
        get => _heartbeatFrequency;
        set => _heartbeatFrequency = value >= TimeSpan.FromMilliseconds(500) ? value : throw Invalid("heartbeatFrequencyMS", "must be at least 500 ms");
    }

    /// <summary>
    /// The least time between two checks of one server (SDAM's minHeartbeatFrequencyMS, 500 ms). Not a URI option: the
    /// SDAM spec lets test runners lower it so tests that mark a server Unknown do not wait half a second to rediscover it.
    /// </summary>
    internal TimeSpan MinHeartbeatFrequency { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Whether the seed is a load balancer (<c>loadBalanced</c>).</summary>
    public bool LoadBalanced { get => _loadBalanced ?? false; set => _loadBalanced = value; }

    /// <summary>Whether <see cref="LoadBalanced"/> was given (so a TXT record must not override it).</summary>
    internal bool IsLoadBalancedSet => _loadBalanced is not null;

    /// <summary><c>loadBalanced</c> as given, or null.</summary>
    internal bool? ExplicitLoadBalanced { get => _loadBalanced; set => _loadBalanced = value; }

    /// <summary><c>tls</c> as given, or null (then the scheme decides).</summary>
    internal bool? ExplicitUseTls { get => _useTls; set => _useTls = value; }

    /// <summary>
    /// The warnings of the connection string these settings came from (unknown or ignored options); the client logs
    /// them through <see cref="LoggerFactory"/>, which the connection string itself cannot name.
    /// </summary>
    internal IReadOnlyList<string> ConnectionStringWarnings { get; private set; } = [];

    /// <summary>The latency window of server selection (<c>localThresholdMS</c>, default 15 ms).</summary>
    public TimeSpan LocalThreshold { get => _localThreshold; set => _localThreshold = NonNegative(value, "localThresholdMS"); }

    /// <summary>How long a pooled connection may stay idle (<c>maxIdleTimeMS</c>; infinite by default).</summary>
    public TimeSpan MaxIdleTime { get => _maxIdleTime; set => _maxIdleTime = NonNegativeOrInfinite(value, "maxIdleTimeMS"); }

    /// <summary>The maximum connections per server pool (<c>maxPoolSize</c>, default 100; 0 means no maximum).</summary>
    public int MaxPoolSize { get => _maxPoolSize; set => _maxPoolSize = value >= 0 ? value : throw Invalid("maxPoolSize", "must be 0 or more"); }

    /// <summary>The connections each pool keeps open (<c>minPoolSize</c>, default 0).</summary>
    public int MinPoolSize { get => _minPoolSize; set => _minPoolSize = value >= 0 ? value : throw Invalid("minPoolSize", "must be 0 or more"); }

    /// <summary>Connections a pool may establish concurrently (<c>maxConnecting</c>, default 2).</summary>
    public int MaxConnecting { get => _maxConnecting; set => _maxConnecting = value > 0 ? value : throw Invalid("maxConnecting", "must be positive"); }

    /// <summary>The default read concern.</summary>
    public ReadConcern ReadConcern { get; set => field = value ?? throw new ArgumentNullException(nameof(value)); } = ReadConcern.Default;

    /// <summary>The default write concern.</summary>
    public WriteConcern WriteConcern { get; set => field = value ?? throw new ArgumentNullException(nameof(value)); } = WriteConcern.Default;

    /// <summary>The default read preference (primary).</summary>
    public ReadPreference ReadPreference { get; set => field = value ?? throw new ArgumentNullException(nameof(value)); } = ReadPreference.Primary;

    /// <summary>The replica set name the servers must report (<c>replicaSet</c>).</summary>
    public string? ReplicaSetName { get; set; }

    /// <summary>Whether reads are retried once (<c>retryReads</c>, default true).</summary>
    public bool RetryReads { get; set; } = true;

    /// <summary>Whether writes are retried once (<c>retryWrites</c>, default true).</summary>
    public bool RetryWrites { get; set; } = true;

    /// <summary>The monitoring protocol (<c>serverMonitoringMode</c>, default auto).</summary>
    public ServerMonitoringMode ServerMonitoringMode { get; set; } = ServerMonitoringMode.Auto;

    /// <summary>How long server selection may wait (<c>serverSelectionTimeoutMS</c>, default 30 s).</summary>
    public TimeSpan ServerSelectionTimeout
    {
        get => _serverSelectionTimeout;
        set => _serverSelectionTimeout = NonNegativeOrInfinite(value, "serverSelectionTimeoutMS");
    }

    /// <summary>Single-threaded drivers' option (<c>serverSelectionTryOnce</c>); kept for completeness, default true.</summary>
    public bool ServerSelectionTryOnce { get; set; } = true;

    /// <summary>Socket read/write timeout (<c>socketTimeoutMS</c>; infinite by default; deprecated by <see cref="Timeout"/>).</summary>
    public TimeSpan SocketTimeout { get => _socketTimeout; set => _socketTimeout = NonNegativeOrInfinite(value, "socketTimeoutMS"); }

    /// <summary>The maximum number of SRV hosts used (<c>srvMaxHosts</c>; 0 means all).</summary>
    public int SrvMaxHosts { get => _srvMaxHosts; set => _srvMaxHosts = value >= 0 ? value : throw Invalid("srvMaxHosts", "must be 0 or more"); }

    /// <summary>The SRV service name (<c>srvServiceName</c>, default <c>mongodb</c>).</summary>
    public string SrvServiceName
    {
        get => _srvServiceName;
        set => _srvServiceName = !string.IsNullOrEmpty(value) ? value : throw Invalid("srvServiceName", "must not be empty");
    }

    /// <summary>The client-side operation timeout (<c>timeoutMS</c>); null when not set, infinite for 0.</summary>
    public TimeSpan? Timeout { get => _timeout; set => _timeout = value is { } t ? NonNegativeOrInfinite(t, "timeoutMS") : null; }

    /// <summary>How long a checkout may wait for a connection (<c>waitQueueTimeoutMS</c>, default 2 min; deprecated by <see cref="Timeout"/>).</summary>
    public TimeSpan WaitQueueTimeout { get => _waitQueueTimeout; set => _waitQueueTimeout = NonNegativeOrInfinite(value, "waitQueueTimeoutMS"); }

    /// <summary>Whether to use TLS (<c>tls</c>/<c>ssl</c>); defaults to true for <c>mongodb+srv</c>, else false.</summary>
    public bool UseTls { get => _useTls ?? Scheme == ConnectionStringScheme.MongoDBPlusSrv; set => _useTls = value; }

    /// <summary>Accept any server certificate (<c>tlsAllowInvalidCertificates</c>; <c>tlsInsecure</c> sets it).</summary>
    public bool TlsAllowInvalidCertificates { get; set; }

    /// <summary>Accept a certificate for another host name (<c>tlsAllowInvalidHostnames</c>; <c>tlsInsecure</c> sets it).</summary>
    public bool TlsAllowInvalidHostnames { get; set; }

    /// <summary>A PEM file of trusted certificate authorities (<c>tlsCAFile</c>).</summary>
    public string? TlsCAFile { get; set; }

    /// <summary>A PEM file with the client certificate and key (<c>tlsCertificateKeyFile</c>).</summary>
    public string? TlsCertificateKeyFile { get; set; }

    /// <summary>The password of the client key (<c>tlsCertificateKeyFilePassword</c>). Never printed.</summary>
    public string? TlsCertificateKeyFilePassword { get; set; }

    /// <summary>Skip OCSP endpoint queries (<c>tlsDisableOCSPEndpointCheck</c>; <c>tlsInsecure</c> sets it).</summary>
    public bool TlsDisableOcspEndpointCheck { get; set; }

    /// <summary>Skip certificate revocation checks (<c>tlsDisableCertificateRevocationCheck</c>; <c>tlsInsecure</c> sets it).</summary>
    public bool TlsDisableCertificateRevocationCheck { get; set; }

    /// <summary>A SOCKS5 proxy host (<c>proxyHost</c>).</summary>
    public string? ProxyHost { get; set; }

    /// <summary>The SOCKS5 proxy port (<c>proxyPort</c>, 1080 when a host is set).</summary>
    public int? ProxyPort { get; set; }

    /// <summary>The SOCKS5 user name (<c>proxyUsername</c>).</summary>
    public string? ProxyUsername { get; set; }

    /// <summary>The SOCKS5 password (<c>proxyPassword</c>). Never printed.</summary>
    public string? ProxyPassword { get; set; }

    /// <summary>
    /// The maximum overload retries (<c>maxAdaptiveRetries</c>, client backpressure spec; default 2; 0 turns them off). Every
    /// command the server sheds with the <c>SystemOverloadedError</c> and <c>RetryableError</c> labels — writes with
    /// <see cref="RetryWrites"/>, reads with <see cref="RetryReads"/>, RunCommand with both — is sent again after a jittered
    /// exponential backoff (up to 200 ms, 400 ms, ... capped at 10 s), at most this many times and never past timeoutMS. Once an
    /// operation met such an error, this is also the limit of its ordinary retries. Application retry loops around the
    /// driver may need shortening accordingly.
    /// </summary>
    public int MaxAdaptiveRetries { get; set => field = value >= 0 ? value : throw Invalid("maxAdaptiveRetries", "must be 0 or more"); } = 2;

    /// <summary>Whether overload retries may move to another server (<c>enableOverloadRetargeting</c>).</summary>
    public bool EnableOverloadRetargeting { get; set; }

    /// <summary>How <see cref="Guid"/> values are encoded (<c>uuidRepresentation</c>; default unspecified: Guids need an explicit choice).</summary>
    public Mongo.Bson.GuidRepresentation UuidRepresentation { get; set; }

    /// <summary>The Stable API declaration, or null (code only; not a connection-string option).</summary>
    public ServerApi? ServerApi { get; set; }

    /// <summary>
    /// Where the driver logs; null for none. Categories follow the logging spec's components: <c>Mongo.Driver.Command</c>,
    /// <c>Mongo.Driver.Topology</c>, <c>Mongo.Driver.ServerSelection</c> and <c>Mongo.Driver.Connection</c> (structured messages at
    /// Debug level, which cost nothing while that level is disabled), plus connection-string warnings (unknown or ignored options,
    /// logged when the client is created) and SRV polling under <c>Mongo.Driver.Configuration</c>.
    /// </summary>
    public ILoggerFactory? LoggerFactory { get; set; }

    private static MongoConfigurationException Invalid(string option, string rule) => new($"Invalid setting '{option}': it {rule}.");

    private static TimeSpan NonNegative(TimeSpan value, string option) => value >= TimeSpan.Zero ? value : throw Invalid(option, "must not be negative");

    private static TimeSpan NonNegativeOrInfinite(TimeSpan value, string option) =>
        value >= TimeSpan.Zero || value == System.Threading.Timeout.InfiniteTimeSpan ? value : throw Invalid(option, "must not be negative");
}
