using System.Globalization;
using Mongo.Driver.Util;

namespace Mongo.Driver;

public sealed partial class MongoUrl
{
    private readonly string _redacted;
    private readonly Parts _parts;

    /// <summary>The options a TXT record may carry (initial-dns-seedlist-discovery spec), lower-cased, from the option table.</summary>
    internal static IReadOnlyList<string> TxtAllowedOptions => OptionTables.TxtAllowed;

    /// <summary>Builds the URL from its parts; <paramref name="srv"/> is set when the parts come from SRV resolution.</summary>
    private MongoUrl(Parts parts, MongoUrlParseOptions parseOptions, SrvInput? srv)
    {
        _parts = parts;
        IsSrv = parts.IsSrv;
        IsSrvResolved = srv is not null;
        HasUserInfo = parts.HasUserInfo;
        Username = parts.Username;
        Password = parts.Password;
        DatabaseName = parts.DatabaseName;
        Options = parts.Options;

        if (IsSrv)
        {
            if (parts.Hosts.Count != 1)
            {
                throw new MongoConfigurationException("Invalid connection string: a mongodb+srv connection string must have exactly one host name.");
            }

            var host = parts.Hosts[0];
            if (parts.SrvHostHasPort)
            {
                throw new MongoConfigurationException($"Invalid connection string: a mongodb+srv host name must not have a port ('{host}').");
            }

            if (host.Type != MongoServerAddressType.Hostname)
            {
                throw new MongoConfigurationException($"Invalid connection string: a mongodb+srv host must be a host name, not '{host.Host}'.");
            }

            SrvHost = host.Host;
        }

        Hosts = srv?.Seeds ?? parts.Hosts;
        var context = new OptionContext(parseOptions);

        // TXT options come first so that the connection string's own options override them.
        if (srv is not null)
        {
            foreach (var (key, value) in srv.TxtOptions)
            {
                if (!parts.Options.Exists(o => o.Key.Equals(key, StringComparison.OrdinalIgnoreCase)))
                {
                    ApplyOption(context, key, value);
                }
            }

            context.Seen.Clear();
        }

        foreach (var (key, value) in parts.Options)
        {
            ApplyOption(context, key, value);
        }

        Validate(context);
        Warnings = context.Warnings;
        _redacted = parts.BuildRedacted(srv?.Seeds);
        if (parseOptions.Logger is { } logger)
        {
            foreach (string warning in context.Warnings)
            {
                ConfigurationLog.ConnectionStringWarning(logger, warning);
            }
        }
    }

    /// <summary>Seeds and TXT options found by SRV resolution.</summary>
    internal sealed record SrvInput(IReadOnlyList<MongoServerAddress> Seeds, IReadOnlyList<KeyValuePair<string, string>> TxtOptions);

    /// <summary>Rebuilds this <c>mongodb+srv</c> URL with the seeds and TXT options from DNS, and validates the result.</summary>
    internal MongoUrl WithSrvResolution(IReadOnlyList<MongoServerAddress> seeds, IReadOnlyList<KeyValuePair<string, string>> txtOptions,
        MongoUrlParseOptions? parseOptions = null) =>
        new(_parts, parseOptions ?? MongoUrlParseOptions.Default, new SrvInput(seeds, txtOptions));

    internal sealed class OptionContext(MongoUrlParseOptions options)
    {
        public MongoUrlParseOptions ParseOptions { get; } = options;

        public List<string> Warnings { get; } = [];

        public HashSet<string> Seen { get; } = new(StringComparer.Ordinal);

        public HashSet<string> Present { get; } = new(StringComparer.Ordinal);

        public List<bool> TlsValues { get; } = [];

        public List<TagSet> Tags { get; } = [];

        public string? DeprecatedWTimeout { get; set; }

        public string? GssapiServiceName { get; set; }

        public string? ReadPreferenceText { get; set; }

        /// <summary>Reports an invalid value: a warning in lenient mode, else an exception naming the option.</summary>
        public void Invalid(string key, string value, string expected)
        {
            // Secrets are never echoed.
            string shown = IsSensitiveOption(key) ? Redacted : value;
            string message = $"Invalid value for option '{key}': '{shown}' ({expected}).";
            if (!ParseOptions.IgnoreInvalidValues)
            {
                throw new MongoConfigurationException(message);
            }

            Warnings.Add(message + " The option is ignored.");
        }
    }

    private void ApplyOption(OptionContext c, string rawKey, string value)
    {
        // Keys are normalised by lower-casing ASCII letters only (connection-string spec, "Keys").
        string key = LowerAscii(rawKey);
        c.Present.Add(key);
        bool repeated = !c.Seen.Add(key);
        OptionDescriptor? option = FindOption(key);
        if (option is null)
        {
            c.Present.Remove(key);
            c.Warnings.Add($"Unsupported option '{rawKey}'; it is ignored.");
            return;
        }

        if (repeated && option.RepeatIsError)
        {
            throw new MongoConfigurationException($"Invalid connection string: the option '{rawKey}' is given more than once.");
        }

        if (repeated && !option.Repeatable)
        {
            c.Warnings.Add($"The option '{rawKey}' is given more than once; the last value is used.");
        }

        option.Parse(this, c, key, value);
    }

    private static string LowerAscii(string key)
    {
        foreach (char ch in key)
        {
            if (ch is >= 'A' and <= 'Z')
            {
                return string.Create(key.Length, key, static (span, k) =>
                {
                    for (int i = 0; i < k.Length; i++)
                    {
                        span[i] = k[i] is >= 'A' and <= 'Z' ? (char)(k[i] + 32) : k[i];
                    }
                });
            }
        }

        return key;
    }

    private static bool? Bool(OptionContext c, string key, string value)
    {
        if (value.Length == 0)
        {
            c.Warnings.Add($"The option '{key}' has an empty value; it is ignored.");
            return null;
        }

        if (value.Equals("true", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        if (value.Equals("false", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        // Legacy spellings are accepted with a deprecation warning (connection-string spec, "Values").
        bool? legacy = value.ToLowerInvariant() switch
        {
            "1" or "yes" or "y" or "t" => true,
            "0" or "-1" or "no" or "n" or "f" => false,
            _ => null,
        };
        if (legacy is { } b)
        {
            c.Warnings.Add($"Deprecated boolean value for '{key}': '{value}'; use '{key}={(b ? "true" : "false")}'.");
            return b;
        }

        c.Invalid(key, value, "expected true or false");
        return null;
    }

    /// <summary>A boolean without legacy spellings (loadBalanced is newer than them).</summary>
    private static bool? StrictBool(OptionContext c, string key, string value)
    {
        if (value.Equals("true", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        if (value.Equals("false", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        if (value.Length == 0)
        {
            c.Warnings.Add($"The option '{key}' has an empty value; it is ignored.");
            return null;
        }

        c.Invalid(key, value, "expected true or false");
        return null;
    }

    private static long? Long(OptionContext c, string key, string value, long min, long max)
    {
        if (value.Length == 0)
        {
            c.Warnings.Add($"The option '{key}' has an empty value; it is ignored.");
            return null;
        }

        if (!long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long n))
        {
            c.Invalid(key, value, "expected an integer");
            return null;
        }

        if (n < min || n > max)
        {
            c.Invalid(key, value, max == int.MaxValue || max == long.MaxValue
                ? string.Create(CultureInfo.InvariantCulture, $"must be at least {min}")
                : string.Create(CultureInfo.InvariantCulture, $"must be between {min} and {max}"));
            return null;
        }

        return n;
    }

    private static int? Int(OptionContext c, string key, string value, int min, int max) => (int?)Long(c, key, value, min, max);

    private static TimeSpan? Millis(OptionContext c, string key, string value, int min, bool allowInt64 = false) =>
        Long(c, key, value, min, allowInt64 ? long.MaxValue / TimeSpan.TicksPerMillisecond : int.MaxValue) is { } ms
            ? TimeSpan.FromMilliseconds(ms)
            : null;

    private static string? NonEmpty(OptionContext c, string key, string value)
    {
        if (value.Length > 0)
        {
            return value;
        }

        c.Warnings.Add($"The option '{key}' has an empty value; it is ignored.");
        return null;
    }
}
