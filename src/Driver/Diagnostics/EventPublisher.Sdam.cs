using Mongo.Bson;
using Mongo.Driver.Events;
using Mongo.Driver.Topology;

namespace Mongo.Driver.Diagnostics;

/// <summary>
/// SDAM events and the <c>topology</c> log component's messages. Each message is written before its event is raised, so a
/// subscriber that has seen an event (a test waiting for heartbeats, say) can rely on the message being logged already.
/// </summary>
internal sealed partial class EventPublisher
{
    private readonly Action<TopologyOpeningEvent>? _topologyOpening;
    private readonly Action<TopologyClosedEvent>? _topologyClosed;
    private readonly Action<TopologyDescriptionChangedEvent>? _topologyChanged;
    private readonly Action<ServerOpeningEvent>? _serverOpening;
    private readonly Action<ServerClosedEvent>? _serverClosed;
    private readonly Action<ServerDescriptionChangedEvent>? _serverChanged;
    private readonly Action<ServerHeartbeatStartedEvent>? _heartbeatStarted;
    private readonly Action<ServerHeartbeatSucceededEvent>? _heartbeatSucceeded;
    private readonly Action<ServerHeartbeatFailedEvent>? _heartbeatFailed;

    public void TopologyOpening(ObjectId topologyId)
    {
        if (On(_topologyLog))
        {
            Write(_topologyLog!, 1200, new LogMessage("Starting topology monitoring").Add("topologyId", topologyId.ToString())
                .Text("Starting monitoring for topology with ID " + topologyId));
        }

        if (_topologyOpening is not null)
        {
            Invoke(_topologyOpening, new TopologyOpeningEvent(topologyId));
        }
    }

    public void TopologyClosed(ObjectId topologyId)
    {
        if (On(_topologyLog))
        {
            Write(_topologyLog!, 1201, new LogMessage("Stopped topology monitoring").Add("topologyId", topologyId.ToString())
                .Text("Stopped monitoring for topology with ID " + topologyId));
        }

        if (_topologyClosed is not null)
        {
            Invoke(_topologyClosed, new TopologyClosedEvent(topologyId));
        }
    }

    /// <summary>Publishes a topology change unless the two descriptions are equal by the SDAM rules.</summary>
    public void TopologyDescriptionChanged(ObjectId topologyId, TopologyDescription previous, TopologyDescription next)
    {
        bool log = On(_topologyLog);
        if ((_topologyChanged is null && !log) || DescriptionEquality.Equal(previous, next))
        {
            return;
        }

        if (log)
        {
            string before = previous.ToString();
            string after = next.ToString();
            Write(_topologyLog!, 1202, new LogMessage("Topology description changed").Add("topologyId", topologyId.ToString())
                .Add("previousDescription", before).Add("newDescription", after)
                .Text($"Description changed for topology with ID {topologyId}. Previous description: {before}. New description: {after}"));
        }

        if (_topologyChanged is not null)
        {
            Invoke(_topologyChanged, new TopologyDescriptionChangedEvent(topologyId, new MongoTopologyDescription(previous), new MongoTopologyDescription(next)));
        }
    }

    public void ServerOpening(ObjectId topologyId, MongoServerAddress address)
    {
        if (On(_topologyLog))
        {
            Write(_topologyLog!, 1203, new LogMessage("Starting server monitoring").Add("topologyId", topologyId.ToString()).Server(address)
                .Text($"Starting monitoring for server {LogMessage.Endpoint(address)} in topology with ID {topologyId}"));
        }

        if (_serverOpening is not null)
        {
            Invoke(_serverOpening, new ServerOpeningEvent(topologyId, address));
        }
    }

    public void ServerClosed(ObjectId topologyId, MongoServerAddress address)
    {
        if (On(_topologyLog))
        {
            Write(_topologyLog!, 1204, new LogMessage("Stopped server monitoring").Add("topologyId", topologyId.ToString()).Server(address)
                .Text($"Stopped monitoring for server {LogMessage.Endpoint(address)} in topology with ID {topologyId}"));
        }

        if (_serverClosed is not null)
        {
            Invoke(_serverClosed, new ServerClosedEvent(topologyId, address));
        }
    }

    /// <summary>Publishes a server description change unless the two are equal by the SDAM rules (round trip time ignored). No log message (the spec leaves it out).</summary>
    public void ServerDescriptionChanged(ObjectId topologyId, ServerDescription previous, ServerDescription next)
    {
        if (_serverChanged is not null && !DescriptionEquality.Equal(previous, next))
        {
            Invoke(_serverChanged, new ServerDescriptionChangedEvent(topologyId, next.Address, new MongoServerDescription(previous), new MongoServerDescription(next)));
        }
    }

    public bool HeartbeatsEnabled => _heartbeatStarted is not null || _heartbeatSucceeded is not null || _heartbeatFailed is not null || On(_topologyLog);

    public void HeartbeatStarted(ObjectId topologyId, MongoServerAddress address, long connectionId, long? serverConnectionId, bool awaited)
    {
        if (On(_topologyLog))
        {
            Write(_topologyLog!, 1205, HeartbeatMessage("Server heartbeat started", topologyId, address, connectionId, serverConnectionId, awaited)
                .Text($"Heartbeat started for {LogMessage.Endpoint(address)} on connection with driver-generated ID {connectionId} and server-generated ID {serverConnectionId} in topology with ID {topologyId}. Awaited: {awaited}"));
        }

        if (_heartbeatStarted is not null)
        {
            Invoke(_heartbeatStarted, new ServerHeartbeatStartedEvent(topologyId, address, connectionId, serverConnectionId, awaited));
        }
    }

    public void HeartbeatSucceeded(ObjectId topologyId, MongoServerAddress address, long connectionId, long? serverConnectionId, bool awaited, TimeSpan duration, BsonDocument reply)
    {
        if (On(_topologyLog))
        {
            string json = Json(reply);
            Write(_topologyLog!, 1206, HeartbeatMessage("Server heartbeat succeeded", topologyId, address, connectionId, serverConnectionId, awaited)
                .Add("durationMS", duration.TotalMilliseconds).Add("reply", json)
                .Text($"Heartbeat succeeded in {LogMessage.Ms(duration)} ms for {LogMessage.Endpoint(address)} on connection with driver-generated ID {connectionId} and server-generated ID {serverConnectionId} in topology with ID {topologyId}. Awaited: {awaited}. Reply: {json}"));
        }

        if (_heartbeatSucceeded is not null)
        {
            Invoke(_heartbeatSucceeded, new ServerHeartbeatSucceededEvent(topologyId, address, connectionId, serverConnectionId, awaited, duration, reply));
        }
    }

    public void HeartbeatFailed(ObjectId topologyId, MongoServerAddress address, long connectionId, long? serverConnectionId, bool awaited, TimeSpan duration, Exception failure)
    {
        if (On(_topologyLog))
        {
            string described = Describe(failure);
            Write(_topologyLog!, 1207, HeartbeatMessage("Server heartbeat failed", topologyId, address, connectionId, serverConnectionId, awaited)
                .Add("durationMS", duration.TotalMilliseconds).Add("failure", described)
                .Text($"Heartbeat failed in {LogMessage.Ms(duration)} ms for {LogMessage.Endpoint(address)} on connection with driver-generated ID {connectionId} and server-generated ID {serverConnectionId} in topology with ID {topologyId}. Awaited: {awaited}. Failure: {described}"), failure);
        }

        if (_heartbeatFailed is not null)
        {
            Invoke(_heartbeatFailed, new ServerHeartbeatFailedEvent(topologyId, address, connectionId, serverConnectionId, awaited, duration, failure));
        }
    }

    private static LogMessage HeartbeatMessage(string message, ObjectId topologyId, MongoServerAddress address, long connectionId, long? serverConnectionId, bool awaited) =>
        new LogMessage(message).Add("topologyId", topologyId.ToString()).Server(address)
            .Add("driverConnectionId", connectionId).Add("serverConnectionId", serverConnectionId).Add("awaited", awaited);
}
