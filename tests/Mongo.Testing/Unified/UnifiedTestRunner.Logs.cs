using Microsoft.Extensions.Logging;
using Mongo.Bson;
using Mongo.Driver;
using Mongo.Driver.Diagnostics;
using Mongo.Testing.Monitoring;

namespace Mongo.Testing.Unified;

/// <summary>
/// Log message expectations (observeLogMessages on a client, expectLogMessages on a test): each client gets its own
/// <see cref="LogCapture"/> through <see cref="MongoClientSettings.LoggerFactory"/>, so messages belong to one client
/// entity, and the structured fields of each message are matched as a root-level document.
/// </summary>
public sealed partial class UnifiedTestRunner
{
    private static readonly Dictionary<string, string> s_logComponents = new(StringComparer.Ordinal)
    {
        ["command"] = EventPublisher.CommandCategory,
        ["topology"] = EventPublisher.TopologyCategory,
        ["serverSelection"] = EventPublisher.ServerSelectionCategory,
        ["connection"] = EventPublisher.ConnectionCategory,
    };

    /// <summary>Installs a log collector for the components and minimum levels the client entity observes; null when it observes none.</summary>
    private static LogCapture? ObserveLogMessages(MongoClientSettings settings, BsonDocument? observe)
    {
        if (observe is null)
        {
            return null;
        }

        var levels = new Dictionary<string, LogLevel>(StringComparer.Ordinal);
        foreach (var element in observe)
        {
            var level = ParseLogLevel(element.Value.AsString);
            if (element.Name == "all")
            {
                foreach (var category in s_logComponents.Values)
                {
                    levels[category] = level;
                }
            }
            else
            {
                levels[s_logComponents.TryGetValue(element.Name, out var category) ? category : throw new UnifiedAssertionException("Unknown log component " + element.Name)] = level;
            }
        }

        var capture = new LogCapture(category => levels.TryGetValue(category, out var level) ? level : LogLevel.None);
        settings.LoggerFactory = capture;

        // Tests match logged documents with $$matchAsDocument, which must parse them: a replica-set member's hello reply
        // (hosts, lastWrite, $clusterTime) is longer than the default 1000-character limit, and a truncated document is
        // not JSON. The limit is the driver's documented knob (truncation itself is unit-tested with the default).
        settings.MaxLoggedDocumentLength ??= 100_000;
        return capture;
    }

    /// <summary>The logging spec's severity names, mapped onto Microsoft.Extensions.Logging levels.</summary>
    private static LogLevel ParseLogLevel(string level) => level switch
    {
        "off" => LogLevel.None,
        "emergency" or "alert" or "critical" => LogLevel.Critical,
        "error" => LogLevel.Error,
        "warn" or "warning" => LogLevel.Warning,
        "notice" or "info" or "informational" => LogLevel.Information,
        "debug" => LogLevel.Debug,
        "trace" => LogLevel.Trace,
        _ => throw new UnifiedAssertionException("Unknown log level " + level),
    };

    private void CheckLogMessages(BsonArray expectations)
    {
        foreach (var item in expectations)
        {
            var expectation = item.AsDocument;
            CheckArguments(expectation, "client", "messages", "ignoreMessages", "ignoreExtraMessages");
            var clientId = expectation["client"].AsString;
            var logs = _clients[clientId].Logs ?? throw new UnifiedAssertionException($"expectLogMessages: client {clientId} observes no log messages");
            var ignore = (expectation.GetValueOrDefault("ignoreMessages") as BsonArray ?? []).Select(m => m.AsDocument).ToList();
            var actual = logs.Logs.Where(log => !ignore.Any(i => LogMismatch(i, log) is null)).ToList();
            var expected = expectation["messages"].AsArray;
            bool ignoreExtra = expectation.GetValueOrDefault("ignoreExtraMessages")?.ToBoolean() ?? false;
            if (ignoreExtra ? actual.Count < expected.Count : actual.Count != expected.Count)
            {
                throw new UnifiedAssertionException($"expected {expected.Count} log messages for {clientId}, got {actual.Count}: " + string.Join(" | ", actual.Select(Describe)));
            }

            for (int i = 0; i < expected.Count; i++)
            {
                if (LogMismatch(expected[i].AsDocument, actual[i]) is { } failure)
                {
                    throw new UnifiedAssertionException($"log message {i}: {failure} | expected {expected[i]} | actual {Describe(actual[i])}");
                }
            }
        }
    }

    /// <summary>Null when the captured message matches the expected one (level, component, data as a root document, failure redaction).</summary>
    private string? LogMismatch(BsonDocument expected, CapturedLog actual)
    {
        CheckArguments(expected, "level", "component", "data", "failureIsRedacted");
        var component = expected["component"].AsString;
        if (!s_logComponents.TryGetValue(component, out var category))
        {
            throw new UnifiedAssertionException("Unknown log component " + component);
        }

        if (category != actual.Category)
        {
            return $"component: expected {component}, got {actual.Category}";
        }

        var level = ParseLogLevel(expected["level"].AsString);
        if (level != actual.Level)
        {
            return $"level: expected {expected["level"]}, got {actual.Level}";
        }

        var data = LogData(actual);
        if (_matcher.Match(expected["data"], data, isRoot: true, "data") is { } failure)
        {
            return failure;
        }

        if (expected.GetValueOrDefault("failureIsRedacted") is { } redacted)
        {
            // The driver redacts a sensitive command's server error to its code, code name and labels, and says so.
            if (data.GetValueOrDefault("failure") is not BsonString text)
            {
                return "failureIsRedacted: the message has no failure";
            }

            if (text.Value.Contains("details redacted", StringComparison.Ordinal) != redacted.ToBoolean())
            {
                return $"failureIsRedacted {redacted}: failure is '{text.Value}'";
            }
        }

        return null;
    }

    /// <summary>A message's structured fields as a document (strings, numbers, booleans as BSON; anything else as its text).</summary>
    private static BsonDocument LogData(CapturedLog log)
    {
        var data = new BsonDocument();
        foreach (var (key, value) in log.Fields)
        {
            data.Set(key, value switch
            {
                null => BsonNull.Value,
                string s => new BsonString(s),
                int i => new BsonInt32(i),
                long l => new BsonInt64(l),
                double d => new BsonDouble(d),
                bool b => b ? BsonBoolean.True : BsonBoolean.False,
                _ => new BsonString(Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) ?? ""),
            });
        }

        return data;
    }

    private static string Describe(CapturedLog log) => log.Category + "/" + log.Level + " " + LogData(log);
}
