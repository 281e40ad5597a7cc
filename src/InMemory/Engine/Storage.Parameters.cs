namespace Mongo.InMemory.Engine;

/// <summary>The server parameters (setParameter) that change how this storage is read and kept.</summary>
internal sealed partial class Storage
{
    /// <summary>
    /// notablescan: a query the planner can only answer by a collection scan fails (NoQueryExecutionPlans), except on
    /// the internal databases and system collections, as on mongod.
    /// </summary>
    public bool NoTableScan { get; set; }

    /// <summary>ttlMonitorEnabled: false stops the removal of expired documents of TTL indexes.</summary>
    public bool TtlMonitorEnabled { get; set; } = true;
}
