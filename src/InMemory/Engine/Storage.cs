using Mongo.Bson;

namespace Mongo.InMemory.Engine;

/// <summary>
/// The server's catalog and data: databases, collections, documents and indexes, all in memory.
/// One monitor (<see cref="Sync"/>) guards everything: commands run whole under it, which keeps
/// multi-collection operations ($lookup, $out, renameCollection) trivially consistent.
/// </summary>
internal sealed class Storage
{
    private readonly Dictionary<string, DatabaseData> _databases = new(StringComparer.Ordinal);

    public object Sync { get; } = new();

    public IEnumerable<DatabaseData> Databases => _databases.Values;

    public DatabaseData? GetDatabase(string name) => _databases.GetValueOrDefault(name);

    public DatabaseData GetOrCreateDatabase(string name)
    {
        if (!_databases.TryGetValue(name, out var db))
        {
            ValidateDatabaseName(name);
            _databases[name] = db = new DatabaseData(name);
        }
        return db;
    }

    public CollectionData? GetCollection(string database, string collection) =>
        _databases.TryGetValue(database, out var db) ? db.Get(collection) : null;

    /// <summary>Gets a collection, creating it (and its database) implicitly as a first insert does.</summary>
    public CollectionData GetOrCreateCollection(string database, string collection, out bool created)
    {
        var db = GetOrCreateDatabase(database);
        var c = db.Get(collection);
        created = c is null;
        return c ?? db.Create(collection, new BsonDocument());
    }

    public bool DropDatabase(string name) => _databases.Remove(name);

    /// <summary>Removes databases that no longer hold collections (the server does not list empty databases).</summary>
    public void RemoveEmptyDatabase(string name)
    {
        if (_databases.TryGetValue(name, out var db) && db.Count == 0) _databases.Remove(name);
    }

    public static void ValidateDatabaseName(string name)
    {
        if (name.Length == 0) throw Errors.InvalidNamespace("Invalid database name: ''");
        foreach (var c in name)
        {
            if (c is '/' or '\\' or '.' or ' ' or '"' or '$' or '\0')
                throw Errors.InvalidNamespace("Invalid database name: '" + name + "'");
        }
        if (name.Length > 63) throw Errors.InvalidNamespace("db name is too long: " + name);
    }

    public static void ValidateCollectionName(string db, string name)
    {
        if (name.Length == 0) throw Errors.InvalidNamespace("Invalid namespace specified '" + db + ".'");
        if (name.Contains('$', StringComparison.Ordinal) || name.Contains('\0', StringComparison.Ordinal) || name.StartsWith('.'))
            throw Errors.InvalidNamespace("Invalid collection name: " + name);
        if (name.StartsWith("system.", StringComparison.Ordinal) && name is not ("system.js" or "system.views" or "system.profile" or "system.buckets"))
            throw Errors.InvalidNamespace("Invalid system namespace: " + db + "." + name);
    }
}

/// <summary>A database: a named set of collections.</summary>
internal sealed class DatabaseData(string name)
{
    private readonly Dictionary<string, CollectionData> _collections = new(StringComparer.Ordinal);

    public string Name { get; } = name;

    public int Count => _collections.Count;

    public IEnumerable<CollectionData> Collections => _collections.Values;

    public CollectionData? Get(string name) => _collections.GetValueOrDefault(name);

    public CollectionData Create(string name, BsonDocument options)
    {
        Storage.ValidateCollectionName(Name, name);
        if (_collections.ContainsKey(name)) throw Errors.NamespaceExists("Collection " + Name + "." + name + " already exists.");
        var c = new CollectionData(this, name, options);
        _collections[name] = c;
        return c;
    }

    public bool Drop(string name) => _collections.Remove(name);

    /// <summary>Moves a collection object under a new name (possibly into this database from another).</summary>
    public void Attach(CollectionData collection) => _collections[collection.Name] = collection;
}
