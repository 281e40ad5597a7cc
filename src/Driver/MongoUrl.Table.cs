namespace Mongo.Driver;

public sealed partial class MongoUrl
{
    /// <summary>
    /// One connection-string option, defined once: its name and aliases, how a value is parsed and checked into a
    /// <see cref="MongoUrl"/>, how the parsed value reaches <see cref="MongoClientSettings"/>, how settings render it back
    /// (for <see cref="MongoClientSettings.ToString"/> and connection strings built from settings), and whether its value
    /// is a secret that is never echoed (errors, redacted strings). Options combined into one settings object
    /// (credential, read and write concern, read preference) render from that object and leave the mapping to
    /// <see cref="MongoClientSettings.FromUrl"/>, which builds it.
    /// </summary>
    internal sealed class OptionDescriptor
    {
        public OptionDescriptor(string name, Action<MongoUrl, OptionContext, string, string> parse)
        {
            Name = name;
            Parse = parse;
        }

        /// <summary>The canonical spelling (uri-options spec).</summary>
        public string Name { get; }

        /// <summary>Other accepted names (e.g. <c>ssl</c> for <c>tls</c>).</summary>
        public string[] Aliases { get; init; } = [];

        /// <summary>Parses and checks a value (key lower-cased as given, value decoded) into the URL being built.</summary>
        public Action<MongoUrl, OptionContext, string, string> Parse { get; }

        /// <summary>Copies the parsed value onto settings; null when the value reaches them through a combined object.</summary>
        public Action<MongoUrl, MongoClientSettings>? ToSettings { get; init; }

        /// <summary>The values these settings give the option (none when it is the default); null for deprecated forms.</summary>
        public Func<MongoClientSettings, IEnumerable<string>>? Render { get; init; }

        /// <summary>For a deprecated form: the option that renders its value instead.</summary>
        public string? RenderedAs { get; init; }

        /// <summary>Whether the value is a secret: never echoed in errors, <c>ToString</c> or logs.</summary>
        public bool Sensitive { get; init; }

        /// <summary>Whether giving it twice is an error (proxy options) rather than a warning that the last wins.</summary>
        public bool RepeatIsError { get; init; }

        /// <summary>Whether it may be given several times without a warning (each occurrence counts).</summary>
        public bool Repeatable { get; init; }

        /// <summary>Whether a mongodb+srv TXT record may give it (initial-dns-seedlist-discovery spec).</summary>
        public bool AllowedInTxt { get; init; }

        /// <summary>Who reads the setting (checked by a test against what the topology receives).</summary>
        public OptionUse Use { get; init; } = OptionUse.Topology;
    }

    /// <summary>Where an option's setting takes effect.</summary>
    internal enum OptionUse
    {
        /// <summary>The cluster, its pools or its connections (through <c>ClusterSettings.From</c>).</summary>
        Topology,

        /// <summary>The client, databases, collections or operations (concerns, read preference, retries, timeoutMS).</summary>
        Client,

        /// <summary>mongodb+srv resolution and polling.</summary>
        Srv,

        /// <summary>Accepted and kept in the settings, but nothing reads it yet (listed in the README's known gaps).</summary>
        NotRead,

        /// <summary>Parsed, but a client refuses settings that use it rather than silently ignore it.</summary>
        NotImplemented,
    }

    /// <summary>Every option this driver understands, in the order settings render them.</summary>
    internal static IReadOnlyList<OptionDescriptor> OptionTable => OptionTables.All;

    /// <summary>The option a (lower-cased) key names, by canonical name or alias, or null for an unknown key.</summary>
    internal static OptionDescriptor? FindOption(string key) =>
        OptionTables.ByKey.TryGetValue(LowerAscii(key), out OptionDescriptor? option) ? option : null;

    /// <summary>Whether a key names an option whose value is a secret.</summary>
    internal static bool IsSensitiveOption(string key) => FindOption(key)?.Sensitive == true;

    /// <summary>Holds the table so that the lookup is built after it (static initialisers of one class run in file order).</summary>
    private static class OptionTables
    {
        public static readonly OptionDescriptor[] All = BuildOptionTable();

        public static readonly Dictionary<string, OptionDescriptor> ByKey = BuildLookup();

        public static readonly string[] TxtAllowed = [.. All.Where(o => o.AllowedInTxt).Select(o => LowerAscii(o.Name))];

        private static Dictionary<string, OptionDescriptor> BuildLookup()
        {
            var byKey = new Dictionary<string, OptionDescriptor>(StringComparer.Ordinal);
            foreach (OptionDescriptor option in All)
            {
                byKey.Add(LowerAscii(option.Name), option);
                foreach (string alias in option.Aliases)
                {
                    byKey.Add(LowerAscii(alias), option);
                }
            }

            return byKey;
        }
    }
}
