using Mongo.Bson;

namespace Mongo.InMemory.Server;

/// <summary>
/// The server parameters setParameter changes that have no other home: the log verbosity (this server writes no log,
/// so it is only remembered and reported back) and quiet.
/// </summary>
internal sealed class ServerParameters
{
    private readonly object _sync = new();
    private BsonDocument _componentVerbosity = new("verbosity", 0);

    /// <summary>logLevel: the default log verbosity (0 to 5).</summary>
    public int LogLevel
    {
        get
        {
            lock (_sync) return _componentVerbosity["verbosity"].ToInt32();
        }

        set
        {
            lock (_sync) _componentVerbosity["verbosity"] = value;
        }
    }

    /// <summary>quiet: whether connection events go unlogged.</summary>
    public bool Quiet { get; set; }

    /// <summary>logComponentVerbosity as getParameter reports it (a copy).</summary>
    public BsonDocument ComponentVerbosity
    {
        get
        {
            lock (_sync) return (BsonDocument)_componentVerbosity.DeepClone();
        }
    }

    /// <summary>Merges a logComponentVerbosity document: each named component takes the given level.</summary>
    public void MergeComponentVerbosity(BsonDocument update)
    {
        lock (_sync) Merge(_componentVerbosity, update);
    }

    private static void Merge(BsonDocument target, BsonDocument update)
    {
        foreach (var (name, value) in update)
        {
            if (value is BsonDocument nested)
            {
                if (target.GetValueOrDefault(name) is not BsonDocument existing)
                {
                    existing = new BsonDocument();
                    target[name] = existing;
                }

                Merge(existing, nested);
            }
            else
            {
                target[name] = value.ToInt32();
            }
        }
    }
}
