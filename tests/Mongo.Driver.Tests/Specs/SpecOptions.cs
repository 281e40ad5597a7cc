using System.Text.Json;
using Xunit;

namespace Mongo.Driver.Tests.Specs;

/// <summary>Maps the spec's option names onto <see cref="MongoUrl"/>'s parsed values, in the JSON shapes the tests use.</summary>
internal static class SpecOptions
{
    public static object? Get(MongoUrl url, string name) => name.ToLowerInvariant() switch
    {
        "appname" => url.ApplicationName,
        "authmechanism" => url.AuthMechanism,
        "authmechanismproperties" => url.AuthMechanismProperties,
        "authsource" => url.AuthSource,
        "compressors" => url.Compressors?.Select(c => c.ToString().ToLowerInvariant()).ToList(),
        "zlibcompressionlevel" => url.ZlibCompressionLevel,
        "connecttimeoutms" => Ms(url.ConnectTimeout),
        "directconnection" => url.DirectConnection,
        "heartbeatfrequencyms" => Ms(url.HeartbeatFrequency),
        "journal" => url.Journal,
        "loadbalanced" => url.LoadBalanced,
        "localthresholdms" => Ms(url.LocalThreshold),
        "maxidletimems" => Ms(url.MaxIdleTime),
        "maxpoolsize" => url.MaxPoolSize,
        "minpoolsize" => url.MinPoolSize,
        "maxconnecting" => url.MaxConnecting,
        "maxstalenessseconds" => url.MaxStaleness is { } s ? (long)s.TotalSeconds : null,
        "readconcernlevel" => url.ReadConcernLevel,
        "readpreference" => url.ReadPreferenceMode is { } m ? ReadPreference.GetModeName(m) : null,
        "readpreferencetags" => url.ReadPreferenceTags?.Select(t => (IReadOnlyDictionary<string, string>)t.ToDictionary(x => x.Name, x => x.Value)).ToList(),
        "replicaset" => url.ReplicaSet,
        "retryreads" => url.RetryReads,
        "retrywrites" => url.RetryWrites,
        "servermonitoringmode" => url.ServerMonitoringMode?.ToString().ToLowerInvariant(),
        "serverselectiontimeoutms" => Ms(url.ServerSelectionTimeout),
        "serverselectiontryonce" => url.ServerSelectionTryOnce,
        "sockettimeoutms" => Ms(url.SocketTimeout),
        "srvmaxhosts" => url.SrvMaxHosts,
        "srvservicename" => url.SrvServiceName,
        "timeoutms" => Ms(url.Timeout),
        "tls" or "ssl" => url.Tls,
        "tlsallowinvalidcertificates" => url.TlsAllowInvalidCertificates,
        "tlsallowinvalidhostnames" => url.TlsAllowInvalidHostnames,
        "tlscafile" => url.TlsCAFile,
        "tlscertificatekeyfile" => url.TlsCertificateKeyFile,
        "tlscertificatekeyfilepassword" => url.TlsCertificateKeyFilePassword,
        "tlsinsecure" => url.TlsInsecure,
        "tlsdisableocspendpointcheck" => url.TlsDisableOcspEndpointCheck,
        "tlsdisablecertificaterevocationcheck" => url.TlsDisableCertificateRevocationCheck,
        "w" => url.W is { } w ? (w.Number is { } n ? n : w.Mode) : null,
        "wtimeoutms" => Ms(url.WTimeout),
        "waitqueuetimeoutms" => Ms(url.WaitQueueTimeout),
        "maxadaptiveretries" => url.MaxAdaptiveRetries,
        "uuidrepresentation" => url.UuidRepresentation?.ToString(),
        "enableoverloadretargeting" => url.EnableOverloadRetargeting,
        _ => throw new InvalidOperationException($"The spec test names option '{name}', which the runner does not map (fail loudly)."),
    };

    private static long? Ms(TimeSpan? t) => t is { } v ? (long)v.TotalMilliseconds : null;

    /// <summary>Asserts every option of the test's <c>options</c> object.</summary>
    public static void AssertOptions(JsonElement test, MongoUrl url)
    {
        if (test.IsNull("options"))
        {
            return;
        }

        foreach (var option in test.GetProperty("options").EnumerateObject())
        {
            SpecJson.AssertEqual(option.Value, Get(url, option.Name), "options." + option.Name);
        }
    }

    /// <summary>Asserts <c>valid</c> and <c>warning</c>; returns the parsed URL when valid.</summary>
    public static MongoUrl? ParseAndCheck(JsonElement test, MongoUrlParseOptions options)
    {
        string uri = test.GetProperty("uri").GetString()!;
        bool valid = test.GetProperty("valid").GetBoolean();
        MongoUrl? url = null;
        Exception? error = null;
        try
        {
            url = MongoUrl.Parse(uri, options);
        }
        catch (MongoConfigurationException ex)
        {
            error = ex;
        }

        if (!valid)
        {
            Assert.True(error is not null, $"Expected '{uri}' to be rejected; warnings: {string.Join(" | ", url?.Warnings ?? [])}");
            return null;
        }

        Assert.True(error is null, $"Expected '{uri}' to parse, got: {error?.Message}");
        if (test.TryGetProperty("warning", out var warning) && warning.ValueKind is JsonValueKind.True or JsonValueKind.False)
        {
            if (warning.GetBoolean())
            {
                Assert.True(url!.Warnings.Count > 0, "Expected a warning.");
            }
            else
            {
                Assert.True(url!.Warnings.Count == 0, "Unexpected warnings: " + string.Join(" | ", url.Warnings));
            }
        }

        return url;
    }
}
