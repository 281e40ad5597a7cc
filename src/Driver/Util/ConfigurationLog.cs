using Microsoft.Extensions.Logging;

namespace Mongo.Driver.Util;

/// <summary>Log messages of connection-string parsing and SRV resolution.</summary>
internal static partial class ConfigurationLog
{
    /// <summary>The logger category of these messages (from <see cref="MongoClientSettings.LoggerFactory"/>).</summary>
    public const string Category = "Mongo.Driver.Configuration";

    /// <summary>Logs a parsed connection string's warnings through the client's logger factory.</summary>
    public static void LogConnectionStringWarnings(MongoClientSettings settings)
    {
        if (settings.LoggerFactory is null || settings.ConnectionStringWarnings.Count == 0)
        {
            return;
        }

        ILogger logger = settings.LoggerFactory.CreateLogger(Category);
        foreach (string warning in settings.ConnectionStringWarnings)
        {
            ConnectionStringWarning(logger, warning);
        }
    }

    [LoggerMessage(EventId = 1001, Level = LogLevel.Warning, Message = "Connection string: {Warning}")]
    public static partial void ConnectionStringWarning(ILogger logger, string warning);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Warning, Message = "SRV polling of '{Host}': {Reason}")]
    public static partial void SrvPollingProblem(ILogger logger, string host, string reason);

    [LoggerMessage(EventId = 1004, Level = LogLevel.Warning, Message = "SRV resolution of '{Host}' failed: {Reason}")]
    public static partial void SrvResolutionFailed(ILogger logger, string host, string reason);

    [LoggerMessage(EventId = 1003, Level = LogLevel.Debug, Message = "SRV polling of '{Host}' found {Count} host(s); next scan in {Interval}")]
    public static partial void SrvPollingResult(ILogger logger, string host, int count, TimeSpan interval);
}
