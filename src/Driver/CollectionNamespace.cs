namespace Mongo.Driver;

/// <summary>A collection's full name: database and collection (<c>"db.coll"</c>). Used by <see cref="MongoClient.BulkWrite(IReadOnlyList{ClientBulkWriteModel}, ClientBulkWriteOptions?, CancellationToken)"/> models.</summary>
public sealed record CollectionNamespace
{
    /// <summary>Creates a namespace from its two parts.</summary>
    /// <exception cref="ArgumentException">The database name is empty or contains a character MongoDB forbids, or the collection name is empty.</exception>
    public CollectionNamespace(string databaseName, string collectionName)
    {
        MongoClient.ValidateDatabaseName(databaseName);
        ArgumentException.ThrowIfNullOrEmpty(collectionName);
        DatabaseName = databaseName;
        CollectionName = collectionName;
        FullName = databaseName + "." + collectionName;
    }

    /// <summary>The database's name.</summary>
    public string DatabaseName { get; }

    /// <summary>The collection's name (may contain dots).</summary>
    public string CollectionName { get; }

    /// <summary><c>database.collection</c>.</summary>
    public string FullName { get; }

    /// <summary>Parses <c>"database.collection"</c> (the first dot separates the parts).</summary>
    /// <exception cref="ArgumentException">There is no dot, or either part is invalid.</exception>
    public static CollectionNamespace Parse(string fullName)
    {
        ArgumentException.ThrowIfNullOrEmpty(fullName);
        int dot = fullName.IndexOf('.', StringComparison.Ordinal);
        if (dot <= 0 || dot == fullName.Length - 1)
        {
            throw new ArgumentException("'" + fullName + "' is not a collection namespace of the form database.collection.", nameof(fullName));
        }

        return new CollectionNamespace(fullName[..dot], fullName[(dot + 1)..]);
    }

    /// <summary>Converts <c>"database.collection"</c>.</summary>
    public static implicit operator CollectionNamespace(string fullName) => Parse(fullName);

    /// <summary>The full name.</summary>
    public override string ToString() => FullName;
}
