namespace Mongo.Testing.Unified;

/// <summary>
/// Every unified test we deliberately do not run, with the reason, in one place. Requirements the server
/// does not meet (versions, topologies) are decided at run time from runOnRequirements and reported too.
/// </summary>
public static class UnifiedSkips
{
    // The spec files are wrong here (DRIVERS-2965, skipped by the official Node and Ruby drivers too): the blocked getMore
    // waits 60 ms under an iteration timeoutMS of 100 ms, so a driver that refreshes the timeout per iteration correctly
    // does not time out. Iteration-mode getMore timeouts of RunCursorCommand are proved in Mongo.Driver.Tests
    // (RunCursorCommandTimeoutTests) with a block longer than the timeout; the runner creates the capped collection
    // entity these tests insert into (createCollection's saveResultAsEntity).
    private const string RunCursorCommandBlockTooShort =
        "the test is wrong (DRIVERS-2965): its getMore is blocked 60 ms, less than the iteration timeoutMS of 100 ms, so a correct driver does not time out";

    private const string NoJavaScript =
        "the test keeps an operation running with $where: \"sleep(2000) || true\", and Mongo.InMemory runs no server-side JavaScript; "
        + "the same monitor-timeout pool clear with interruptInUseConnections (and the retry of the interrupted read and write) is proved "
        + "with a blocking fail point instead in Mongo.Driver.Tests Topology/MonitorFailoverTests";

    private const string SearchIndexes = "Atlas Search index management (createSearchIndex(es), updateSearchIndex, dropSearchIndex, listSearchIndexes) is not implemented by the driver";

    /// <summary>Operations the driver does not offer, by name.</summary>
    public static readonly IReadOnlyDictionary<string, string> Operations = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["createChangeStream"] = "change streams are not implemented",
        ["mapReduce"] = "mapReduce (deprecated since server 5.0) is not implemented by the driver, and Mongo.InMemory runs no server-side JavaScript",
        ["createSearchIndex"] = SearchIndexes,
        ["createSearchIndexes"] = SearchIndexes,
        ["updateSearchIndex"] = SearchIndexes,
        ["dropSearchIndex"] = SearchIndexes,
        ["listSearchIndexes"] = SearchIndexes,
    };

    /// <summary>Entity types the runner cannot create yet.</summary>
    public static readonly IReadOnlyDictionary<string, string> Entities = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["clientEncryption"] = "client-side field level encryption is not implemented",
    };

    /// <summary>Operation arguments the driver does not support.</summary>
    public static readonly IReadOnlyDictionary<string, string> Arguments = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>Whole files the driver cannot run, by file name.</summary>
    public static readonly IReadOnlyDictionary<string, string> Files = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>Individual tests, by "file.json: description".</summary>
    public static readonly IReadOnlyDictionary<string, string> Tests = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["runCursorCommand.json: Non-tailable cursor iteration timeoutMS is refreshed for getMore if timeoutMode is iteration - failure"] = RunCursorCommandBlockTooShort,
        ["runCursorCommand.json: Tailable cursor iteration timeoutMS is refreshed for getMore - failure"] = RunCursorCommandBlockTooShort,
        ["runCursorCommand.json: Tailable cursor awaitData iteration timeoutMS is refreshed for getMore - failure"] =
            RunCursorCommandBlockTooShort + "; this one also sets no timeoutMS at all, yet expects a timeout error and a maxTimeMS on find",
    };

    /// <summary>
    /// What Mongo.InMemory does not implement (a server limitation, not a driver one): applied only when the
    /// backend is the in-memory server. Keys are "file.json" (whole file) or "file.json: description".
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string> InMemoryLimitations = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["interruptInUse-pool-clear.json"] = NoJavaScript,
    };
}
