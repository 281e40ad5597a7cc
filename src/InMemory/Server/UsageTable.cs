using System.Collections.Concurrent;
using Mongo.Bson;

namespace Mongo.InMemory.Server;

/// <summary>
/// Per-namespace operation counts and times, what mongod's <c>top</c> command reports: every command that names a
/// collection is counted under "total" and under its kind (queries, getmore, insert, update, remove or commands), and
/// under readLock or writeLock when it reads or writes documents. Times are microseconds.
/// </summary>
internal sealed class UsageTable
{
    private static readonly string[] Kinds = ["total", "readLock", "writeLock", "queries", "getmore", "insert", "update", "remove", "commands"];

    private readonly ConcurrentDictionary<string, long[]> _namespaces = new(StringComparer.Ordinal);

    /// <summary>Records one command run against <paramref name="database"/>, if it names a collection.</summary>
    public void Record(string name, string database, BsonDocument command, long elapsedMicros)
    {
        string? collection = name == "getMore"
            ? (command.TryGetValue("collection", out var c) && c is BsonString cs ? cs.Value : null)
            : command.ElementCount > 0 && command[0] is BsonString s ? s.Value : null;
        if (string.IsNullOrEmpty(collection)) return;
        var (kind, lockKind) = name switch
        {
            "find" => ("queries", "readLock"),
            "getMore" => ("getmore", "readLock"),
            "insert" => ("insert", "writeLock"),
            "update" => ("update", "writeLock"),
            "delete" => ("remove", "writeLock"),
            "findAndModify" or "findandmodify" => ("commands", "writeLock"),
            "aggregate" or "count" or "distinct" => ("commands", "readLock"),
            _ => ("commands", (string?)null),
        };
        var counters = _namespaces.GetOrAdd(database + "." + collection, _ => new long[Kinds.Length * 2]);
        Add(counters, "total", elapsedMicros);
        Add(counters, kind, elapsedMicros);
        if (lockKind is not null) Add(counters, lockKind, elapsedMicros);
    }

    private static void Add(long[] counters, string kind, long micros)
    {
        var i = Array.IndexOf(Kinds, kind) * 2;
        Interlocked.Add(ref counters[i], micros);
        Interlocked.Increment(ref counters[i + 1]);
    }

    /// <summary>The <c>totals</c> document of mongod's top reply.</summary>
    public BsonDocument Totals()
    {
        var totals = new BsonDocument("note", "all times in microseconds");
        foreach (var (ns, counters) in _namespaces.OrderBy(e => e.Key, StringComparer.Ordinal))
        {
            var entry = new BsonDocument();
            for (var k = 0; k < Kinds.Length; k++)
            {
                entry.Add(Kinds[k], new BsonDocument
                {
                    { "time", new BsonInt64(Interlocked.Read(ref counters[k * 2])) },
                    { "count", new BsonInt64(Interlocked.Read(ref counters[k * 2 + 1])) },
                });
            }
            totals.Add(ns, entry);
        }
        return totals;
    }
}
