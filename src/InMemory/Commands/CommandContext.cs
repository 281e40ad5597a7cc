using Mongo.Bson;
using Mongo.InMemory.Server;

namespace Mongo.InMemory.Commands;

/// <summary>Everything a command handler gets.</summary>
internal sealed class CommandContext
{
    /// <summary>The database the command runs against (from <c>$db</c>).</summary>
    public required string DatabaseName { get; init; }

    /// <summary>The OP_MSG body; each kind-1 document sequence is added as a BsonArray field named by its identifier.</summary>
    public required BsonDocument Command { get; init; }

    /// <summary>
    /// The length of the message the command came in (0 when unknown): no document decoded from it can be larger, which
    /// spares inserts of small documents from measuring each one against the 16 MiB limit.
    /// </summary>
    public int MessageLength { get; init; }

    /// <summary>The shared server state.</summary>
    public required ServerState Server { get; init; }

    /// <summary>
    /// The data the command reads and writes: the server's, or inside a multi-document transaction the transaction's
    /// own snapshot (its writes reach the server's data when it commits), or the version a snapshot read asked for.
    /// </summary>
    public Engine.Storage Storage => Transaction?.Storage ?? ReadAt ?? Server.Storage;

    /// <summary>For a snapshot read at an earlier atClusterTime, the version of the data as of then (null: current).</summary>
    public Engine.Storage? ReadAt { get; set; }

    /// <summary>The transaction the command runs in (null: none).</summary>
    public Transactions.Transaction? Transaction { get; init; }

    /// <summary>The connection the command arrived on.</summary>
    public required ConnectionInfo Connection { get; init; }

    /// <summary>When the command started (<see cref="Environment.TickCount64"/>), which its maxTimeMS counts from.</summary>
    public long StartedAt { get; init; } = Environment.TickCount64;

    /// <summary>
    /// When the command's maxTimeMS runs out (<see cref="Environment.TickCount64"/>; 0: no limit). A getMore has none
    /// here: its maxTimeMS is an awaitData wait, and its cursor carries what is left of the find's limit.
    /// </summary>
    public long ExpiresAt { get; init; }

    /// <summary>The command's name: the first element's name.</summary>
    public string CommandName => Command.GetElement(0).Name;
}
