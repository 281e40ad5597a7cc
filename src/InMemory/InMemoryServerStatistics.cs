using System.Collections.Concurrent;
using Mongo.InMemory.Wire;

namespace Mongo.InMemory;

/// <summary>
/// Counters an <see cref="InMemoryMongoServer"/> keeps about the traffic it saw, so tests can check what a client
/// really sent (for example that it compressed with zstd). All members are thread-safe.
/// </summary>
public sealed class InMemoryServerStatistics
{
    private readonly ConcurrentDictionary<string, long> _commands = new(StringComparer.Ordinal);
    private long _opMsg;
    private long _opQuery;
    private long _opCompressed;
    private long _otherOpCodes;
    private long _invalidMessages;
    private long _checksumsVerified;
    private long _connectionsAccepted;
    private long _connectionsRejected;
    private long _currentConnections;
    private long _repliesSent;
    private long _internalErrors;
    private readonly long[] _compressedReceived = new long[4];
    private readonly long[] _compressedSent = new long[4];

    /// <summary>OP_MSG messages received (counting those that arrived inside OP_COMPRESSED).</summary>
    public long OpMsgReceived => Interlocked.Read(ref _opMsg);

    /// <summary>Legacy OP_QUERY messages received (the initial handshake).</summary>
    public long OpQueryReceived => Interlocked.Read(ref _opQuery);

    /// <summary>OP_COMPRESSED messages received.</summary>
    public long OpCompressedReceived => Interlocked.Read(ref _opCompressed);

    /// <summary>Messages with an opcode the server does not serve (the connection is closed for them).</summary>
    public long OtherOpCodesReceived => Interlocked.Read(ref _otherOpCodes);

    /// <summary>Messages rejected as malformed (bad lengths, bad BSON, bad checksums, bad compression, ...).</summary>
    public long InvalidMessagesReceived => Interlocked.Read(ref _invalidMessages);

    /// <summary>OP_MSG checksums that were present and verified.</summary>
    public long ChecksumsVerified => Interlocked.Read(ref _checksumsVerified);

    /// <summary>Connections accepted since the server started.</summary>
    public long ConnectionsAccepted => Interlocked.Read(ref _connectionsAccepted);

    /// <summary>Connections refused because <see cref="InMemoryMongoServerOptions.MaxConnections"/> were open.</summary>
    public long ConnectionsRejected => Interlocked.Read(ref _connectionsRejected);

    /// <summary>Connections open right now.</summary>
    public long CurrentConnections => Interlocked.Read(ref _currentConnections);

    /// <summary>Reply messages sent.</summary>
    public long RepliesSent => Interlocked.Read(ref _repliesSent);

    /// <summary>Connections lost to an unexpected server-side error (a bug; should stay 0).</summary>
    public long InternalErrors => Interlocked.Read(ref _internalErrors);

    /// <summary>OP_COMPRESSED messages received with the named compressor ("snappy", "zlib", "zstd" or "noop").</summary>
    public long GetCompressedMessagesReceived(string compressor) =>
        Compression.TryParseName(compressor, out CompressorId id) ? Interlocked.Read(ref _compressedReceived[(int)id]) : 0;

    /// <summary>Compressed replies sent with the named compressor.</summary>
    public long GetCompressedRepliesSent(string compressor) =>
        Compression.TryParseName(compressor, out CompressorId id) ? Interlocked.Read(ref _compressedSent[(int)id]) : 0;

    /// <summary>How many times a command (by its name as sent, e.g. "find") was received.</summary>
    public long GetCommandCount(string commandName) => _commands.TryGetValue(commandName, out long count) ? count : 0;

    internal void MessageReceived(int opCode)
    {
        switch (opCode)
        {
            case OpCode.Msg: Interlocked.Increment(ref _opMsg); break;
            case OpCode.Query: Interlocked.Increment(ref _opQuery); break;
            case OpCode.Compressed: Interlocked.Increment(ref _opCompressed); break;
            default: Interlocked.Increment(ref _otherOpCodes); break;
        }
    }

    internal void CompressedReceived(CompressorId id)
    {
        if ((int)id < _compressedReceived.Length)
        {
            Interlocked.Increment(ref _compressedReceived[(int)id]);
        }
    }

    internal void CompressedSent(CompressorId id) => Interlocked.Increment(ref _compressedSent[(int)id]);

    internal void InvalidMessage() => Interlocked.Increment(ref _invalidMessages);

    internal void ChecksumVerified() => Interlocked.Increment(ref _checksumsVerified);

    internal void InternalError() => Interlocked.Increment(ref _internalErrors);

    internal void ReplySent() => Interlocked.Increment(ref _repliesSent);

    internal void CommandReceived(string name)
    {
        // Bound the table: clients can send arbitrary names, and unknown commands all count as one bucket.
        if (_commands.Count < 1024 || _commands.ContainsKey(name))
        {
            _commands.AddOrUpdate(name, 1, static (_, count) => count + 1);
        }
    }

    internal void ConnectionOpened()
    {
        Interlocked.Increment(ref _connectionsAccepted);
        Interlocked.Increment(ref _currentConnections);
    }

    internal void ConnectionClosed() => Interlocked.Decrement(ref _currentConnections);

    internal void ConnectionRejected() => Interlocked.Increment(ref _connectionsRejected);
}
