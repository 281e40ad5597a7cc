using Mongo.Driver.Events;
using Mongo.Driver.Operations;
using Mongo.Driver.Topology;

namespace Mongo.Driver;

public sealed partial class MongoClient
{
    /// <summary>
    /// What the client knows about its deployment right now: the topology type and each server's type, error and
    /// round trip time. Health checks and diagnostics report it when an operation cannot reach a server, because it
    /// says why (no server answered, the set has no primary, a server is incompatible) in one line.
    /// </summary>
    /// <remarks>A snapshot: it does not change after it is returned; read the property again for a later view.</remarks>
    public MongoTopologyDescription TopologyDescription =>
        new(Executor is OperationExecutor executor
            ? executor.Cluster.Description
            : new TopologyDescription(TopologyType.Unknown, new Dictionary<MongoServerAddress, ServerDescription>()));
}
