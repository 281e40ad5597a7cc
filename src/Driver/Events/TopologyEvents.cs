using Mongo.Bson;

namespace Mongo.Driver.Events;

/// <summary>A client started monitoring its deployment (always the first topology event of a client).</summary>
/// <param name="TopologyId">Identifies the client's topology in every topology and server event.</param>
public readonly record struct TopologyOpeningEvent(ObjectId TopologyId);

/// <summary>A client stopped monitoring its deployment (the last topology event of a client).</summary>
/// <param name="TopologyId">The topology's id.</param>
public readonly record struct TopologyClosedEvent(ObjectId TopologyId);

/// <summary>The topology description changed (servers found or lost, types or replica set state changed).</summary>
/// <param name="TopologyId">The topology's id.</param>
/// <param name="PreviousDescription">The description before the change.</param>
/// <param name="NewDescription">The description after the change.</param>
public readonly record struct TopologyDescriptionChangedEvent(ObjectId TopologyId, MongoTopologyDescription PreviousDescription, MongoTopologyDescription NewDescription);

/// <summary>A server joined the topology (before its monitor connects).</summary>
/// <param name="TopologyId">The topology's id.</param>
/// <param name="ServerAddress">The server's address.</param>
public readonly record struct ServerOpeningEvent(ObjectId TopologyId, MongoServerAddress ServerAddress);

/// <summary>A server left the topology, or the client closed; its monitor and pool are closed.</summary>
/// <param name="TopologyId">The topology's id.</param>
/// <param name="ServerAddress">The server's address.</param>
public readonly record struct ServerClosedEvent(ObjectId TopologyId, MongoServerAddress ServerAddress);

/// <summary>A server's description changed (round trip time changes alone are not reported).</summary>
/// <param name="TopologyId">The topology's id.</param>
/// <param name="ServerAddress">The server's address.</param>
/// <param name="PreviousDescription">The description before the change.</param>
/// <param name="NewDescription">The description after the change.</param>
public readonly record struct ServerDescriptionChangedEvent(ObjectId TopologyId, MongoServerAddress ServerAddress, MongoServerDescription PreviousDescription, MongoServerDescription NewDescription);

/// <summary>A server monitor is about to send hello (or to open its connection, whose handshake is the hello).</summary>
/// <param name="TopologyId">The topology's id.</param>
/// <param name="ServerAddress">The server's address.</param>
/// <param name="ConnectionId">The driver's id of the monitoring connection (monitoring connections have negative ids).</param>
/// <param name="ServerConnectionId">The server's id for the monitoring connection, once known.</param>
/// <param name="Awaited">Whether this is an awaitable (streaming) hello; always false for this driver's polling monitor.</param>
public readonly record struct ServerHeartbeatStartedEvent(ObjectId TopologyId, MongoServerAddress ServerAddress, long ConnectionId, long? ServerConnectionId, bool Awaited);

/// <summary>A server monitor's hello succeeded.</summary>
/// <param name="TopologyId">The topology's id.</param>
/// <param name="ServerAddress">The server's address.</param>
/// <param name="ConnectionId">The driver's id of the monitoring connection.</param>
/// <param name="ServerConnectionId">The server's id for the monitoring connection.</param>
/// <param name="Awaited">Whether this was an awaitable hello (its duration is then not a round trip time).</param>
/// <param name="Duration">Time to send hello and read the reply (the round trip time sample; includes connecting when a new connection was made).</param>
/// <param name="Reply">The hello reply.</param>
public readonly record struct ServerHeartbeatSucceededEvent(ObjectId TopologyId, MongoServerAddress ServerAddress, long ConnectionId, long? ServerConnectionId, bool Awaited, TimeSpan Duration, BsonDocument Reply);

/// <summary>A server monitor's hello failed (network error, timeout or an ok:0 reply).</summary>
/// <param name="TopologyId">The topology's id.</param>
/// <param name="ServerAddress">The server's address.</param>
/// <param name="ConnectionId">The driver's id of the monitoring connection.</param>
/// <param name="ServerConnectionId">The server's id for the monitoring connection, if it was known.</param>
/// <param name="Awaited">Whether this was an awaitable hello.</param>
/// <param name="Duration">Time until the failure.</param>
/// <param name="Failure">The error.</param>
public readonly record struct ServerHeartbeatFailedEvent(ObjectId TopologyId, MongoServerAddress ServerAddress, long ConnectionId, long? ServerConnectionId, bool Awaited, TimeSpan Duration, Exception Failure);
