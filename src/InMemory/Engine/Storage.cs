using Mongo.Bson;

namespace Mongo.InMemory.Engine;

/// <summary>
/// The server's catalog and data: databases, collections, documents and indexes, all in memory.
/// One monitor (<see cref="Sync"/>) guards everything: commands run whole under it, which keeps
/// multi-collection operations ($lookup, $out, renameCollection) trivially consistent.
/// </summary>
internal sealed partial class Storage
{
    private readonly Dictionary<string, DatabaseData> _databases = new(StringComparer.Ordinal);

    public object Sync { get; } = new();

    /// <summary>Told of every change before it is made (null: nothing watches). See <see cref="IWriteObserver"/>.</summary>
    public IWriteObserver? Observer { get; set; }

    /// <summary>
    /// True for a copy made by <see cref="Snapshot"/>: it shows the data as they were then, so nothing expires in it
    /// (the TTL sweep of the storage it was copied from decides what expires).
    /// </summary>
    public bool IsSnapshot { get; private init; }

    /// <summary>
    /// The history of this storage's changes for reads at earlier cluster times (null: none kept, as for a copy, a
    /// transaction's storage or a standalone server's data). Set by <see cref="Server.SnapshotHistory.Attach"/>.
    /// </summary>
    public Server.SnapshotHistory? History { get; set; }

    public IEnumerable<DatabaseData> Databases => _databases.Values;

    public DatabaseData? GetDatabase(string name) => _databases.GetValueOrDefault(name);

    public DatabaseData GetOrCreateDatabase(string name)
    {
        if (!_databases.TryGetValue(name, out var db))
        {
            ValidateDatabaseName(name);
            _databases[name] = db = new DatabaseData(this, name);
        }
        return db;
    }

    /// <summary>
    /// The collection to write to or to inspect (indexes, statistics), null when none exists. A view is not one: its
    /// name fails with CommandNotSupportedOnView here, which is what keeps every write and index command off views.
    /// Reads go through <see cref="OpenForRead"/> instead.
    /// </summary>
    public CollectionData? GetCollection(string database, string collection)
    {
        Observer?.Using(database, collection);
        if (!_databases.TryGetValue(database, out var db)) return null;
        return db.Get(collection) ?? (db.GetView(collection) is { } view ? throw Errors.NotACollection(view.FullName) : null);
    }

    /// <summary>Gets a collection, creating it (and its database) implicitly as a first insert does; fails on a view as <see cref="GetCollection"/> does.</summary>
    public CollectionData GetOrCreateCollection(string database, string collection, out bool created)
    {
        var c = GetCollection(database, collection);
        created = c is null;
        return c ?? GetOrCreateDatabase(database).Create(collection, new BsonDocument());
    }

    public bool DropDatabase(string name)
    {
        if (History is { } history && _databases.TryGetValue(name, out var db))
            history.CatalogChanging(this, db.Collections.Sum(static c => c.DataSize()));
        return _databases.Remove(name);
    }

    /// <summary>Removes databases that no longer hold collections or views (the server does not list empty databases).</summary>
    public void RemoveEmptyDatabase(string name)
    {
        if (_databases.TryGetValue(name, out var db) && db.IsEmpty) _databases.Remove(name);
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

/// <summary>A database: a named set of collections and views (one namespace: a name is one or the other).</summary>
internal sealed partial class DatabaseData(Storage storage, string name)
{
    private readonly Dictionary<string, CollectionData> _collections = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ViewData> _views = new(StringComparer.Ordinal);

    public string Name { get; } = name;

    /// <summary>The storage this database belongs to (its observer sees every change).</summary>
    public Storage Storage { get; } = storage;

    /// <summary>The number of collections (views not included).</summary>
    public int Count => _collections.Count;

    public bool IsEmpty => _collections.Count == 0 && _views.Count == 0;

    public IEnumerable<CollectionData> Collections => _collections.Values;

    public IEnumerable<ViewData> Views => _views.Values;

    public CollectionData? Get(string name) => _collections.GetValueOrDefault(name);

    public ViewData? GetView(string name) => _views.GetValueOrDefault(name);

    public CollectionData Create(string name, BsonDocument options)
    {
        Storage.ValidateCollectionName(Name, name);
        if (_collections.ContainsKey(name)) throw Errors.NamespaceExists("Collection " + Name + "." + name + " already exists.");
        if (_views.ContainsKey(name)) throw Errors.NamespaceExists("namespace '" + Name + "." + name + "' already exists, but is a view");
        Storage.Observer?.BeforeCreateCollection(this, name);
        Storage.History?.CatalogChanging(Storage);
        var c = new CollectionData(this, name, options);
        _collections[name] = c;
        return c;
    }

    /// <summary>Adds a view whose definition the caller has validated (<see cref="Storage.ValidateViewDefinition"/>).</summary>
    public ViewData CreateView(string name, string viewOn, BsonArray pipeline, Collation.Collator? collator)
    {
        Storage.History?.CatalogChanging(Storage);
        var view = new ViewData(this, name, viewOn, pipeline, collator);
        _views.Add(name, view);
        return view;
    }

    public bool Drop(string name)
    {
        if (Storage.History is { } history && _collections.TryGetValue(name, out var leaving)) history.CatalogChanging(Storage, leaving.DataSize());
        return _collections.Remove(name);
    }

    public bool DropView(string name)
    {
        if (_views.ContainsKey(name)) Storage.History?.CatalogChanging(Storage);
        return _views.Remove(name);
    }

    /// <summary>Moves a collection object under a new name (possibly into this database from another).</summary>
    public void Attach(CollectionData collection)
    {
        Storage.History?.CatalogChanging(Storage);
        _collections[collection.Name] = collection;
    }
}
