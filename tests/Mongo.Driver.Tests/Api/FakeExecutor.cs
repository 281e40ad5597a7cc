using Mongo.Bson;
using Mongo.Driver.Connections;
using Mongo.Driver.Operations;
using Mongo.Driver.Wire;
using ServerLimits = Mongo.Driver.Wire.ServerLimits;

namespace Mongo.Driver.Tests.Api;

/// <summary>An executor that records every command and answers from a script (no server).</summary>
internal sealed class FakeExecutor : IOperationExecutor
{
    private readonly Queue<Func<CommandOperation, BsonDocument>> _replies = new();

    public List<CommandOperation> Sent { get; } = [];

    public ServerLimits Limits { get; set; } = new(16 * 1024 * 1024, 48_000_000, 100_000, 25);

    public bool Disposed { get; private set; }

    /// <summary>The server every command "went to".</summary>
    public MongoServerAddress Server { get; set; } = new("fake", 27017);

    /// <summary>The type of <see cref="Server"/>, as reported to transactions (Mongos pins them).</summary>
    public Mongo.Driver.Topology.ServerType ServerType { get; set; } = Mongo.Driver.Topology.ServerType.RSPrimary;

    /// <summary>Every call, sync or async, as "async"/"sync" in order.</summary>
    public List<string> Modes { get; } = [];

    /// <summary>Answers a command when no scripted reply is left (null: <c>{ ok: 1 }</c>); it may throw, like a dropped connection.</summary>
    public Func<CommandOperation, BsonDocument?>? Otherwise { get; set; }

    public FakeExecutor Reply(BsonDocument reply) => Reply(_ => reply);

    public FakeExecutor Reply(Func<CommandOperation, BsonDocument> reply)
    {
        _replies.Enqueue(reply);
        return this;
    }

    /// <summary>When set, asking for the write limits (selecting a server to write to) throws it.</summary>
    public Exception? LimitsError { get; set; }

    public ValueTask<ServerLimits> GetWriteLimitsAsync(bool async, CancellationToken ct) =>
        LimitsError is { } error ? ValueTask.FromException<ServerLimits>(error) : new(Limits);

    /// <summary>A slow server: async calls of a command named here wait for the task before they are answered.</summary>
    public Dictionary<string, Task> Delays { get; } = new(StringComparer.Ordinal);

    public ValueTask<CommandResponse> ExecuteAsync(bool async, CommandOperation message, CancellationToken ct)
    {
        if (async && Delays.TryGetValue(message.CommandName, out var delay) && !delay.IsCompleted)
        {
            return DelayedAsync(delay, message, ct);
        }

        return Answer(async, message, ct);
    }

    private async ValueTask<CommandResponse> DelayedAsync(Task delay, CommandOperation message, CancellationToken ct)
    {
        await delay.WaitAsync(ct);
        return await Answer(async: true, message, ct);
    }

    private ValueTask<CommandResponse> Answer(bool async, CommandOperation message, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        if (message.Transaction is { } transaction)
        {
            // What the real executor reports after server selection (a mongos pins a sharded transaction).
            transaction.SelectedServer = Server;
            transaction.SelectedServerType = ServerType;
        }

        // Sequence documents may be slices of a pooled buffer that is only valid during the call (as on a
        // real connection, which copies them into the wire message): keep our own copy for later assertions.
        Sent.Add(Snapshot(message));
        Modes.Add(async ? "async" : "sync");
        BsonDocument reply = message.MoreToCome ? new BsonDocument("ok", 1) : _replies.Count > 0 ? _replies.Dequeue()(message) : Otherwise?.Invoke(message) ?? new BsonDocument("ok", 1);
        if (reply.TryGetValue("ok", out var ok) && ok.ToDouble() == 0)
        {
            var error = new MongoCommandException(reply["errmsg"].AsString, reply["code"].ToInt32(), reply.GetValueOrDefault("codeName")?.AsString, message.Body.GetElement(0).Name, reply);
            ExceptionFactory.AddErrorLabels(error, reply);
            throw error;
        }

        return new(new CommandResponse(new Mongo.Driver.Connections.CommandReply { Server = Server, Bytes = reply.ToBytes() }));
    }

    private static CommandOperation Snapshot(CommandOperation message)
    {
        if (message.Sequences.Count == 0)
        {
            return message;
        }

        var sequences = new List<CommandSequence>(message.Sequences.Count);
        foreach (var sequence in message.Sequences)
        {
            var documents = new List<ReadOnlyMemory<byte>>(sequence.Documents.Count);
            foreach (var document in sequence.Documents)
            {
                documents.Add(document.ToArray());
            }

            sequences.Add(sequence with { Documents = documents });
        }

        return message with { Sequences = sequences };
    }

    public ValueTask DisposeAsync()
    {
        Disposed = true;
        return default;
    }

    public static MongoClient Client(FakeExecutor executor, MongoClientSettings? settings = null) =>
        new(settings ?? new MongoClientSettings(), executor, null);

    public static BsonDocument CursorReply(long id, string ns, IEnumerable<BsonDocument> docs, bool first = true) =>
        new() { { "cursor", new BsonDocument { { first ? "firstBatch" : "nextBatch", new BsonArray(docs) }, { "id", id }, { "ns", ns } } }, { "ok", 1.0 } };

    public static List<BsonDocument> Documents(CommandOperation message, int sequence = 0)
    {
        var list = new List<BsonDocument>();
        foreach (var bytes in message.Sequences[sequence].Documents)
        {
            list.Add(BsonDocument.FromBytes(bytes.Span));
        }

        return list;
    }
}
