using Mongo.Driver.Util;
using Mongo.Driver.Wire;

namespace Mongo.Driver.Connections;

/// <summary>
/// Exhaust commands (OP_MSG exhaustAllowed/moreToCome), used by the server monitor's streaming hello: one request, then
/// replies that the server keeps sending while it sets moreToCome. While a stream is open the connection reads only
/// the stream's replies; sending anything else would mix a new request into the server's reply stream.
/// </summary>
internal sealed partial class Connection
{
    // The requestID of the last reply that set moreToCome: the next reply's responseTo. 0 when no stream is open.
    private int _streamResponseTo;

    /// <summary>The server promised another reply to the last exhaust command (moreToCome): read it with <see cref="ReadMoreAsync"/>.</summary>
    public bool IsStreaming => _streamResponseTo != 0;

    /// <summary>
    /// Sends <paramref name="message"/> with the exhaustAllowed flag and reads its first reply. Only
    /// <paramref name="deadline"/> bounds the wait (not socketTimeoutMS: an awaitable hello waits by design).
    /// </summary>
    public async ValueTask<CommandReply> ExecuteExhaustAsync(bool async, IWireCommand message, Deadline deadline, CancellationToken cancellationToken)
    {
        ThrowIfNotUsable();
        int requestId = RequestIds.Next();
        ReadOnlyMemory<byte> bytes = Encode(message, requestId, default, OpMsgFlags.ExhaustAllowed);
        (ReadOnlyMemory<byte> reply, _) = await RoundTripAsync(async, bytes, requestId, expectReply: true, lease: false, deadline, cancellationToken, exhaust: true).ConfigureAwait(false);
        return new CommandReply { Server = Address, Bytes = reply };
    }

    /// <summary>Reads the next reply of the open exhaust stream (<see cref="IsStreaming"/> must be true).</summary>
    public async ValueTask<CommandReply> ReadMoreAsync(bool async, Deadline deadline, CancellationToken cancellationToken)
    {
        if (_state != StateOpen)
        {
            throw new MongoConnectionException("Connection " + Id + " to " + Address + " is " + (IsBroken ? "broken" : "not open") + ".");
        }

        if (!IsStreaming)
        {
            throw new InvalidOperationException("Connection " + Id + " to " + Address + " has no exhaust stream to read from.");
        }

        (ReadOnlyMemory<byte> reply, _) = await RoundTripAsync(async, ReadOnlyMemory<byte>.Empty, _streamResponseTo, expectReply: true, lease: false, deadline, cancellationToken, exhaust: true).ConfigureAwait(false);
        return new CommandReply { Server = Address, Bytes = reply };
    }

    private void ThrowIfNotUsable()
    {
        if (_state != StateOpen)
        {
            throw new MongoConnectionException("Connection " + Id + " to " + Address + " is " + (IsBroken ? "broken" : "not open") + ".");
        }

        if (IsStreaming)
        {
            throw new InvalidOperationException("Connection " + Id + " to " + Address + " is reading an exhaust stream; it cannot send another command until the stream ends.");
        }
    }
}
