using System.Globalization;

namespace Mongo.Driver;

public sealed partial class MongoUrl
{
    private static Dictionary<string, string>? ParsePairs(OptionContext c, string key, string value, IReadOnlyDictionary<string, string>? previous)
    {
        // A value may itself contain ':' (TOKEN_RESOURCE:mongodb://x), so only the first colon of each pair splits.
        var result = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (value.Length == 0)
        {
            c.Warnings.Add($"The option '{key}' has an empty value; it is ignored.");
            return previous as Dictionary<string, string>;
        }

        string[] pairs = value.Split(',');
        for (int i = 0; i < pairs.Length; i++)
        {
            string pair = pairs[i];
            int colon = pair.IndexOf(':');
            if (colon <= 0)
            {
                // The pair may be the tail of a secret (AWS_SESSION_TOKEN:abc,def): say which, not what.
                c.Invalid(key, value, $"item {i + 1} of {pairs.Length} is not a key:value pair; values must not contain ','");
                return previous as Dictionary<string, string>;
            }

            result[pair[..colon]] = pair[(colon + 1)..];
        }

        return result;
    }

    private static List<MongoCompressor> ParseCompressors(OptionContext c, string value)
    {
        var list = new List<MongoCompressor>();
        foreach (string name in value.Split(','))
        {
            MongoCompressor? compressor = name.Trim().ToLowerInvariant() switch
            {
                "snappy" => MongoCompressor.Snappy,
                "zlib" => MongoCompressor.Zlib,
                "zstd" => MongoCompressor.Zstd,
                _ => null,
            };
            if (compressor is { } known)
            {
                if (!list.Contains(known))
                {
                    list.Add(known);
                }
            }
            else if (name.Length > 0)
            {
                // The compression spec: unsupported compressors are warned about and skipped, never an error.
                c.Warnings.Add($"Unsupported compressor '{name}' in option 'compressors'; it is ignored.");
            }
        }

        return list;
    }

    private void ParseMaxStaleness(OptionContext c, string key, string value)
    {
        if (Long(c, key, value, -1, int.MaxValue) is not { } seconds)
        {
            return;
        }

        if (seconds == 0)
        {
            c.Invalid(key, value, "must be -1 (no maximum) or a positive number of seconds");
            return;
        }

        MaxStaleness = TimeSpan.FromSeconds(seconds);
    }

    private void ParseReadPreferenceMode(OptionContext c, string key, string value)
    {
        if (ReadPreference.TryParseMode(value, out var mode))
        {
            ReadPreferenceMode = mode;
            c.ReadPreferenceText = value;
        }
        else
        {
            c.Invalid(key, value, "expected primary, primaryPreferred, secondary, secondaryPreferred or nearest");
        }
    }

    private void ParseTags(OptionContext c, string key, string value)
    {
        if (value.Length == 0)
        {
            c.Tags.Add(TagSet.Empty);
            ReadPreferenceTags = [.. c.Tags];
            return;
        }

        var tags = new List<ReadPreferenceTag>();
        foreach (string pair in value.Split(','))
        {
            int colon = pair.IndexOf(':');
            if (colon <= 0)
            {
                c.Invalid(key, value, "expected comma-separated name:value pairs");
                return;
            }

            tags.Add(new ReadPreferenceTag(pair[..colon], pair[(colon + 1)..]));
        }

        c.Tags.Add(new TagSet(tags));
        ReadPreferenceTags = [.. c.Tags];
    }

    private void ParseMonitoringMode(OptionContext c, string key, string value)
    {
        switch (value.ToLowerInvariant())
        {
            case "auto": ServerMonitoringMode = Driver.ServerMonitoringMode.Auto; break;
            case "stream": ServerMonitoringMode = Driver.ServerMonitoringMode.Stream; break;
            case "poll": ServerMonitoringMode = Driver.ServerMonitoringMode.Poll; break;
            default: c.Invalid(key, value, "expected auto, stream or poll"); break;
        }
    }

    private void ParseUuidRepresentation(OptionContext c, string key, string value)
    {
        switch (value.ToLowerInvariant())
        {
            case "standard": UuidRepresentation = Mongo.Bson.GuidRepresentation.Standard; break;
            case "csharplegacy": UuidRepresentation = Mongo.Bson.GuidRepresentation.CSharpLegacy; break;
            case "javalegacy": UuidRepresentation = Mongo.Bson.GuidRepresentation.JavaLegacy; break;
            case "pythonlegacy": UuidRepresentation = Mongo.Bson.GuidRepresentation.PythonLegacy; break;
            case "unspecified": UuidRepresentation = Mongo.Bson.GuidRepresentation.Unspecified; break;
            default: c.Invalid(key, value, "expected standard, csharpLegacy, javaLegacy, pythonLegacy or unspecified"); break;
        }
    }

    private static string? ParseServiceName(OptionContext c, string key, string value)
    {
        // RFC 6335 service names: letters, digits and inner hyphens; the spec lifts the 15-character limit
        // as long as the DNS label (with its leading underscore) stays within 63 characters.
        bool valid = value.Length is > 0 and <= 62 && value[0] != '-' && value[^1] != '-' &&
            value.AsSpan().IndexOfAnyExcept("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-") < 0 &&
            value.AsSpan().IndexOfAnyExcept("0123456789-") >= 0 && !value.Contains("--", StringComparison.Ordinal);
        if (!valid)
        {
            c.Invalid(key, value, "expected an RFC 6335 service name");
            return null;
        }

        return value;
    }

    private void ParseW(OptionContext c, string key, string value)
    {
        if (value.Length == 0)
        {
            c.Warnings.Add($"The option '{key}' has an empty value; it is ignored.");
            return;
        }

        if (int.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int n))
        {
            if (n < 0)
            {
                c.Invalid(key, value, "a node count must be 0 or more");
                return;
            }

            W = WriteConcernW.FromNumber(n);
            return;
        }

        W = WriteConcernW.FromMode(value);
    }

    private void Validate(OptionContext c)
    {
        if (c.DeprecatedWTimeout is { } legacyWTimeout)
        {
            if (c.Present.Contains("wtimeoutms"))
            {
                c.Warnings.Add("Deprecated option 'wtimeout' is ignored because 'wTimeoutMS' is given.");
            }
            else
            {
                c.Warnings.Add("Deprecated option 'wtimeout' has been replaced by 'wTimeoutMS'.");
                WTimeout = Millis(c, "wtimeout", legacyWTimeout, 0, allowInt64: true) ?? WTimeout;
            }
        }

        if (c.GssapiServiceName is { } serviceName && AuthMechanismProperties?.ContainsKey("SERVICE_NAME") != true)
        {
            AuthMechanismProperties = new Dictionary<string, string>(AuthMechanismProperties ?? new Dictionary<string, string>(), StringComparer.OrdinalIgnoreCase)
            {
                ["SERVICE_NAME"] = serviceName,
            };
        }

        ValidateTls(c);
        ValidateTopology(c);
        ValidateProxy(c);

        if (IsSrv && !IsSrvResolved && Tls is null)
        {
            Tls = true;
        }
        else if (IsSrvResolved && Tls is null)
        {
            Tls = true;
        }

        if (AuthSource is { Length: 0 })
        {
            throw new MongoConfigurationException("Invalid option 'authSource': it must not be empty.");
        }

        if (HasUserInfo || AuthMechanism is not null)
        {
            Credential = MongoCredential.Create(AuthMechanism, Username, Password, AuthSource, DatabaseName, AuthMechanismProperties);
        }

        if (ReadConcernLevel is not null)
        {
            ReadConcern = new ReadConcern(ReadConcernLevel);
        }

        if (W is not null || WTimeout is not null || Journal is not null)
        {
            WriteConcern = new WriteConcern(W, WTimeout, Journal);
        }

        if (ReadPreferenceMode is not null || ReadPreferenceTags is not null || MaxStaleness is not null)
        {
            var mode = ReadPreferenceMode ?? Driver.ReadPreferenceMode.Primary;
            ReadPreference = new ReadPreference(mode, ReadPreferenceTags, MaxStaleness);
        }
    }

    private void ValidateTls(OptionContext c)
    {
        for (int i = 1; i < c.TlsValues.Count; i++)
        {
            if (c.TlsValues[i] != c.TlsValues[0])
            {
                throw new MongoConfigurationException("Invalid connection string: the options 'tls' and 'ssl' have conflicting values.");
            }
        }

        // uri-options spec, "Conflicting TLS options": these pairs may not both appear, whatever their values.
        (string, string)[] conflicts =
        [
            ("tlsinsecure", "tlsallowinvalidcertificates"),
            ("tlsinsecure", "tlsallowinvalidhostnames"),
            ("tlsinsecure", "tlsdisableocspendpointcheck"),
            ("tlsinsecure", "tlsdisablecertificaterevocationcheck"),
            ("tlsallowinvalidcertificates", "tlsdisableocspendpointcheck"),
            ("tlsallowinvalidcertificates", "tlsdisablecertificaterevocationcheck"),
            ("tlsdisableocspendpointcheck", "tlsdisablecertificaterevocationcheck"),
        ];
        foreach (var (a, b) in conflicts)
        {
            if (c.Present.Contains(a) && c.Present.Contains(b))
            {
                throw new MongoConfigurationException($"Invalid connection string: the options '{a}' and '{b}' cannot be combined.");
            }
        }
    }

    private void ValidateTopology(OptionContext c)
    {
        if (DirectConnection == true)
        {
            if (IsSrv)
            {
                throw new MongoConfigurationException("Invalid connection string: 'directConnection=true' cannot be used with mongodb+srv.");
            }

            if (Hosts.Count > 1)
            {
                throw new MongoConfigurationException("Invalid connection string: 'directConnection=true' requires exactly one host.");
            }
        }

        if (!IsSrv && (c.Present.Contains("srvservicename") || c.Present.Contains("srvmaxhosts")))
        {
            throw new MongoConfigurationException(
                $"Invalid connection string: the option '{(c.Present.Contains("srvservicename") ? "srvServiceName" : "srvMaxHosts")}' requires the mongodb+srv scheme.");
        }

        if (SrvMaxHosts > 0)
        {
            if (ReplicaSet is not null)
            {
                throw new MongoConfigurationException("Invalid connection string: a positive 'srvMaxHosts' cannot be combined with 'replicaSet'.");
            }

            if (LoadBalanced == true)
            {
                throw new MongoConfigurationException("Invalid connection string: a positive 'srvMaxHosts' cannot be combined with 'loadBalanced=true'.");
            }
        }

        if (LoadBalanced == true)
        {
            // Before SRV resolution the single SRV name stands for an unknown number of hosts; checked again after.
            if (Hosts.Count > 1)
            {
                throw new MongoConfigurationException(IsSrvResolved
                    ? $"Invalid connection string: 'loadBalanced=true' requires exactly one host, but the SRV records list {Hosts.Count}."
                    : "Invalid connection string: 'loadBalanced=true' requires exactly one host.");
            }

            if (DirectConnection == true)
            {
                throw new MongoConfigurationException("Invalid connection string: 'loadBalanced=true' cannot be combined with 'directConnection=true'.");
            }

            if (ReplicaSet is not null)
            {
                throw new MongoConfigurationException("Invalid connection string: 'loadBalanced=true' cannot be combined with 'replicaSet'.");
            }
        }
    }

    private void ValidateProxy(OptionContext c)
    {
        bool host = c.Present.Contains("proxyhost");
        foreach (string key in (string[])["proxyport", "proxyusername", "proxypassword"])
        {
            if (c.Present.Contains(key) && !host)
            {
                throw new MongoConfigurationException($"Invalid connection string: the option '{key}' requires 'proxyHost'.");
            }
        }

        if (c.Present.Contains("proxyusername") != c.Present.Contains("proxypassword"))
        {
            throw new MongoConfigurationException("Invalid connection string: 'proxyUsername' and 'proxyPassword' must be given together.");
        }

        if (ProxyHost is not null && ProxyPort is null)
        {
            ProxyPort = 1080;
        }
    }
}
