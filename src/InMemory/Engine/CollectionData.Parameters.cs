namespace Mongo.InMemory.Engine;

/// <summary>What the server parameters exempt: mongod's notablescan never refuses internal namespaces.</summary>
internal sealed partial class CollectionData
{
    /// <summary>Whether this is a collection of admin, local or config, or a system collection.</summary>
    private bool IsInternal() => Database.Name is "admin" or "local" or "config" || Name.StartsWith("system.", StringComparison.Ordinal);
}
