using System.Globalization;
using Infinite = System.Threading.Timeout;

namespace Mongo.Driver;

public sealed partial class MongoUrl
{
    /// <summary>
    /// The options. Adding one: an entry here (parse, map, render, secrecy), the <see cref="MongoUrl"/> and
    /// <see cref="MongoClientSettings"/> properties it fills, and the behaviour that reads the setting.
    /// </summary>
    private static OptionDescriptor[] BuildOptionTable() =>
    [
        new("appName", (u, c, k, v) => u.ApplicationName = v)
        {
            ToSettings = (u, s) => s.ApplicationName = u.ApplicationName ?? s.ApplicationName,
            Render = s => One(s.ApplicationName),
        },
        new("authMechanism", (u, c, k, v) => u.AuthMechanism = v) { Render = s => One(s.Credential?.Mechanism) },
        new("authMechanismProperties", (u, c, k, v) => u.AuthMechanismProperties = ParsePairs(c, k, v, u.AuthMechanismProperties))
        {
            Sensitive = true, // AWS_SESSION_TOKEN and the like
            Render = s => s.Credential is { MechanismProperties.Count: > 0 } credential
                ? [string.Join(",", credential.MechanismProperties.Select(p => p.Key + ":" + p.Value))]
                : [],
        },
        new("authSource", (u, c, k, v) => u.AuthSource = v)
        {
            AllowedInTxt = true,
            Render = s => One(s.Credential is { IsSourceDefaulted: false } credential ? credential.Source : null),
        },
        new("compressors", (u, c, k, v) => u.Compressors = ParseCompressors(c, v))
        {
            ToSettings = (u, s) => s.Compressors = u.Compressors ?? s.Compressors,
            Render = s => s.Compressors.Count == 0 ? [] : [string.Join(",", s.Compressors.Select(x => x.ToString().ToLowerInvariant()))],
        },
        new("zlibCompressionLevel", (u, c, k, v) => u.ZlibCompressionLevel = Int(c, k, v, -1, 9) ?? u.ZlibCompressionLevel)
        {
            ToSettings = (u, s) => s.ZlibCompressionLevel = u.ZlibCompressionLevel ?? s.ZlibCompressionLevel,
            Render = s => When(s.ZlibCompressionLevel != -1, Number(s.ZlibCompressionLevel)),
        },
        new("connectTimeoutMS", (u, c, k, v) => u.ConnectTimeout = Millis(c, k, v, 0) ?? u.ConnectTimeout)
        {
            ToSettings = (u, s) => s.ConnectTimeout = ZeroIsInfinite(u.ConnectTimeout) ?? s.ConnectTimeout,
            Render = s => When(s.ConnectTimeout != TimeSpan.FromSeconds(10), Ms(s.ConnectTimeout)),
        },
        new("directConnection", (u, c, k, v) => u.DirectConnection = Bool(c, k, v) ?? u.DirectConnection)
        {
            ToSettings = (u, s) => s.DirectConnection = u.DirectConnection ?? s.DirectConnection,
            Render = s => One(s.DirectConnection is { } direct ? Flag(direct) : null),
        },
        new("heartbeatFrequencyMS", (u, c, k, v) => u.HeartbeatFrequency = Millis(c, k, v, 500) ?? u.HeartbeatFrequency)
        {
            ToSettings = (u, s) => s.HeartbeatFrequency = u.HeartbeatFrequency ?? s.HeartbeatFrequency,
            Render = s => When(s.HeartbeatFrequency != TimeSpan.FromSeconds(10), Ms(s.HeartbeatFrequency)),
        },
        new("journal", (u, c, k, v) => u.Journal = Bool(c, k, v) ?? u.Journal) { Use = OptionUse.Client, Render = s => One(s.WriteConcern.Journal is { } j ? Flag(j) : null) },
        new("loadBalanced", (u, c, k, v) => u.LoadBalanced = StrictBool(c, k, v) ?? u.LoadBalanced)
        {
            AllowedInTxt = true,
            ToSettings = (u, s) => s.ExplicitLoadBalanced = u.LoadBalanced ?? s.ExplicitLoadBalanced,
            Render = s => One(s.ExplicitLoadBalanced is { } lb ? Flag(lb) : null),
        },
        new("localThresholdMS", (u, c, k, v) => u.LocalThreshold = Millis(c, k, v, 0) ?? u.LocalThreshold)
        {
            ToSettings = (u, s) => s.LocalThreshold = u.LocalThreshold ?? s.LocalThreshold,
            Render = s => When(s.LocalThreshold != TimeSpan.FromMilliseconds(15), Ms(s.LocalThreshold)),
        },
        new("maxIdleTimeMS", (u, c, k, v) => u.MaxIdleTime = Millis(c, k, v, 0) ?? u.MaxIdleTime)
        {
            ToSettings = (u, s) => s.MaxIdleTime = ZeroIsInfinite(u.MaxIdleTime) ?? s.MaxIdleTime,
            Render = s => When(s.MaxIdleTime != Infinite.InfiniteTimeSpan, Ms(s.MaxIdleTime)),
        },
        new("maxPoolSize", (u, c, k, v) => u.MaxPoolSize = Int(c, k, v, 0, int.MaxValue) ?? u.MaxPoolSize)
        {
            ToSettings = (u, s) => s.MaxPoolSize = u.MaxPoolSize ?? s.MaxPoolSize,
            Render = s => When(s.MaxPoolSize != 100, Number(s.MaxPoolSize)),
        },
        new("minPoolSize", (u, c, k, v) => u.MinPoolSize = Int(c, k, v, 0, int.MaxValue) ?? u.MinPoolSize)
        {
            ToSettings = (u, s) => s.MinPoolSize = u.MinPoolSize ?? s.MinPoolSize,
            Render = s => When(s.MinPoolSize != 0, Number(s.MinPoolSize)),
        },
        new("maxConnecting", (u, c, k, v) => u.MaxConnecting = Int(c, k, v, 1, int.MaxValue) ?? u.MaxConnecting)
        {
            ToSettings = (u, s) => s.MaxConnecting = u.MaxConnecting ?? s.MaxConnecting,
            Render = s => When(s.MaxConnecting != 2, Number(s.MaxConnecting)),
        },
        new("maxStalenessSeconds", (u, c, k, v) => u.ParseMaxStaleness(c, k, v))
        {
            Use = OptionUse.Client,
            Render = s => One(s.ReadPreference.MaxStaleness is { } staleness
                ? ((long)staleness.TotalSeconds).ToString(CultureInfo.InvariantCulture)
                : null),
        },
        new("readConcernLevel", (u, c, k, v) => u.ReadConcernLevel = NonEmpty(c, k, v) ?? u.ReadConcernLevel) { Use = OptionUse.Client, Render = s => One(s.ReadConcern.Level) },
        new("readPreference", (u, c, k, v) => u.ParseReadPreferenceMode(c, k, v))
        {
            Use = OptionUse.Client,
            Render = s => When(s.ReadPreference.Mode != Driver.ReadPreferenceMode.Primary, Camel(s.ReadPreference.Mode.ToString())),
        },
        new("readPreferenceTags", (u, c, k, v) => u.ParseTags(c, k, v))
        {
            Use = OptionUse.Client,
            Repeatable = true, // one tag set per occurrence, in order of preference
            Render = s => s.ReadPreference.TagSets.Select(set => string.Join(",", set.Select(tag => tag.Name + ":" + tag.Value))),
        },
        new("replicaSet", (u, c, k, v) => u.ReplicaSet = v)
        {
            AllowedInTxt = true,
            ToSettings = (u, s) => s.ReplicaSetName = u.ReplicaSet ?? s.ReplicaSetName,
            Render = s => One(s.ReplicaSetName),
        },
        new("retryReads", (u, c, k, v) => u.RetryReads = Bool(c, k, v) ?? u.RetryReads)
        {
            Use = OptionUse.Client,
            ToSettings = (u, s) => s.RetryReads = u.RetryReads ?? s.RetryReads,
            Render = s => When(!s.RetryReads, Flag(false)),
        },
        new("retryWrites", (u, c, k, v) => u.RetryWrites = Bool(c, k, v) ?? u.RetryWrites)
        {
            Use = OptionUse.Client,
            ToSettings = (u, s) => s.RetryWrites = u.RetryWrites ?? s.RetryWrites,
            Render = s => When(!s.RetryWrites, Flag(false)),
        },
        new("serverMonitoringMode", (u, c, k, v) => u.ParseMonitoringMode(c, k, v))
        {
            ToSettings = (u, s) => s.ServerMonitoringMode = u.ServerMonitoringMode ?? s.ServerMonitoringMode,
            Render = s => When(s.ServerMonitoringMode != Driver.ServerMonitoringMode.Auto, s.ServerMonitoringMode.ToString().ToLowerInvariant()),
        },
        new("serverSelectionTimeoutMS", (u, c, k, v) => u.ServerSelectionTimeout = Millis(c, k, v, 0) ?? u.ServerSelectionTimeout)
        {
            ToSettings = (u, s) => s.ServerSelectionTimeout = u.ServerSelectionTimeout ?? s.ServerSelectionTimeout,
            Render = s => When(s.ServerSelectionTimeout != TimeSpan.FromSeconds(30), Ms(s.ServerSelectionTimeout)),
        },
        new("serverSelectionTryOnce", (u, c, k, v) => u.ServerSelectionTryOnce = Bool(c, k, v) ?? u.ServerSelectionTryOnce)
        {
            Use = OptionUse.NotRead,
            ToSettings = (u, s) => s.ServerSelectionTryOnce = u.ServerSelectionTryOnce ?? s.ServerSelectionTryOnce,
            Render = s => When(!s.ServerSelectionTryOnce, Flag(false)),
        },
        new("socketTimeoutMS", (u, c, k, v) => u.SocketTimeout = Millis(c, k, v, 0) ?? u.SocketTimeout)
        {
            ToSettings = (u, s) => s.SocketTimeout = ZeroIsInfinite(u.SocketTimeout) ?? s.SocketTimeout,
            Render = s => When(s.SocketTimeout != Infinite.InfiniteTimeSpan, Ms(s.SocketTimeout)),
        },
        new("srvMaxHosts", (u, c, k, v) => u.SrvMaxHosts = Int(c, k, v, 0, int.MaxValue) ?? u.SrvMaxHosts)
        {
            Use = OptionUse.Srv,
            ToSettings = (u, s) => s.SrvMaxHosts = u.SrvMaxHosts ?? s.SrvMaxHosts,
            Render = s => When(s.SrvMaxHosts != 0, Number(s.SrvMaxHosts)),
        },
        new("srvServiceName", (u, c, k, v) => u.SrvServiceName = ParseServiceName(c, k, v) ?? u.SrvServiceName)
        {
            Use = OptionUse.Srv,
            ToSettings = (u, s) => s.SrvServiceName = u.SrvServiceName ?? s.SrvServiceName,
            Render = s => When(s.SrvServiceName != "mongodb", s.SrvServiceName),
        },
        new("timeoutMS", (u, c, k, v) => u.Timeout = Millis(c, k, v, 0) ?? u.Timeout)
        {
            Use = OptionUse.Client,
            ToSettings = (u, s) => s.Timeout = ZeroIsInfinite(u.Timeout) ?? s.Timeout,
            Render = s => One(s.Timeout is { } timeout ? Ms(timeout) : null),
        },
        new("tls", (u, c, k, v) => u.ParseTls(c, k, v))
        {
            Aliases = ["ssl"],
            Repeatable = true, // tls and ssl may both appear if they agree
            ToSettings = (u, s) => s.ExplicitUseTls = u.Tls ?? s.ExplicitUseTls,
            Render = s => When(s.UseTls != (s.Scheme == ConnectionStringScheme.MongoDBPlusSrv), Flag(s.UseTls)),
        },
        new("tlsAllowInvalidCertificates", (u, c, k, v) => u.TlsAllowInvalidCertificates = Bool(c, k, v) ?? u.TlsAllowInvalidCertificates)
        {
            ToSettings = (u, s) => s.TlsAllowInvalidCertificates = u.TlsAllowInvalidCertificates ?? u.TlsInsecure == true,
            Render = s => When(s.TlsAllowInvalidCertificates && !IsTlsInsecure(s), Flag(true)),
        },
        new("tlsAllowInvalidHostnames", (u, c, k, v) => u.TlsAllowInvalidHostnames = Bool(c, k, v) ?? u.TlsAllowInvalidHostnames)
        {
            ToSettings = (u, s) => s.TlsAllowInvalidHostnames = u.TlsAllowInvalidHostnames ?? u.TlsInsecure == true,
            Render = s => When(s.TlsAllowInvalidHostnames && !IsTlsInsecure(s), Flag(true)),
        },
        new("tlsCAFile", (u, c, k, v) => u.TlsCAFile = v)
        {
            ToSettings = (u, s) => s.TlsCAFile = u.TlsCAFile ?? s.TlsCAFile,
            Render = s => One(s.TlsCAFile),
        },
        new("tlsCertificateKeyFile", (u, c, k, v) => u.TlsCertificateKeyFile = v)
        {
            ToSettings = (u, s) => s.TlsCertificateKeyFile = u.TlsCertificateKeyFile ?? s.TlsCertificateKeyFile,
            Render = s => One(s.TlsCertificateKeyFile),
        },
        new("tlsCertificateKeyFilePassword", (u, c, k, v) => u.TlsCertificateKeyFilePassword = v)
        {
            Sensitive = true,
            ToSettings = (u, s) => s.TlsCertificateKeyFilePassword = u.TlsCertificateKeyFilePassword ?? s.TlsCertificateKeyFilePassword,
            Render = s => One(s.TlsCertificateKeyFilePassword),
        },
        new("tlsInsecure", (u, c, k, v) => u.TlsInsecure = Bool(c, k, v) ?? u.TlsInsecure)
        {
            // No setting of its own: it sets the four checks below (and renders when all four are relaxed).
            Render = s => When(IsTlsInsecure(s), Flag(true)),
        },
        new("tlsDisableOCSPEndpointCheck", (u, c, k, v) => u.TlsDisableOcspEndpointCheck = Bool(c, k, v) ?? u.TlsDisableOcspEndpointCheck)
        {
            Use = OptionUse.NotRead,
            ToSettings = (u, s) => s.TlsDisableOcspEndpointCheck = u.TlsDisableOcspEndpointCheck ?? u.TlsInsecure == true,
            Render = s => When(s.TlsDisableOcspEndpointCheck && !IsTlsInsecure(s), Flag(true)),
        },
        new("tlsDisableCertificateRevocationCheck",
            (u, c, k, v) => u.TlsDisableCertificateRevocationCheck = Bool(c, k, v) ?? u.TlsDisableCertificateRevocationCheck)
        {
            ToSettings = (u, s) => s.TlsDisableCertificateRevocationCheck = u.TlsDisableCertificateRevocationCheck ?? u.TlsInsecure == true,
            Render = s => When(s.TlsDisableCertificateRevocationCheck && !IsTlsInsecure(s), Flag(true)),
        },
        new("w", (u, c, k, v) => u.ParseW(c, k, v))
        {
            Use = OptionUse.Client,
            Render = s => One(s.WriteConcern.W is { } w ? w.Mode ?? Number(w.Number ?? 0) : null),
        },
        new("wTimeoutMS", (u, c, k, v) => u.WTimeout = Millis(c, k, v, 0, allowInt64: true) ?? u.WTimeout)
        {
            Use = OptionUse.Client,
            Render = s => One(s.WriteConcern.WTimeout is { } wt ? Ms(wt) : null),
        },
        new("wtimeout", (u, c, k, v) => c.DeprecatedWTimeout = v) { Use = OptionUse.Client, RenderedAs = "wTimeoutMS" },
        new("waitQueueTimeoutMS", (u, c, k, v) => u.WaitQueueTimeout = Millis(c, k, v, 0) ?? u.WaitQueueTimeout)
        {
            ToSettings = (u, s) => s.WaitQueueTimeout = ZeroIsInfinite(u.WaitQueueTimeout) ?? s.WaitQueueTimeout,
            Render = s => When(s.WaitQueueTimeout != TimeSpan.FromMinutes(2), Ms(s.WaitQueueTimeout)),
        },
        new("gssapiServiceName", (u, c, k, v) =>
        {
            c.Warnings.Add("The option 'gssapiServiceName' is deprecated; use authMechanismProperties=SERVICE_NAME:<name>.");
            c.GssapiServiceName = v;
        })
        {
            RenderedAs = "authMechanismProperties",
        },
        new("proxyHost", (u, c, k, v) => u.ProxyHost = NonEmpty(c, k, v) ?? u.ProxyHost)
        {
            Use = OptionUse.NotImplemented,
            RepeatIsError = true,
            ToSettings = (u, s) => s.ProxyHost = u.ProxyHost ?? s.ProxyHost,
            Render = s => One(s.ProxyHost),
        },
        new("proxyPort", (u, c, k, v) => u.ProxyPort = Int(c, k, v, 0, 65535) ?? u.ProxyPort)
        {
            Use = OptionUse.NotImplemented,
            RepeatIsError = true,
            ToSettings = (u, s) => s.ProxyPort = u.ProxyPort ?? s.ProxyPort,
            Render = s => One(s.ProxyPort is { } port ? Number(port) : null),
        },
        new("proxyUsername", (u, c, k, v) => u.ProxyUsername = NonEmpty(c, k, v) ?? u.ProxyUsername)
        {
            Use = OptionUse.NotImplemented,
            RepeatIsError = true,
            ToSettings = (u, s) => s.ProxyUsername = u.ProxyUsername ?? s.ProxyUsername,
            Render = s => One(s.ProxyUsername),
        },
        new("proxyPassword", (u, c, k, v) => u.ProxyPassword = NonEmpty(c, k, v) ?? u.ProxyPassword)
        {
            Use = OptionUse.NotImplemented,
            Sensitive = true,
            RepeatIsError = true,
            ToSettings = (u, s) => s.ProxyPassword = u.ProxyPassword ?? s.ProxyPassword,
            Render = s => One(s.ProxyPassword),
        },
        new("uuidRepresentation", (u, c, k, v) => u.ParseUuidRepresentation(c, k, v))
        {
            Use = OptionUse.NotRead,
            ToSettings = (u, s) => s.UuidRepresentation = u.UuidRepresentation ?? s.UuidRepresentation,
            Render = s => When(s.UuidRepresentation != Mongo.Bson.GuidRepresentation.Unspecified, Camel(s.UuidRepresentation.ToString())),
        },
        new("maxAdaptiveRetries", (u, c, k, v) => u.MaxAdaptiveRetries = Int(c, k, v, 0, int.MaxValue) ?? u.MaxAdaptiveRetries)
        {
            Use = OptionUse.Client,
            ToSettings = (u, s) => s.MaxAdaptiveRetries = u.MaxAdaptiveRetries ?? s.MaxAdaptiveRetries,
            Render = s => When(s.MaxAdaptiveRetries != 2, Number(s.MaxAdaptiveRetries)),
        },
        new("enableOverloadRetargeting", (u, c, k, v) => u.EnableOverloadRetargeting = Bool(c, k, v) ?? u.EnableOverloadRetargeting)
        {
            Use = OptionUse.Client,
            ToSettings = (u, s) => s.EnableOverloadRetargeting = u.EnableOverloadRetargeting ?? s.EnableOverloadRetargeting,
            Render = s => When(s.EnableOverloadRetargeting, Flag(true)),
        },
    ];

    private void ParseTls(OptionContext c, string key, string value)
    {
        if (Bool(c, key, value) is { } tls)
        {
            c.TlsValues.Add(tls);
            Tls = tls;
        }
    }

    /// <summary>A connection string's 0 means "no timeout" for these options.</summary>
    private static TimeSpan? ZeroIsInfinite(TimeSpan? t) => t == TimeSpan.Zero ? Infinite.InfiniteTimeSpan : t;

    private static bool IsTlsInsecure(MongoClientSettings s) =>
        s.TlsAllowInvalidCertificates && s.TlsAllowInvalidHostnames && s.TlsDisableOcspEndpointCheck && s.TlsDisableCertificateRevocationCheck;

    private static string[] One(string? value) => value is null ? [] : [value];

    private static string[] When(bool condition, string value) => condition ? [value] : [];

    private static string Flag(bool value) => value ? "true" : "false";

    private static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>Milliseconds; "no timeout" is written as the connection string's 0.</summary>
    private static string Ms(TimeSpan value) =>
        value == Infinite.InfiniteTimeSpan ? "0" : ((long)value.TotalMilliseconds).ToString(CultureInfo.InvariantCulture);

    private static string Camel(string pascal) => char.ToLowerInvariant(pascal[0]) + pascal[1..];
}
