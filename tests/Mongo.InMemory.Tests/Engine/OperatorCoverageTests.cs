using System.Text.RegularExpressions;
using MongoDB.Driver;
using Xunit;
using Xunit.Abstractions;
using O = MongoDB.Bson;

namespace Mongo.InMemory.Tests.Engine;

/// <summary>
/// Issue 15's check: every operator of MongoDB 8.0's reference (<see cref="OperatorCoverageTable"/>) either works in
/// Mongo.InMemory or is named in README's one list "What Mongo.InMemory does not provide". An operator fails the check
/// when Mongo.InMemory answers that it does not know it (168, 40324, 15952, "Unrecognized...", "unknown operator") or
/// that it does not provide it (NotImplemented 238, "not supported by Mongo.InMemory") and README does not name it.
/// Other errors (mongod's own answers for a context, such as 40573 for $changeStream on a standalone) count as known.
/// </summary>
public sealed class OperatorCoverageTests(ITestOutputHelper output) : OfficialDriverTestBase
{
    private const string Document = "{_id: 1, x: 1, arr: [1, 2], s: 'hello world', o: {a: 1}, d: ISODate('2024-01-02T03:04:05Z'), " +
        "t: Timestamp(100, 7), loc: {type: 'Point', coordinates: [0, 0]}}";

    [Fact]
    public async Task Every_reference_operator_is_provided_or_listed_in_the_readme()
    {
        var db = Client.GetDatabase("t");
        await db.GetCollection<O.BsonDocument>("c").InsertOneAsync(O.BsonDocument.Parse(Document));
        await db.GetCollection<O.BsonDocument>("c").Indexes.CreateManyAsync(
        [
            new CreateIndexModel<O.BsonDocument>(O.BsonDocument.Parse("{loc: '2dsphere'}")),
            new CreateIndexModel<O.BsonDocument>(O.BsonDocument.Parse("{s: 'text'}")),
        ]);
        await db.GetCollection<O.BsonDocument>("u").InsertOneAsync(O.BsonDocument.Parse("{_id: 1, x: 1, arr: [1, 2]}"));

        var notProvided = NotProvidedList();
        var missing = new List<string>();
        var listed = 0;
        foreach (var use in OperatorCoverageTable.All)
        {
            var error = await Run(db, use);
            if (error is null) continue;
            // A database-level stage refused for its context says nothing of whether the name is known: ask the
            // collection pipeline too, where an unknown name is 40324.
            if (use.Kind == OperatorKind.Stage && !use.Use.StartsWith('{') && !IsUnrecognized(error.Value.Item1, error.Value.Item2))
                error = await Run(db, use with { Use = use.Use[(use.Use.IndexOf(':', StringComparison.Ordinal) + 1)..] }) ?? error;
            var (code, message) = error.Value;
            if (!IsUnrecognized(code, message) && !IsRefused(code, message))
            {
                // Known, but refused in this context (as mongod refuses it): shown so the table's uses can be reviewed.
                output.WriteLine(use.Kind + " " + use.Name + ": known, answered " + code + " " + message);
                continue;
            }
            if (notProvided.Contains("`" + use.Name + "`", StringComparison.Ordinal))
            {
                listed++;
                output.WriteLine(use.Kind + " " + use.Name + ": listed as not provided (" + code + " " + message + ")");
                continue;
            }
            missing.Add(use.Kind + " " + use.Name + ": " + code + " " + message);
        }
        output.WriteLine(OperatorCoverageTable.All.Count() + " operators, " + listed + " listed as not provided");
        Assert.True(missing.Count == 0, "Neither provided nor listed in README's not-provided list:\n" + string.Join("\n", missing));
    }

    [Fact]
    public void The_table_has_no_duplicates_and_every_kind()
    {
        var keys = OperatorCoverageTable.All.Select(u => u.Kind + u.Name).ToList();
        Assert.Equal(keys.Count, keys.Distinct().Count());
        Assert.Equal(Enum.GetValues<OperatorKind>().Length, OperatorCoverageTable.All.Select(u => u.Kind).Distinct().Count());
        Assert.Contains(OperatorCoverageTable.All, u => u.Name == "$bitsAllSet");
    }

    /// <summary>The text of README's list, from its heading to the next top-level item.</summary>
    private static string NotProvidedList()
    {
        var readme = File.ReadAllText(Path.Combine(Mongo.Testing.SpecData.RepositoryRoot, "README.md"));
        var start = readme.IndexOf("**What Mongo.InMemory does not provide**", StringComparison.Ordinal);
        Assert.True(start >= 0, "README has no list 'What Mongo.InMemory does not provide'");
        var end = Regex.Match(readme[start..], @"\n- ").Index;
        return end > 0 ? readme.Substring(start, end) : readme[start..];
    }

    private static bool IsUnrecognized(int code, string message) =>
        code is 168 or 40324 or 15952 ||
        message.Contains("unrecognized", StringComparison.OrdinalIgnoreCase) ||
        message.Contains("unknown operator", StringComparison.OrdinalIgnoreCase) ||
        message.Contains("unknown top level operator", StringComparison.OrdinalIgnoreCase) ||
        message.Contains("unknown modifier", StringComparison.OrdinalIgnoreCase) ||
        message.Contains("unknown group operator", StringComparison.OrdinalIgnoreCase);

    private static bool IsRefused(int code, string message) =>
        code == 238 || message.Contains("not supported by Mongo.InMemory", StringComparison.Ordinal) ||
        message.Contains("Mongo.InMemory does not provide", StringComparison.Ordinal);

    /// <summary>Runs one use; the error (code, message) it answers, or null when it worked.</summary>
    private static async Task<(int, string)?> Run(IMongoDatabase db, OperatorUse use)
    {
        try
        {
            O.BsonDocument reply;
            switch (use.Kind)
            {
                case OperatorKind.Stage:
                    {
                        var (target, stage) = use.Use.Split(':', 2) switch
                        {
                            ["db", var s] => ("db", s),
                            ["admin", var s] => ("admin", s),
                            ["config", var s] => ("config", s),
                            _ => ("c", use.Use),
                        };
                        var command = new O.BsonDocument
                        {
                            { "aggregate", target is "db" or "admin" ? new O.BsonInt32(1) : target == "config" ? "system.sessions" : "c" },
                            { "pipeline", new O.BsonArray { O.BsonDocument.Parse(stage) } },
                            { "cursor", new O.BsonDocument() },
                        };
                        var database = target == "admin" ? db.Client.GetDatabase("admin") : target == "config" ? db.Client.GetDatabase("config") : db;
                        reply = await database.RunCommandAsync<O.BsonDocument>(command);
                        break;
                    }
                case OperatorKind.Expression:
                    reply = await Aggregate(db, "{$project: {v: " + use.Use + "}}");
                    break;
                case OperatorKind.Accumulator:
                    reply = await Aggregate(db, "{$group: {_id: null, v: " + use.Use + "}}");
                    break;
                case OperatorKind.Window:
                    reply = await Aggregate(db, "{$setWindowFields: {sortBy: {_id: 1}, output: {v: " + use.Use + "}}}");
                    break;
                case OperatorKind.Query:
                    reply = await db.RunCommandAsync<O.BsonDocument>(use.Use.StartsWith("sort:", StringComparison.Ordinal)
                        ? new O.BsonDocument { { "find", "c" }, { "sort", O.BsonDocument.Parse(use.Use[5..]) } }
                        : new O.BsonDocument { { "find", "c" }, { "filter", O.BsonDocument.Parse(use.Use) } });
                    break;
                case OperatorKind.Projection:
                    {
                        var parts = use.Use.Split(" | ");
                        reply = await db.RunCommandAsync<O.BsonDocument>(new O.BsonDocument
                        {
                            { "find", "c" }, { "filter", O.BsonDocument.Parse(parts[0]) }, { "projection", O.BsonDocument.Parse(parts[1]) },
                        });
                        break;
                    }
                default:
                    {
                        var parts = use.Use.Split(" | ");
                        var statement = new O.BsonDocument { { "q", O.BsonDocument.Parse(parts[0]) }, { "u", O.BsonDocument.Parse(parts[1]) } };
                        if (parts.Length > 2) statement.Add("arrayFilters", O.Serialization.BsonSerializer.Deserialize<O.BsonArray>(parts[2]));
                        reply = await db.RunCommandAsync<O.BsonDocument>(new O.BsonDocument
                        {
                            { "update", "u" }, { "updates", new O.BsonArray { statement } },
                        });
                        if (reply.TryGetValue("writeErrors", out var writeErrors))
                        {
                            var first = writeErrors.AsBsonArray[0].AsBsonDocument;
                            return (first["code"].AsInt32, first["errmsg"].AsString);
                        }
                        break;
                    }
            }
            return null;
        }
        catch (MongoCommandException e)
        {
            return (e.Code, e.ErrorMessage);
        }
    }

    private static Task<O.BsonDocument> Aggregate(IMongoDatabase db, string stage) =>
        db.RunCommandAsync<O.BsonDocument>(new O.BsonDocument
        {
            { "aggregate", "c" }, { "pipeline", new O.BsonArray { O.BsonDocument.Parse(stage) } }, { "cursor", new O.BsonDocument() },
        });
}
