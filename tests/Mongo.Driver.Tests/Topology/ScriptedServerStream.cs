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
internal sealed class ScriptedServerStream : OpMsgServerStream
{
    private readonly Channel<byte[]> _output = Channel.CreateUnbounded<byte[]>();
    private readonly Func<ScriptedServerStream, int, BsonDocument, byte[]?> _respond;
    private readonly object _gate = new();
    private byte[] _current = [];
    private int _position;
    private int _nextReplyId = 7000;

    public ScriptedServerStream(Func<ScriptedServerStream, int, BsonDocument, byte[]?> respond) => _respond = respond;

    /// <summary>(command, OP_MSG flags, requestID) of every message the client sent, in order.</summary>
    public List<(BsonDocument Command, OpMsgFlags Flags, int RequestId)> Requests { get; } = [];

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

    protected override void OnMessage(OpMsgMessage message, BsonDocument command)
    {
        lock (_gate)
        {
            Requests.Add((command, message.Flags, message.Header.RequestId));
        }

        if (_respond(this, message.Header.RequestId, command) is { } reply)
        {
            _output.Writer.TryWrite(reply);
        }
    }

    protected override void Dispose(bool disposing)
    {
        _output.Writer.TryComplete(new IOException("The stream was closed."));
        base.Dispose(disposing);
    }
}
