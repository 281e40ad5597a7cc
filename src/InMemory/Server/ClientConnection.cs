using System.Buffers.Binary;
using System.Net.Security;
using System.Net.Sockets;
using Mongo.Bson;
using Mongo.InMemory.Commands;
using Mongo.InMemory.Wire;

namespace Mongo.InMemory.Server;

/// <summary>
/// One client connection: reads length-prefixed messages into a reused buffer, dispatches them one at a time and
/// writes the replies. Malformed framing closes the connection; malformed content gets an error reply. Nothing a
/// client sends can throw out of <see cref="RunAsync"/>.
/// </summary>
internal sealed class ClientConnection
{
    private const int GrowthChunk = 256 * 1024;
    private static int s_nextReplyId;

    private readonly Socket _socket;
    private readonly ServerState _state;
    private readonly CommandDispatcher _dispatcher;
    private readonly ConnectionInfo _info;

    public ClientConnection(Socket socket, ServerState state, CommandDispatcher dispatcher)
    {
        _socket = socket;
        _state = state;
        _dispatcher = dispatcher;
        _info = new ConnectionInfo { Id = state.NextConnectionId(), RemoteEndPoint = socket.RemoteEndPoint };
    }

    public int Id => _info.Id;

    /// <summary>Closes the socket, which ends <see cref="RunAsync"/> at its next read or write.</summary>
    public void Abort()
    {
        try
        {
            _socket.Shutdown(SocketShutdown.Both);
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            // Already closed.
        }

        _socket.Dispose();
    }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        Stream stream = new NetworkStream(_socket, ownsSocket: true);
        if (_state.Options.TlsCertificate is not null)
        {
            // TLS (driver-core): see TlsServerStream.cs.
            SslStream? tls = await TlsServerStream.AuthenticateAsync(stream, _state.Options, cancellationToken).ConfigureAwait(false);
            if (tls is null)
            {
                return;
            }

            _info.ClientCertificateSubject = TlsServerStream.ClientSubject(tls);
            stream = tls;
        }

        var input = new PooledBuffer();
        var decompressed = new PooledBuffer();
        var output = new PooledBuffer();
        var compressed = new PooledBuffer();
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                input.Clear();
                if (!await ReadExactlyAsync(stream, input, MessageParser.HeaderLength, allowEndOfStream: true, cancellationToken).ConfigureAwait(false))
                {
                    return; // the client closed the connection between messages
                }

                int length = BinaryPrimitives.ReadInt32LittleEndian(input.WrittenSpan);
                int opCode = BinaryPrimitives.ReadInt32LittleEndian(input.WrittenSpan[12..]);
                if (length < MessageParser.HeaderLength + 5 || length > _state.Options.MaxMessageSizeBytes)
                {
                    // The stream cannot be re-synchronised after a bad length: drop the connection, as the server does.
                    _state.Statistics.InvalidMessage();
                    return;
                }

                if (!await ReadExactlyAsync(stream, input, length - MessageParser.HeaderLength, allowEndOfStream: false, cancellationToken).ConfigureAwait(false))
                {
                    return;
                }

                _state.Statistics.MessageReceived(opCode);
                WireRequest request;
                try
                {
                    request = Parse(input, decompressed, opCode);
                }
                catch (WireProtocolException ex)
                {
                    _state.Statistics.InvalidMessage();
                    if (ex.CloseConnection)
                    {
                        return;
                    }

                    int requestId = BinaryPrimitives.ReadInt32LittleEndian(input.WrittenSpan[4..]);
                    BsonDocument error = _dispatcher.ErrorReply(ex.Code, ex.CodeName, ex.Message, null);
                    if (IsLegacyQuery(opCode, input))
                    {
                        ReplyWriter.WriteLegacyReply(output, NextReplyId(), requestId, error);
                    }
                    else
                    {
                        ReplyWriter.WriteMsg(output, NextReplyId(), requestId, error, moreToCome: false);
                    }

                    await SendAsync(stream, output, compressed, EffectiveCompressor(opCode, input), cancellationToken).ConfigureAwait(false);
                    continue;
                }

                if (!await HandleAsync(stream, request, output, compressed, cancellationToken).ConfigureAwait(false))
                {
                    return;
                }

                // Give back buffers a huge message made grow, so an idle connection holds little memory.
                input.Reset();
                decompressed.Reset();
                output.Reset();
                compressed.Reset();
            }
        }
        catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException or OperationCanceledException)
        {
            // The client went away or the server is stopping.
        }
        catch (Exception ex)
        {
            // A server bug: lose this connection, never the server. Counted so tests can notice.
            _state.Statistics.InternalError();
            Console.Error.WriteLine($"Mongo.InMemory: connection {_info.Id} failed: {ex}");
        }
        finally
        {
            await stream.DisposeAsync().ConfigureAwait(false);
            input.Dispose();
            decompressed.Dispose();
            output.Dispose();
            compressed.Dispose();
        }
    }

    /// <summary>Runs one request and writes its reply (or replies, for an exhaust stream). False: close the connection.</summary>
    private async ValueTask<bool> HandleAsync(Stream stream, WireRequest request, PooledBuffer output, PooledBuffer compressed, CancellationToken cancellationToken)
    {
        int responseTo = request.RequestId;
        if (request.IsLegacyQuery && request.Database is null)
        {
            // An OP_QUERY on a collection rather than <db>.$cmd is a legacy find, which mongod 8.0 refuses with a
            // QueryFailure reply instead of running it as a command.
            ReplyWriter.WriteLegacyQueryFailure(output, NextReplyId(), responseTo);
            await SendAsync(stream, output, compressed, request.Compressor, cancellationToken).ConfigureAwait(false);
            return true;
        }

        while (true)
        {
            DispatchResult result = await _dispatcher.ExecuteAsync(request, _info, cancellationToken).ConfigureAwait(false);
            if (result.CloseConnection)
            {
                return false;
            }

            if (request.MoreToCome)
            {
                return true; // the client asked for no reply
            }

            int replyId = NextReplyId();
            try
            {
                WriteReply(output, request, replyId, responseTo, result.Reply!, result.MoreToCome);
            }
            catch (BsonException ex)
            {
                // A reply Mongo.Bson refuses (a NUL in a field name a handler produced, a reply over the size limit):
                // answer with an error instead, so the client is not left waiting.
                BsonDocument error = _dispatcher.ErrorReply(ErrorCodes.InternalError, "InternalError", "Could not encode the reply: " + ex.Message, null);
                WriteReply(output, request, replyId, responseTo, error, moreToCome: false);
                result = DispatchResult.Send(error);
            }

            await SendAsync(stream, output, compressed, request.Compressor, cancellationToken).ConfigureAwait(false);
            if (!result.MoreToCome)
            {
                return true;
            }

            // Exhaust: the next reply answers this one, with no new request from the client. A streaming hello goes on
            // from the topologyVersion it just reported, so the next reply waits for the next change.
            responseTo = replyId;
            if (request.Command.Contains("topologyVersion") && result.Reply!.GetValueOrDefault("topologyVersion") is BsonDocument reported)
            {
                request.Command.Set("topologyVersion", reported);
            }
        }
    }

    private static void WriteReply(PooledBuffer output, WireRequest request, int replyId, int responseTo, BsonDocument reply, bool moreToCome)
    {
        if (request.IsLegacyQuery)
        {
            ReplyWriter.WriteLegacyReply(output, replyId, responseTo, reply);
        }
        else
        {
            ReplyWriter.WriteMsg(output, replyId, responseTo, reply, moreToCome);
        }
    }

    private static bool IsLegacyQuery(int opCode, PooledBuffer input) =>
        opCode == OpCode.Query
        || (opCode == OpCode.Compressed && input.Length >= 20 && BinaryPrimitives.ReadInt32LittleEndian(input.WrittenSpan[16..]) == OpCode.Query);

    private WireRequest Parse(PooledBuffer input, PooledBuffer decompressed, int opCode)
    {
        if (opCode != OpCode.Compressed)
        {
            WireRequest plain = MessageParser.Parse(input.WrittenSpan, opCode, null, out bool verified);
            if (verified)
            {
                _state.Statistics.ChecksumVerified();
            }

            return plain;
        }

        ReadOnlySpan<byte> message = input.WrittenSpan;
        if (message.Length < MessageParser.HeaderLength + 9)
        {
            throw new WireProtocolException("OP_COMPRESSED is too short", closeConnection: true);
        }

        int originalOpCode = BinaryPrimitives.ReadInt32LittleEndian(message[16..]);
        int uncompressedSize = BinaryPrimitives.ReadInt32LittleEndian(message[20..]);
        var compressor = (CompressorId)message[24];
        if (originalOpCode is not (OpCode.Msg or OpCode.Query))
        {
            throw new WireProtocolException($"OP_COMPRESSED may not wrap {OpCode.Name(originalOpCode)}", closeConnection: true);
        }

        if (uncompressedSize < 5 || uncompressedSize > _state.Options.MaxMessageSizeBytes - MessageParser.HeaderLength)
        {
            throw new WireProtocolException($"OP_COMPRESSED announces an invalid size {uncompressedSize}", closeConnection: true);
        }

        if (compressor != CompressorId.Noop && !_info.Compressors.Contains(compressor))
        {
            // Only what the handshake agreed on may be used.
            throw new WireProtocolException($"Compressor {Compression.Name(compressor)} was not negotiated", closeConnection: true);
        }

        _state.Statistics.CompressedReceived(compressor);
        // Rebuild the original message (a header with the original opcode, then the payload) so the checksum,
        // which covers the uncompressed message, can be checked as for a plain one.
        decompressed.Clear();
        decompressed.SetLength(MessageParser.HeaderLength + uncompressedSize);
        Span<byte> target = decompressed.WrittenSpan;
        BinaryPrimitives.WriteInt32LittleEndian(target, MessageParser.HeaderLength + uncompressedSize);
        message.Slice(4, 8).CopyTo(target[4..]);
        BinaryPrimitives.WriteInt32LittleEndian(target[12..], originalOpCode);
        Compression.Decompress(compressor, input.RawArray, 25, input.Length - 25, target[MessageParser.HeaderLength..]);
        _state.Statistics.MessageReceived(originalOpCode);
        WireRequest request = MessageParser.Parse(target, originalOpCode, compressor, out bool checksumVerified);
        if (checksumVerified)
        {
            _state.Statistics.ChecksumVerified();
        }

        return request;
    }

    private static CompressorId? EffectiveCompressor(int opCode, PooledBuffer input) =>
        opCode == OpCode.Compressed && input.Length > 24 ? (CompressorId)input.WrittenSpan[24] : null;

    private async ValueTask SendAsync(Stream stream, PooledBuffer message, PooledBuffer scratch, CompressorId? compressor, CancellationToken cancellationToken)
    {
        PooledBuffer toSend = message;
        if (compressor is CompressorId id && id != CompressorId.Noop)
        {
            ReplyWriter.Compress(message, scratch, id);
            _state.Statistics.CompressedSent(id);
            toSend = scratch;
        }

        await stream.WriteAsync(toSend.WrittenMemory, cancellationToken).ConfigureAwait(false);
        _state.Statistics.ReplySent();
    }

    private static async ValueTask<bool> ReadExactlyAsync(Stream stream, PooledBuffer buffer, int count, bool allowEndOfStream, CancellationToken cancellationToken)
    {
        int start = buffer.Length;
        int read = 0;
        while (read < count)
        {
            // Grow with the bytes that actually arrive, not with the length a header merely claims: a client
            // announcing 48 MB and sending nothing must not make the server allocate 48 MB.
            buffer.EnsureCapacity(start + Math.Min(count, read + GrowthChunk));
            int chunk = Math.Min(count - read, buffer.RawArray.Length - start - read);
            int n = await stream.ReadAsync(buffer.RawArray.AsMemory(start + read, chunk), cancellationToken).ConfigureAwait(false);
            if (n == 0)
            {
                // End of stream: between messages that is a normal close; inside one (allowEndOfStream false or
                // bytes already read) the message is truncated and there is nobody left to answer either way.
                _ = allowEndOfStream;
                return false;
            }

            // Count the bytes at once: growing the buffer on the next pass keeps only counted bytes.
            read += n;
            buffer.Advance(n);
        }

        return true;
    }

    private static int NextReplyId() => Interlocked.Increment(ref s_nextReplyId);
}
