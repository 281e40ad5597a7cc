namespace Mongo.Testing.Unified;

/// <summary>
/// Every unified test we deliberately do not run, with the reason, in one place. Requirements the server
/// does not meet (versions, topologies) are decided at run time from runOnRequirements and reported too.
/// </summary>
public static class UnifiedSkips
{
    private const string BulkWriteNoPartialResult =
        "a collection bulk write whose command fails with a top-level (non-write) error throws that error as is, without a partial BulkWriteResult";

    private const string NoJavaScript =
        "the test keeps an operation running with $where: \"sleep(2000) || true\", and Mongo.InMemory runs no server-side JavaScript; "
        + "the same monitor-timeout pool clear with interruptInUseConnections (and the retry of the interrupted read and write) is proved "
        + "with a blocking fail point instead in Mongo.Driver.Tests Topology/MonitorFailoverTests";

    private const string SnapshotHistory =
        "Mongo.InMemory keeps no document history: a snapshot read at an atClusterTime older than a later write fails with SnapshotTooOld instead of returning the old documents";

    /// <summary>Operations the driver does not offer, by name.</summary>
    public static readonly IReadOnlyDictionary<string, string> Operations = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["createChangeStream"] = "change streams are not implemented",
        ["mapReduce"] = "mapReduce (deprecated since server 5.0) is not implemented by the driver, and Mongo.InMemory runs no server-side JavaScript",
    };

    /// <summary>Entity types the runner cannot create yet.</summary>
    public static readonly IReadOnlyDictionary<string, string> Entities = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["clientEncryption"] = "client-side field level encryption is not implemented",
    };

    /// <summary>Operation arguments the driver does not support.</summary>
    public static readonly IReadOnlyDictionary<string, string> Arguments = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>
    /// timeoutMS given to one call on an entity whose calls take none (collections and databases do, through WithTimeout), by
    /// the entity's kind.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string> OperationTimeouts = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["client"] = "a per-call timeoutMS on client operations other than listDatabases/listDatabaseNames (client bulkWrite) is not offered: set timeoutMS on the client",
        ["cursor"] = "a per-call timeoutMS on a cursor's close is not offered (close refreshes the opening call's timeoutMS)",
    };

    /// <summary>Whole files the driver cannot run, by file name.</summary>
    public static readonly IReadOnlyDictionary<string, string> Files = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>Individual tests, by "file.json: description".</summary>
    public static readonly IReadOnlyDictionary<string, string> Tests = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["convenient-transactions.json: withTransaction raises a client-side error if timeoutMS is overridden inside the callback"] =
            "the driver cannot tell an operation-level timeoutMS (WithTimeout on a handle) from a collection-level one, so it does not refuse an override inside WithTransaction's callback",
        ["convenient-transactions.json: timeoutMS is not refreshed for each operation in the callback"] =
            "not yet passing: the events of the callback's second insert under WithTransaction's expired deadline differ from the expected ones (open CSOT work)",
        ["convenient-transactions.json: withTransaction surfaces a timeout after exhausting transient transaction retries, retaining the last transient error as the timeout cause."] =
            "not yet passing: WithTransaction under timeoutMS commits where the test expects an abort after the transient-error retries (open CSOT work)",
        ["runCursorCommand.json: Non-tailable cursor iteration timeoutMS is refreshed for getMore if timeoutMode is iteration - failure"] =
            "not yet passing: RunCursorCommand in iteration mode does not time out the blocked getMore as the test expects (open CSOT work)",
        ["runCursorCommand.json: Tailable cursor iteration timeoutMS is refreshed for getMore - failure"] =
            "the runner does not yet create the capped collection entity this test inserts into (insertMany on a null entity)",
        ["runCursorCommand.json: Tailable cursor awaitData iteration timeoutMS is refreshed for getMore - failure"] =
            "the runner does not yet create the capped collection entity this test inserts into (insertMany on a null entity)",
        ["bulkWrite.json: First insertOne is never committed"] = BulkWriteNoPartialResult,
        ["bulkWrite.json: Second updateOne is never committed"] = BulkWriteNoPartialResult,
        ["bulkWrite.json: Third updateOne is never committed"] = BulkWriteNoPartialResult,
    };

    /// <summary>
    /// What Mongo.InMemory does not implement (a server limitation, not a driver one): applied only when the
    /// backend is the in-memory server. Keys are "file.json" (whole file) or "file.json: description".
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string> InMemoryLimitations = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["interruptInUse-pool-clear.json"] = NoJavaScript,
        ["redacted-commands.json: network error in response to updateUser is not redacted"] =
            "Mongo.InMemory has no user management commands: updateUser is CommandNotFound before the closeConnection fail point can apply",
        ["snapshot-sessions.json: Find operation with snapshot"] = SnapshotHistory,
        ["snapshot-sessions.json: Distinct operation with snapshot"] = SnapshotHistory,
        ["snapshot-sessions.json: Aggregate operation with snapshot"] = SnapshotHistory,
        ["snapshot-sessions.json: Mixed operation with snapshot"] = SnapshotHistory,
        ["snapshot-sessions.json: Write commands with snapshot session do not affect snapshot reads"] = SnapshotHistory,
        ["snapshot-sessions.json: Find operation with snapshot and snapshot time"] = SnapshotHistory,
        ["snapshot-sessions.json: Distinct operation with snapshot and snapshot time"] = SnapshotHistory,
        ["snapshot-sessions.json: Aggregate operation with snapshot and snapshot time"] = SnapshotHistory,
        ["snapshot-sessions.json: countDocuments operation with snapshot and snapshot time"] = SnapshotHistory,
        ["snapshot-sessions.json: Mixed operation with snapshot and snapshotTime"] = SnapshotHistory,
    };
}
