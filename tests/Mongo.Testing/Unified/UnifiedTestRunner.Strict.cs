using Mongo.Bson;
using Mongo.Driver;

namespace Mongo.Testing.Unified;

/// <summary>
/// The checks that keep a unified test from passing vacuously: every key of the file, of each entity, operation and
/// expectation must be one the runner implements (an unknown one fails the test, naming it), and the file's
/// schemaVersion must be well formed and one the runner knows.
/// </summary>
public sealed partial class UnifiedTestRunner
{
    /// <summary>The newest unified format schema version whose keys this runner knows (1.0 up to this).</summary>
    internal static readonly Version NewestSchemaVersion = new(1, 27);

    private static readonly HashSet<string> s_fileKeys = new(StringComparer.Ordinal)
    {
        "description", "schemaVersion", "runOnRequirements", "createEntities", "initialData", "tests", "_yamlAnchors",
    };

    private static readonly HashSet<string> s_operationKeys = new(StringComparer.Ordinal)
    {
        "name", "object", "arguments", "expectError", "expectResult", "saveResultAsEntity", "ignoreResultAndError",
    };

    private static readonly Dictionary<string, string[]> s_entityKeys = new(StringComparer.Ordinal)
    {
        ["database"] = ["id", "client", "databaseName", "databaseOptions"],
        ["collection"] = ["id", "database", "collectionName", "collectionOptions"],
        ["session"] = ["id", "client", "sessionOptions"],
        ["bucket"] = ["id", "database", "bucketOptions"],
        ["thread"] = ["id"],
    };

    private static readonly HashSet<string> s_requirementKeys = new(StringComparer.Ordinal)
    {
        "minServerVersion", "maxServerVersion", "topologies", "serverless", "serverParameters", "auth", "authMechanism", "csfle",
    };

    /// <summary>
    /// Parses schemaVersion ("1", "1.2", "1.2.3"): a malformed value, another major version, or a minor version newer
    /// than <see cref="NewestSchemaVersion"/> is an error, never a silent run with features the runner may not know.
    /// </summary>
    internal static void CheckSchemaVersion(BsonValue? value)
    {
        if (value is not BsonString { Value: var text })
        {
            throw new UnifiedAssertionException("schemaVersion is " + (value is null ? "missing" : "not a string: " + value) + " (the unified format requires one)");
        }

        var parts = text.Split('.');
        if (parts.Length is < 1 or > 3 || parts.Any(p => p.Length == 0 || !p.All(char.IsAsciiDigit)))
        {
            throw new UnifiedAssertionException("schemaVersion '" + text + "' is malformed (expected major[.minor[.patch]])");
        }

        int major = int.Parse(parts[0], System.Globalization.CultureInfo.InvariantCulture);
        int minor = parts.Length > 1 ? int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture) : 0;
        if (major != NewestSchemaVersion.Major || minor > NewestSchemaVersion.Minor)
        {
            throw new UnifiedAssertionException($"schemaVersion {text} is not supported: this runner implements 1.0 to {NewestSchemaVersion.Major}.{NewestSchemaVersion.Minor}");
        }
    }

    /// <summary>Fails on a top-level file key the runner does not implement.</summary>
    internal static void CheckFileKeys(BsonDocument file) => CheckKeys(file, s_fileKeys, "test file field");

    /// <summary>Fails on an operation key the runner does not implement.</summary>
    private static void CheckOperationKeys(BsonDocument operation) => CheckKeys(operation, s_operationKeys, "operation field");

    /// <summary>Fails on an entity field the runner does not implement (client fields have their own check).</summary>
    private static void CheckEntityKeys(string kind, BsonDocument spec)
    {
        if (s_entityKeys.TryGetValue(kind, out var known))
        {
            CheckKeys(spec, known, kind + " entity field");
        }
    }

    /// <summary>Fails on a runOnRequirements key the runner does not evaluate (it would otherwise count as met).</summary>
    internal static void CheckRequirementKeys(BsonArray? requirements)
    {
        foreach (var requirement in requirements ?? [])
        {
            CheckKeys(requirement.AsDocument, s_requirementKeys, "runOnRequirements field");
        }
    }

    private static void CheckKeys(BsonDocument document, IEnumerable<string> known, string what)
    {
        var set = known as ISet<string> ?? new HashSet<string>(known, StringComparer.Ordinal);
        foreach (var key in document.Names)
        {
            if (!set.Contains(key))
            {
                throw new UnifiedAssertionException("Unsupported " + what + " '" + key + "'");
            }
        }
    }

    /// <summary>
    /// The server reply an error carries: the exception's own, or that of an exception it wraps (a retry's last error,
    /// a transaction helper's cause). Null when none in the chain carries one.
    /// </summary>
    internal static BsonDocument? ServerReplyOf(Exception error)
    {
        for (Exception? e = error; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case MongoCommandException command:
                    return command.Reply;
                case MongoWriteConcernException { Reply: { } reply }:
                    return reply;
                case ClientBulkWriteException { Error: { } inner } when !ReferenceEquals(inner, e):
                    if (ServerReplyOf(inner) is { } wrapped)
                    {
                        return wrapped;
                    }

                    break;
            }
        }

        return null;
    }
}
