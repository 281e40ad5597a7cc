using Mongo.Bson;

namespace Mongo.Driver.Connections;

/// <summary>
/// What a connection needs to send one command: the database, the body (written straight into the OP_MSG buffer, no
/// intermediate copy), the document sequences and the few flags that change the message or the reading of its reply.
/// Operation semantics (retryability, server selection, sessions) live above: an operation implements this view of
/// itself, so handing it to the connection allocates nothing and the connection never sees the operation's type.
/// </summary>
internal interface IWireCommand
{
    /// <summary>The database the command runs in (added as <c>$db</c>).</summary>
    string Database { get; }

    /// <summary>The command document without <c>$db</c>; the connection adds <c>$db</c>, <c>apiVersion</c> and the <see cref="CommandExtras"/>.</summary>
    BsonDocument Body { get; }

    /// <summary>OP_MSG kind-1 sections.</summary>
    IReadOnlyList<CommandSequence> Sequences { get; }

    /// <summary>Unacknowledged (w:0): the moreToCome flag is set and no reply is read.</summary>
    bool MoreToCome { get; }

    /// <summary>
    /// The reader of the reply copies out what it keeps before it moves on: a large reply may stay in the connection's
    /// pooled receive buffer, handed over through <see cref="CommandReply.Lease"/>, instead of being copied.
    /// </summary>
    bool LeaseReply { get; }

    /// <summary>Adds <c>rawData: true</c> when the server supports it (8.2+); older servers never see the option.</summary>
    bool RawData { get; }

    /// <summary>
    /// The oldest wire version that understands this command; a connection to an older server refuses it with a
    /// <see cref="MongoNotSupportedException"/> before anything is sent (0 = any server).
    /// </summary>
    int MinWireVersion { get; }

    /// <summary>The command's name (the body's first element).</summary>
    string CommandName { get; }
}

/// <summary>A command of the connection's own (handshake, authentication, monitoring hello), or a test's.</summary>
internal sealed class WireCommand : IWireCommand
{
    public WireCommand(string database, BsonDocument body)
    {
        Database = database;
        Body = body;
    }

    /// <inheritdoc/>
    public string Database { get; }

    /// <inheritdoc/>
    public BsonDocument Body { get; }

    /// <inheritdoc/>
    public IReadOnlyList<CommandSequence> Sequences { get; init; } = [];

    /// <inheritdoc/>
    public bool MoreToCome { get; init; }

    /// <inheritdoc/>
    public bool LeaseReply { get; init; }

    /// <inheritdoc/>
    public bool RawData { get; init; }

    /// <inheritdoc/>
    public int MinWireVersion { get; init; }

    /// <inheritdoc/>
    public string CommandName => Body.ElementCount == 0 ? string.Empty : Body.GetElement(0).Name;
}
