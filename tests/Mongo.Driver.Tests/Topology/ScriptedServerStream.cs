using System.Buffers.Binary;
using System.Threading.Channels;
using Mongo.Bson;
using Mongo.Driver.Tests.Connections;
using Mongo.Driver.Wire;

namespace Mongo.Driver.Tests.Topology;

/// <summary>
/// A scripted server for monitor tests: unlike <see cref="FakeServerStream"/>, a read waits until the script (or the test)
/// sends bytes, as a socket does, so a monitor can sit in an awaitable hello while the test decides what the server says
/// next. Records every request with its OP_MSG flags; <see cref="Fail"/> breaks the stream like a dropped connection.
/// </summary>
internal sealed class ScriptedServerStream : Stream
{
    private readonly Channel<byte[]> _output = Channel.CreateUnbounded<byte[]>();
    private readonly MemoryStream _input = new();
    private readonly Func<ScriptedServerStream, int, BsonDocument, byte[]?> _respond;
    private readonly object _gate = new();
    private byte[] _current = [];
    private int _position;
    private int _nextReplyId = 7000;

    public ScriptedServerStream(Func<ScriptedServerStream, int, BsonDocument, byte[]?> respond) => _respond = respond;

    /// <summary>(command, OP_MSG flags, requestID) of every message the client sent, in order.</summary>
    public List<(BsonDocument Command, OpMsgFlags Flags, int RequestId)> Requests { get; } = [];

    public bool Disposed { get; private set; }

    /// <summary>The requestID of the last reply sent (what the next streamed reply answers).</summary>
    public int LastReplyId { get; private set; }

    /// <summary>Sends one reply to <paramref name="responseTo"/>.</summary>
    public void Send(int responseTo, BsonDocument body, bool moreToCome = false)
    {
        int id;
        lock (_gate)
        {
            id = ++_nextReplyId;
            LastReplyId = id;
        }

        _output.Writer.TryWrite(FakeServerStream.Reply(responseTo, body, id, moreToCome));
    }

    /// <summary>Ends the stream: pending and later reads fail like a reset connection.</summary>
    public void Fail() => _output.Writer.TryComplete(new IOException("The scripted server dropped the connection."));

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override void Flush()
    {
    }

    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(Disposed, this);
        if (_position == _current.Length)
        {
            try
            {
                _current = await _output.Reader.ReadAsync(cancellationToken);
            }
            catch (ChannelClosedException closed)
            {
                // What a socket read reports when the peer resets the connection.
                throw closed.InnerException as IOException ?? new IOException("The scripted server closed the connection.", closed);
            }

            _position = 0;
        }

        int n = Math.Min(buffer.Length, _current.Length - _position);
        _current.AsSpan(_position, n).CopyTo(buffer.Span);
        _position += n;
        return n;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        ObjectDisposedException.ThrowIf(Disposed, this);
        _input.Write(buffer);
        byte[] all = _input.ToArray();
        if (all.Length < 4 || BinaryPrimitives.ReadInt32LittleEndian(all) > all.Length)
        {
            return;
        }

        int length = BinaryPrimitives.ReadInt32LittleEndian(all);
        _input.SetLength(0);
        _input.Write(all.AsSpan(length));
        OpMsgMessage message = OpMsgMessage.Parse(all.AsMemory(0, length));
        var command = BsonDocument.FromBytes(message.Body.Span);
        lock (_gate)
        {
            Requests.Add((command, message.Flags, message.Header.RequestId));
        }

        if (_respond(this, message.Header.RequestId, command) is { } reply)
        {
            _output.Writer.TryWrite(reply);
        }
    }

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        Write(buffer.Span);
        return ValueTask.CompletedTask;
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
    {
        Write(buffer.AsSpan(offset, count));
        return Task.CompletedTask;
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        Disposed = true;
        _output.Writer.TryComplete(new IOException("The stream was closed."));
        base.Dispose(disposing);
    }
}
