using Mongo.Bson;

namespace Mongo.Testing.Unified;

/// <summary>
/// The unified test format's matching rules: root documents may have extra fields, embedded ones may not
/// (unless <c>$$matchAsRoot</c>); numbers compare by value across int/long/double; arrays match element-wise;
/// special operators <c>$$exists</c>, <c>$$type</c>, <c>$$unsetOrMatches</c>, <c>$$matchesEntity</c>,
/// <c>$$matchesHexBytes</c>, <c>$$sessionLsid</c>, <c>$$lte</c>, <c>$$matchAsDocument</c>, <c>$$matchAsRoot</c>.
/// </summary>
public sealed class UnifiedMatcher
{
    private readonly Func<string, BsonValue?> _entity;

    /// <summary>Creates a matcher that resolves <c>$$matchesEntity</c> through <paramref name="entity"/>.</summary>
    public UnifiedMatcher(Func<string, BsonValue?> entity) => _entity = entity;

    /// <summary>Throws <see cref="UnifiedAssertionException"/> when <paramref name="actual"/> does not match.</summary>
    public void AssertMatches(BsonValue expected, BsonValue? actual, bool isRoot = true, string path = "")
    {
        var failure = Match(expected, actual, isRoot, path);
        if (failure is not null)
        {
            throw new UnifiedAssertionException(failure + " | expected " + Show(expected) + " | actual " + Show(actual));
        }
    }

    /// <summary>Null when it matches, otherwise the reason.</summary>
    public string? Match(BsonValue expected, BsonValue? actual, bool isRoot, string path)
    {
        if (expected is BsonDocument expectedDocument && expectedDocument.ElementCount == 1 && expectedDocument.GetElement(0).Name.StartsWith("$$", StringComparison.Ordinal))
        {
            return MatchOperator(expectedDocument.GetElement(0), actual, isRoot, path);
        }

        if (actual is null)
        {
            return $"{Where(path)}: missing";
        }

        switch (expected)
        {
            case BsonDocument document:
                if (actual is not BsonDocument actualDocument)
                {
                    return $"{Where(path)}: expected a document, got {actual.BsonType}";
                }

                foreach (var element in document)
                {
                    var childPath = path.Length == 0 ? element.Name : path + "." + element.Name;
                    actualDocument.TryGetValue(element.Name, out var actualValue);
                    var failure = Match(element.Value, actualValue, isRoot: false, childPath);
                    if (failure is not null)
                    {
                        return failure;
                    }
                }

                if (!isRoot)
                {
                    foreach (var element in actualDocument)
                    {
                        if (!document.Contains(element.Name))
                        {
                            return $"{Where(path)}: unexpected field '{element.Name}'";
                        }
                    }
                }

                return null;
            case BsonArray array:
                if (actual is not BsonArray actualArray)
                {
                    return $"{Where(path)}: expected an array, got {actual.BsonType}";
                }

                if (array.Count != actualArray.Count)
                {
                    return $"{Where(path)}: expected {array.Count} elements, got {actualArray.Count}";
                }

                for (int i = 0; i < array.Count; i++)
                {
                    var failure = Match(array[i], actualArray[i], isRoot: false, path + "." + i);
                    if (failure is not null)
                    {
                        return failure;
                    }
                }

                return null;
            default:
                if (expected.IsNumeric && actual.IsNumeric)
                {
                    bool integral = expected.BsonType is BsonType.Int32 or BsonType.Int64 && actual.BsonType is BsonType.Int32 or BsonType.Int64;
                    bool same = integral ? expected.ToInt64() == actual.ToInt64() : expected.ToDouble().Equals(actual.ToDouble());
                    return same ? null : $"{Where(path)}: expected {expected}, got {actual}";
                }

                return expected.Equals(actual) ? null : $"{Where(path)}: expected {Show(expected)}, got {Show(actual)}";
        }
    }

    private string? MatchOperator(BsonElement op, BsonValue? actual, bool isRoot, string path)
    {
        switch (op.Name)
        {
            case "$$exists":
                return op.Value.ToBoolean() == (actual is not null) ? null : $"{Where(path)}: $$exists {op.Value} failed";
            case "$$type":
                if (actual is null)
                {
                    return $"{Where(path)}: missing ($$type)";
                }

                var types = op.Value is BsonArray list ? list.Select(t => t.AsString) : [op.Value.AsString];
                return types.Any(t => TypeMatches(t, actual)) ? null : $"{Where(path)}: type {actual.BsonType} is not {op.Value}";
            case "$$unsetOrMatches":
                return actual is null ? null : Match(op.Value, actual, isRoot, path);
            case "$$matchesEntity":
                var entity = _entity(op.Value.AsString) ?? throw new UnifiedAssertionException("Unknown entity " + op.Value);
                return Match(entity, actual, isRoot, path);
            case "$$matchesHexBytes":
                if (actual is not BsonBinaryData binary)
                {
                    return $"{Where(path)}: expected binary";
                }

                return string.Equals(Convert.ToHexString(binary.Bytes), op.Value.AsString, StringComparison.OrdinalIgnoreCase) ? null : $"{Where(path)}: bytes differ";
            case "$$sessionLsid":
                // The entity resolver gives a session entity's lsid document; the command's lsid must be exactly it.
                return _entity(op.Value.AsString) is not BsonDocument lsid ? $"{Where(path)}: unknown session entity {op.Value}"
                    : actual is null ? $"{Where(path)}: missing lsid"
                    : lsid.Equals(actual) ? null : $"{Where(path)}: lsid {actual} is not session {op.Value}'s {lsid}";
            case "$$lte":
                return actual is not null && actual.IsNumeric && actual.ToDouble() <= op.Value.ToDouble() ? null : $"{Where(path)}: {actual} is not <= {op.Value}";
            case "$$matchAsDocument":
                if (actual is not BsonString json)
                {
                    return $"{Where(path)}: $$matchAsDocument needs a string";
                }

                return Match(op.Value, BsonDocument.Parse(json.Value), isRoot: false, path);
            case "$$matchAsRoot":
                return Match(op.Value, actual, isRoot: true, path);
            default:
                throw new UnifiedAssertionException("Unsupported matching operator " + op.Name);
        }
    }

    private static bool TypeMatches(string alias, BsonValue value) => alias switch
    {
        "double" => value.BsonType == BsonType.Double,
        "string" => value.BsonType == BsonType.String,
        "object" => value.BsonType == BsonType.Document,
        "array" => value.BsonType == BsonType.Array,
        "binData" => value.BsonType == BsonType.Binary,
        "undefined" => value.BsonType == BsonType.Undefined,
        "objectId" => value.BsonType == BsonType.ObjectId,
        "bool" => value.BsonType == BsonType.Boolean,
        "date" => value.BsonType == BsonType.DateTime,
        "null" => value.BsonType == BsonType.Null,
        "regex" => value.BsonType == BsonType.RegularExpression,
        "dbPointer" => value.BsonType == BsonType.DBPointer,
        "javascript" => value.BsonType == BsonType.JavaScript,
        "symbol" => value.BsonType == BsonType.Symbol,
        "javascriptWithScope" => value.BsonType == BsonType.JavaScriptWithScope,
        "int" => value.BsonType == BsonType.Int32,
        "timestamp" => value.BsonType == BsonType.Timestamp,
        "long" => value.BsonType == BsonType.Int64,
        "decimal" => value.BsonType == BsonType.Decimal128,
        "minKey" => value.BsonType == BsonType.MinKey,
        "maxKey" => value.BsonType == BsonType.MaxKey,
        "number" => value.IsNumeric,
        _ => throw new UnifiedAssertionException("Unknown $$type alias " + alias),
    };

    private static string Where(string path) => path.Length == 0 ? "(root)" : path;

    private static string Show(BsonValue? value)
    {
        if (value is null)
        {
            return "(missing)";
        }

        var text = value.ToString() ?? "";
        return text.Length > 400 ? text[..400] + "..." : text;
    }
}

/// <summary>A unified-test expectation did not hold.</summary>
public sealed class UnifiedAssertionException(string message) : Exception(message);

/// <summary>A unified test cannot run here (with the reason).</summary>
public class UnifiedSkipException(string reason) : Exception(reason);

/// <summary>
/// A skip because the deployment (topology, authentication) is not one the test asks for, while everything else (server
/// version, parameters) is met: the same server in another deployment could run it.
/// </summary>
public sealed class UnifiedDeploymentSkipException(string reason, IReadOnlyList<(IReadOnlyCollection<string> Topologies, bool Auth)> deployments) : UnifiedSkipException(reason)
{
    /// <summary>The deployments some requirement would accept: its topologies and whether it needs authentication.</summary>
    public IReadOnlyList<(IReadOnlyCollection<string> Topologies, bool Auth)> Deployments { get; } = deployments;
}
