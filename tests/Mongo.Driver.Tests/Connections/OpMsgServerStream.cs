using System.Buffers.Binary;
using Mongo.Bson;
using Mongo.Driver.Wire;

namespace Mongo.Driver.Tests.Connections;

/// <summary>
/// The <see cref="Stream"/> plumbing every scripted test server shares: the client's writes are buffered until a whole
/// OP_MSG has arrived, which is parsed and handed to <see cref="OnMessage"/>; how replies are read back is the derived
/// server's business (handed out at once, in chunks, or only when a test decides).
/// </summary>
internal abstract class OpMsgServerStream : Stream
{
    private readonly MemoryStream _input = new();

    public bool Disposed { get; private set; }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    /// <summary>Called once per complete OP_MSG the client wrote, with its body as a document.</summary>
    protected abstract void OnMessage(OpMsgMessage message, BsonDocument command);

    public override void Flush()
    {
    }

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
        OnMessage(message, BsonDocument.FromBytes(message.Body.Span));
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
        base.Dispose(disposing);
    }
}
