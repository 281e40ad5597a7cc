using Mongo.Bson;

namespace Mongo.Driver.Events;

/// <summary>
/// A command is about to be sent. Handshake, authentication and monitoring (heartbeat) commands are not reported;
/// for sensitive commands (authenticate, saslStart, saslContinue, getnonce, createUser, updateUser, copydb*, and hello
/// with speculativeAuthenticate) <see cref="Command"/> is an empty document.
/// </summary>
/// <param name="Command">The command as sent, including <c>$db</c> and the fields the driver adds; OP_MSG document sequences appear as arrays named by their identifier.</param>
/// <param name="DatabaseName">The database the command runs on.</param>
/// <param name="CommandName">The command's name (its first field).</param>
/// <param name="RequestId">The wire request id (matches the succeeded/failed event).</param>
/// <param name="OperationId">Links the commands of one driver operation (a retried command keeps its operation id).</param>
/// <param name="ServerAddress">The server the command goes to.</param>
/// <param name="ConnectionId">The driver's id of the connection (unique per server).</param>
/// <param name="ServerConnectionId">The server's id for the connection (hello's connectionId), when it reported one.</param>
/// <param name="ServiceId">Load-balanced mode: the id of the service behind the balancer.</param>
public readonly record struct CommandStartedEvent(
    BsonDocument Command, string DatabaseName, string CommandName, int RequestId, long OperationId,
    MongoServerAddress ServerAddress, long ConnectionId, long? ServerConnectionId, ObjectId? ServiceId);

/// <summary>A command's reply said ok:1 (write errors included), or an unacknowledged write was sent.</summary>
/// <param name="Reply">The reply (<c>{ ok: 1 }</c> for unacknowledged writes; empty for sensitive commands).</param>
/// <param name="DatabaseName">The database the command ran on.</param>
/// <param name="CommandName">The command's name.</param>
/// <param name="RequestId">The wire request id.</param>
/// <param name="OperationId">The driver operation id.</param>
/// <param name="ServerAddress">The server.</param>
/// <param name="ConnectionId">The driver's id of the connection.</param>
/// <param name="ServerConnectionId">The server's id for the connection.</param>
/// <param name="ServiceId">Load-balanced mode: the service id.</param>
/// <param name="Duration">Time to encode, send and read the reply.</param>
public readonly record struct CommandSucceededEvent(
    BsonDocument Reply, string DatabaseName, string CommandName, int RequestId, long OperationId,
    MongoServerAddress ServerAddress, long ConnectionId, long? ServerConnectionId, ObjectId? ServiceId, TimeSpan Duration);

/// <summary>A command failed: its reply said ok:0, or sending it or reading the reply failed.</summary>
/// <param name="Failure">The error (for sensitive commands, a server error keeps only its code, code name and labels).</param>
/// <param name="DatabaseName">The database the command ran on.</param>
/// <param name="CommandName">The command's name.</param>
/// <param name="RequestId">The wire request id.</param>
/// <param name="OperationId">The driver operation id.</param>
/// <param name="ServerAddress">The server.</param>
/// <param name="ConnectionId">The driver's id of the connection.</param>
/// <param name="ServerConnectionId">The server's id for the connection.</param>
/// <param name="ServiceId">Load-balanced mode: the service id.</param>
/// <param name="Duration">Time until the failure.</param>
public readonly record struct CommandFailedEvent(
    Exception Failure, string DatabaseName, string CommandName, int RequestId, long OperationId,
    MongoServerAddress ServerAddress, long ConnectionId, long? ServerConnectionId, ObjectId? ServiceId, TimeSpan Duration);
