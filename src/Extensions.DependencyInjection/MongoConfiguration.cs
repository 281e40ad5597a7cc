using System.Globalization;
using Microsoft.Extensions.Configuration;
using Mongo.Driver;

namespace Mongo.Extensions.DependencyInjection;

/// <summary>
/// Reads client settings from configuration by hand, key by key, so that nothing is bound by reflection (trimmed and
/// NativeAOT apps stay warning-free). The connection string comes from <c>ConnectionStrings:{name}</c>, or else from the
/// section's <c>ConnectionString</c> key; the section's other keys override what the connection string says:
/// <c>ApplicationName</c>, <c>DefaultDatabase</c>, <c>ReplicaSetName</c> (strings); <c>MaxPoolSize</c>,
/// <c>MinPoolSize</c>, <c>MaxConnecting</c> (integers); <c>ConnectTimeout</c>, <c>ServerSelectionTimeout</c>,
/// <c>SocketTimeout</c>, <c>Timeout</c>, <c>WaitQueueTimeout</c>, <c>MaxIdleTime</c>, <c>HeartbeatFrequency</c>
/// (<see cref="TimeSpan"/> text such as <c>00:00:05</c>); <c>RetryReads</c>, <c>RetryWrites</c>,
/// <c>DirectConnection</c>, <c>UseTls</c> (booleans).
/// </summary>
/// <remarks>
/// A key this reader does not know throws, naming it, rather than being ignored: a misspelt option would otherwise
/// leave the default in force without a word. Sub-sections are skipped (they hold keyed clients' options,
/// <c>Mongo:orders:...</c>).
/// </remarks>
public static class MongoConfiguration
{
    /// <summary>The default name under <c>ConnectionStrings</c>: <c>mongo</c>.</summary>
    public const string DefaultConnectionName = "mongo";

    /// <summary>The default options section: <c>Mongo</c>.</summary>
    public const string DefaultSectionName = "Mongo";

    private static readonly Dictionary<string, Action<MongoClientSettings, string>> s_options = new(StringComparer.OrdinalIgnoreCase)
    {
        ["ApplicationName"] = (s, v) => s.ApplicationName = v,
        ["DefaultDatabase"] = (s, v) => s.DefaultDatabase = v,
        ["ReplicaSetName"] = (s, v) => s.ReplicaSetName = v,
        ["MaxPoolSize"] = (s, v) => s.MaxPoolSize = ParseInt(v),
        ["MinPoolSize"] = (s, v) => s.MinPoolSize = ParseInt(v),
        ["MaxConnecting"] = (s, v) => s.MaxConnecting = ParseInt(v),
        ["ConnectTimeout"] = (s, v) => s.ConnectTimeout = ParseTimeSpan(v),
        ["ServerSelectionTimeout"] = (s, v) => s.ServerSelectionTimeout = ParseTimeSpan(v),
        ["SocketTimeout"] = (s, v) => s.SocketTimeout = ParseTimeSpan(v),
        ["Timeout"] = (s, v) => s.Timeout = ParseTimeSpan(v),
        ["WaitQueueTimeout"] = (s, v) => s.WaitQueueTimeout = ParseTimeSpan(v),
        ["MaxIdleTime"] = (s, v) => s.MaxIdleTime = ParseTimeSpan(v),
        ["HeartbeatFrequency"] = (s, v) => s.HeartbeatFrequency = ParseTimeSpan(v),
        ["RetryReads"] = (s, v) => s.RetryReads = ParseBool(v),
        ["RetryWrites"] = (s, v) => s.RetryWrites = ParseBool(v),
        ["DirectConnection"] = (s, v) => s.DirectConnection = ParseBool(v),
        ["UseTls"] = (s, v) => s.UseTls = ParseBool(v),
    };

    /// <summary>Builds client settings from configuration (see the class remarks for the keys).</summary>
    /// <param name="configuration">The configuration root, or any section holding <c>ConnectionStrings</c> and the options section.</param>
    /// <param name="connectionName">The name under <c>ConnectionStrings</c>.</param>
    /// <param name="sectionName">The options section (it may be absent).</param>
    /// <returns>New settings; the caller may change them further.</returns>
    /// <exception cref="MongoConfigurationException">No connection string in either place, a malformed connection
    /// string, an unknown key, or a value that does not parse or is out of range; the message names the key.</exception>
    public static MongoClientSettings ReadSettings(IConfiguration configuration, string connectionName = DefaultConnectionName, string sectionName = DefaultSectionName)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentException.ThrowIfNullOrEmpty(connectionName);
        ArgumentException.ThrowIfNullOrEmpty(sectionName);
        var section = configuration.GetSection(sectionName);
        string? connectionString = configuration.GetConnectionString(connectionName);
        string source = "ConnectionStrings:" + connectionName;
        if (string.IsNullOrEmpty(connectionString))
        {
            connectionString = section["ConnectionString"];
            source = sectionName + ":ConnectionString";
        }

        if (string.IsNullOrEmpty(connectionString))
        {
            throw new MongoConfigurationException("No MongoDB connection string in configuration: set ConnectionStrings:" + connectionName
                + " or " + sectionName + ":ConnectionString.");
        }

        MongoClientSettings settings;
        try
        {
            settings = MongoClientSettings.FromConnectionString(connectionString);
        }
        catch (MongoConfigurationException e)
        {
            // The message must not repeat the connection string: it may hold a password.
            throw new MongoConfigurationException("The connection string in " + source + " is not valid: " + e.Message, e);
        }

        foreach (var child in section.GetChildren())
        {
            if (child.Value is null || string.Equals(child.Key, "ConnectionString", StringComparison.OrdinalIgnoreCase))
            {
                continue; // a sub-section (a keyed client's options), or the connection string read above
            }

            string path = sectionName + ":" + child.Key;
            if (!s_options.TryGetValue(child.Key, out var apply))
            {
                throw new MongoConfigurationException("Unknown MongoDB option '" + path + "'; known options: ConnectionString, "
                    + string.Join(", ", s_options.Keys) + ".");
            }

            try
            {
                apply(settings, child.Value);
            }
            catch (Exception e) when (e is FormatException or OverflowException or ArgumentException or MongoConfigurationException)
            {
                throw new MongoConfigurationException("The MongoDB option '" + path + "' has an invalid value '" + child.Value + "': " + e.Message, e);
            }
        }

        return settings;
    }

    private static int ParseInt(string value) => int.Parse(value, NumberStyles.Integer, CultureInfo.InvariantCulture);

    private static TimeSpan ParseTimeSpan(string value) => TimeSpan.Parse(value, CultureInfo.InvariantCulture);

    private static bool ParseBool(string value) => bool.Parse(value);
}
