using System.Globalization;
using System.Net.Sockets;
using Mongo.Bson;
using Mongo.Driver.Compression;
using Mongo.Driver.Util;
using Mongo.Driver.Wire;

namespace Mongo.Driver.Connections;

/// <summary>
/// One connection to one server: owns the socket/stream, the send and receive buffers and the BSON writer,
/// and runs one command at a time (the pool hands it to one operation). Sync and async share one code
/// path (the <c>async</c> flag picks the stream call). Any I/O or protocol failure breaks the connection
/// (<see cref="Break"/>): it is closed and the pool discards it on check-in.
/// </summary>
internal sealed partial class Connection : IConnection
{
    private const int StateNew = 0;
    private const int StateOpen = 1;
    private const int StateBroken = 2;
    private const int StateDisposed = 3;

    private readonly ConnectionSettings _settings;
    private readonly PooledByteBufferWriter _sendBuffer = new(4096);
    private readonly OpMsgWriter _opMsg;
    private readonly BsonWriter _bson = new(new BsonWriterOptions { MaxDocumentSize = BsonWriterOptions.DefaultMaxDocumentSize + 16 * 1024 });
    private PooledByteBufferWriter? _compressBuffer;
    private PooledByteBufferWriter? _decompressBuffer;
    private Stream? _stream;
    private Socket? _socket;

    /// <summary>The server's endpoint as connected (for <c>network.peer.*</c> span attributes); null before opening or after closing.</summary>
    internal System.Net.EndPoint? RemoteEndPoint
    {
        get
        {
            try
            {
                return _socket?.RemoteEndPoint;
            }
            catch (Exception ex) when (ex is ObjectDisposedException or System.Net.Sockets.SocketException)
            {
                return null;
            }
        }
    }
    private ReadBuffer? _readBuffer;
    private CancellationTokenSource? _timeoutCts;
    private int _currentSocketTimeout = -2;
    private int _state;
    private Exception? _breakReason;

    public Connection(long id, MongoServerAddress address, int generation, ConnectionSettings settings)
    {
        Id = id;
        Address = address;
        Generation = generation;
        _settings = settings;
        _opMsg = new OpMsgWriter(_sendBuffer);
    }

    public long Id { get; }

    public int Generation { get; }

    public MongoServerAddress Address { get; }

    public ConnectionDescription? Description { get; private set; }

    public bool IsBroken => Volatile.Read(ref _state) >= StateBroken;

    public long LastUsedTimestamp { get; set; }

    /// <summary>Connects, handshakes and authenticates; on failure the connection is broken and the error rethrown.</summary>
    public async ValueTask OpenAsync(bool async, CancellationToken cancellationToken, Deadline? operationDeadline = null)
    {
        if (_state != StateNew)
        {
            throw new InvalidOperationException("A connection is opened once.");
        }

        try
        {
            (_stream, _socket) = await StreamFactory.OpenAsync(async, Address, _settings, cancellationToken).ConfigureAwait(false);
            _readBuffer = new ReadBuffer(_stream);
            _state = StateOpen;
            Deadline deadline = _settings.ConnectTimeout == TimeSpan.Zero ? Deadline.Infinite : Deadline.After(_settings.ConnectTimeout);
            if (operationDeadline is { } operation)
            {
                deadline = deadline.Min(operation);
            }

            await HandshakeAsync(async, deadline, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            Exception reason = ex is MongoException or OperationCanceledException
                ? ex
                : new MongoConnectionException("Opening a connection to " + Address + " failed: " + ex.Message, ex);
            if (Description is null && reason is MongoException beforeHello)
            {
                // No hello reply yet: connecting or hello failed, which may be the server shedding load.
                ConnectionErrors.AddBackpressureLabels(beforeHello);
            }

            throw Break(reason);
        }
    }

    /// <summary>Sends one command and, unless moreToCome, reads and validates its reply.</summary>
    public ValueTask<CommandReply?> ExecuteAsync(bool async, IWireCommand message, Deadline deadline, CancellationToken cancellationToken) =>
        ExecuteAsync(async, message, default, deadline, cancellationToken);

    /// <summary>Sends one command with executor-supplied extra fields.</summary>
    public async ValueTask<CommandReply?> ExecuteAsync(bool async, IWireCommand message, CommandExtras extras, Deadline deadline, CancellationToken cancellationToken)
    {
        ThrowIfNotUsable();
        if (message.MinWireVersion > 0 && (Description?.MaxWireVersion ?? 0) < message.MinWireVersion)
        {
            // Refused here, where the server actually chosen is known: an older server would answer with an
            // unknown-command error that does not say a newer server is needed.
            throw new MongoNotSupportedException(
                "The " + message.CommandName + " command requires MongoDB " + WireVersion.ServerRelease(message.MinWireVersion)
                + " or newer (wire version " + message.MinWireVersion + "), but the server at " + Address + " supports only wire version "
                + (Description?.MaxWireVersion ?? 0) + ".");
        }

        int requestId = RequestIds.Next();
        ReadOnlyMemory<byte> bytes = Encode(message, requestId, extras);
        if (extras.Span is { IsAllDataRequested: true } span)
        {
            TagSentCommand(span, message, extras);
        }

        if (extras.Events is { CommandsEnabled: true } events)
        {
            return await ExecuteMonitoredAsync(async, message, extras.OperationId, events, bytes, requestId, deadline, cancellationToken).ConfigureAwait(false);
        }

        (ReadOnlyMemory<byte> reply, ReplyLease? lease) = await RoundTripAsync(async, bytes, requestId, !message.MoreToCome, message.LeaseReply, deadline, cancellationToken).ConfigureAwait(false);
        return message.MoreToCome ? null : new CommandReply { Server = Address, Bytes = reply, Lease = lease };
    }

    /// <summary>
    /// Writes a message (none when <paramref name="message"/> is empty: the next reply of an exhaust stream) and, when
    /// <paramref name="expectReply"/>, reads the reply body: into a new array, or, when <paramref name="lease"/> allows and
    /// the reply is large, in the receive buffer itself, handed over with its lease. With <paramref name="exhaust"/> the
    /// reply may carry moreToCome (<see cref="IsStreaming"/> then says so) and the deadline alone bounds the wait: an
    /// awaitable hello legitimately outlasts the monitoring socket timeout.
    /// </summary>
    internal async ValueTask<(ReadOnlyMemory<byte> Body, ReplyLease? Lease)> RoundTripAsync(
        bool async, ReadOnlyMemory<byte> message, int requestId, bool expectReply, bool lease, Deadline deadline, CancellationToken cancellationToken, bool exhaust = false)
    {
        cancellationToken.ThrowIfCancellationRequested();
        // timeoutMS replaces socketTimeoutMS (client-side operations timeout spec).
        Deadline effective = exhaust || deadline.IsTimeoutMS ? deadline : deadline.Min(Deadline.After(_settings.SocketTimeout));
        bool operationDeadline = !exhaust && !deadline.IsInfinite && deadline.Min(effective).Equals(deadline);
        CancellationToken token = cancellationToken;
        CancellationTokenRegistration registration = default;
        if (async && !effective.IsInfinite)
        {
            token = StartTimeout(effective, cancellationToken, out registration);
        }
        else if (!async)
        {
            SetSyncTimeout(effective);
        }

        try
        {
            Stream stream = _stream!;
            if (message.IsEmpty)
            {
                // Nothing to send: the server streams the next reply of an exhaust command by itself.
            }
            else if (async)
            {
                await stream.WriteAsync(message, token).ConfigureAwait(false);
                await stream.FlushAsync(token).ConfigureAwait(false);
            }
            else
            {
                stream.Write(message.Span);
                stream.Flush();
            }

            return expectReply ? await ReceiveAsync(async, requestId, lease, exhaust, token).ConfigureAwait(false) : default;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The reply may still arrive; the stream position is unknown, so the connection cannot be reused.
            throw Break(new OperationCanceledException("The operation was cancelled while talking to " + Address + "; the connection was closed.", cancellationToken));
        }
        catch (Exception ex) when (ex is OperationCanceledException || IsTimeout(ex))
        {
            throw Interrupted() ?? Break(operationDeadline
                ? (deadline.IsTimeoutMS
                    ? new MongoOperationTimeoutException("The operation exceeded timeoutMS while waiting for server " + Address + " (connection " + Id + ").", ex)
                    : new MongoTimeoutException("The operation timed out while waiting for server " + Address + " (connection " + Id + ").", ex))
                : new MongoConnectionException("A socket read or write to " + Address + " timed out after socketTimeoutMS (connection " + Id + ").", ex));
        }
        catch (MongoException ex)
        {
            throw Break(ex);
        }
        catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException or EndOfStreamException or BsonException)
        {
            throw Interrupted() ?? Break(new MongoConnectionException("Connection " + Id + " to " + Address + " failed: " + ex.Message, ex));
        }
        finally
        {
            registration.Dispose();
        }
    }

    private async ValueTask<(ReadOnlyMemory<byte> Body, ReplyLease? Lease)> ReceiveAsync(bool async, int requestId, bool lease, bool exhaust, CancellationToken cancellationToken)
    {
        ReadBuffer buffer = _readBuffer!;
        await buffer.EnsureAsync(async, MessageHeader.Size, cancellationToken).ConfigureAwait(false);
        int maxMessageSize = Description?.Limits.MaxMessageSize ?? ServerLimits.Default.MaxMessageSize;
        MessageHeader header = MessageHeader.ReadIncoming(buffer.Span, maxMessageSize);
        if (header.ResponseTo != requestId)
        {
            throw new MongoProtocolException(
                "The reply's responseTo " + header.ResponseTo.ToString(CultureInfo.InvariantCulture) + " does not match the request id " + requestId.ToString(CultureInfo.InvariantCulture) + ".", 8);
        }

        if (header.OpCode == OpCode.Reply)
        {
            throw new MongoProtocolException("The server replied with OP_REPLY to an OP_MSG request.", 12);
        }

        await buffer.EnsureAsync(async, header.MessageLength, cancellationToken).ConfigureAwait(false);
        ReadOnlyMemory<byte> message = buffer.Memory[..header.MessageLength];
        if (header.OpCode == OpCode.Compressed)
        {
            PooledByteBufferWriter decompressed = _decompressBuffer ??= new PooledByteBufferWriter(4096);
            decompressed.Reset();
            OpCompressed.Decompress(message.Span, maxMessageSize, decompressed);
            message = decompressed.WrittenMemory;
        }

        OpMsgMessage parsed = OpMsgMessage.Parse(message);
        if (parsed.MoreToCome && !exhaust)
        {
            throw new MongoProtocolException("The server set moreToCome on a reply, but this connection did not request exhaust.", 16);
        }

        if (exhaust)
        {
            // OP_MSG: each further reply of the stream answers the previous reply's requestID.
            _streamResponseTo = parsed.MoreToCome ? header.RequestId : 0;
        }

        // A large uncompressed reply stays where it was received (parsed.Body is a slice of that array) and the buffer
        // goes with it: leased, it returns to the pool once read; otherwise the reply's documents own it and the pool
        // never sees it again (an array rented and not returned is simply collected), which saves copying megabytes.
        // Smaller replies are copied out so the buffer can take the next message.
        if (header.OpCode != OpCode.Compressed && buffer.TryDetach(header.MessageLength, out byte[] array))
        {
            return (parsed.Body, lease ? new ReplyLease(array) : null);
        }

        byte[] body = parsed.Body.ToArray();
        buffer.Consume(header.MessageLength);
        return (body, null);
    }

    /// <summary>Marks the connection broken and closes the stream (idempotent); returns <paramref name="reason"/>.</summary>
    public Exception Break(Exception reason)
    {
        int previous = Interlocked.Exchange(ref _state, StateBroken);
        if (previous == StateDisposed)
        {
            Volatile.Write(ref _state, StateDisposed);
        }
        else if (previous != StateBroken)
        {
            Volatile.Write(ref _breakReason, reason);
            CloseStream();
        }

        return reason;
    }

    /// <summary>
    /// The pool's error when it closed this connection under a running operation (CMAP interruptInUseConnections: the
    /// operation fails with that retryable PoolClearedError, not with the socket error the closing caused); else null.
    /// </summary>
    private MongoPoolClearedException? Interrupted() => Volatile.Read(ref _breakReason) as MongoPoolClearedException;

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _state, StateDisposed) == StateDisposed)
        {
            return;
        }

        CloseStream();
        _readBuffer?.Dispose();
        _sendBuffer.Dispose();
        _compressBuffer?.Dispose();
        _decompressBuffer?.Dispose();
        _bson.Dispose();
        _timeoutCts?.Dispose();
    }

    private void CloseStream()
    {
        try
        {
            _stream?.Dispose();
            _socket?.Dispose();
        }
        catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException)
        {
            // Closing a connection that already failed may fail again; nothing to do.
        }
    }

    private CancellationToken StartTimeout(Deadline deadline, CancellationToken cancellationToken, out CancellationTokenRegistration registration)
    {
        CancellationTokenSource cts = _timeoutCts is { } existing && existing.TryReset() ? existing : ReplaceTimeoutSource();
        cts.CancelAfter(deadline.TimeLeft);
        registration = cancellationToken.CanBeCanceled
            ? cancellationToken.UnsafeRegister(static state => ((CancellationTokenSource)state!).Cancel(), cts)
            : default;
        return cts.Token;
    }

    private CancellationTokenSource ReplaceTimeoutSource()
    {
        _timeoutCts?.Dispose();
        return _timeoutCts = new CancellationTokenSource();
    }

    private void SetSyncTimeout(Deadline deadline)
    {
        int ms = deadline.TimeLeftMilliseconds;
        if (ms == _currentSocketTimeout)
        {
            return;
        }

        _currentSocketTimeout = ms;
        if (_stream is { CanTimeout: true } stream)
        {
            stream.ReadTimeout = ms;
            stream.WriteTimeout = ms;
        }
    }

    private static bool IsTimeout(Exception ex) => ConnectionErrors.IsTimeout(ex);
}
