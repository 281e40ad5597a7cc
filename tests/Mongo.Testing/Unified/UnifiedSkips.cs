namespace Mongo.Testing.Unified;

/// <summary>
/// Every unified test we deliberately do not run, with the reason, in one place. Requirements the server
/// does not meet (versions, topologies) are decided at run time from runOnRequirements and reported too.
/// </summary>
public static class UnifiedSkips
{
    /// <summary>Operations the driver does not offer, by name.</summary>
    public static readonly IReadOnlyDictionary<string, string> Operations = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["clientBulkWrite"] = "needs MongoClient.BulkWrite (the 8.0 bulkWrite command across namespaces), not implemented",
        ["count"] = "the deprecated count helper is not part of this driver's API (use CountDocuments/EstimatedDocumentCount)",
        ["createChangeStream"] = "change streams are not implemented",
        ["startTransaction"] = "transactions are not implemented",
        ["withTransaction"] = "transactions are not implemented",
    };

    /// <summary>Entity types the runner cannot create yet.</summary>
    public static readonly IReadOnlyDictionary<string, string> Entities = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["session"] = "explicit sessions are not implemented by the driver's public API",
        ["bucket"] = "GridFS bucket entities are not wired into this runner yet",
        ["clientEncryption"] = "client-side field level encryption is not implemented",
        ["thread"] = "thread entities are not supported by this runner",
    };

    /// <summary>Operation arguments the driver does not support.</summary>
    public static readonly IReadOnlyDictionary<string, string> Arguments = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["rawData"] = "the rawData option (time-series bucket access, server 8.2+) is not implemented",
        ["session"] = "explicit sessions are not implemented by the driver's public API",
        ["timeoutMS"] = "client-side operation timeouts (CSOT) are not exposed per operation",
    };

    /// <summary>Individual tests, by "file.json: description".</summary>
    public static readonly IReadOnlyDictionary<string, string> Tests = new Dictionary<string, string>(StringComparer.Ordinal)
    {
    };
}
