using System.Collections.Concurrent;
using Mongo.Bson;

namespace Mongo.InMemory.Commands;

/// <summary>
/// The server's memory of retryable writes: per session (lsid), the latest txnNumber and the reply it produced.
/// A retry of that txnNumber gets the remembered reply instead of running the write twice; an older txnNumber
/// is refused, as on a real server. Bounded: when full, the table is emptied (sessions then lose only their
/// dedup memory, which a real server also loses on failover).
/// </summary>
internal sealed class RetryableWriteCache
{
    private const int MaxSessions = 100_000;
    private readonly ConcurrentDictionary<string, Entry> _sessions = new(StringComparer.Ordinal);

    /// <summary>A key for the session of a command, or null when the command is not a retryable write.</summary>
    public static string? SessionKey(BsonDocument command, out long txnNumber)
    {
        txnNumber = 0;
        if (!command.TryGetValue("txnNumber", out BsonValue? txn) || !txn.IsNumeric || command.Contains("autocommit")
            || !command.TryGetValue("lsid", out BsonValue? lsid) || !lsid.IsDocument
            || !lsid.AsDocument.TryGetValue("id", out BsonValue? id) || id.BsonType != BsonType.Binary)
        {
            return null;
        }

        txnNumber = txn.ToInt64();
        return Convert.ToHexString(id.AsBsonBinaryData.Bytes);
    }

    /// <summary>The remembered reply for this txnNumber; throws TransactionTooOld for an older one.</summary>
    public BsonDocument? Lookup(string session, long txnNumber)
    {
        if (!_sessions.TryGetValue(session, out Entry? entry))
        {
            return null;
        }

        if (txnNumber < entry.TxnNumber)
        {
            throw new CommandException(
                225,
                "TransactionTooOld",
                $"Retryable write with txnNumber {txnNumber} is prohibited on session {session} because a newer retryable write with txnNumber {entry.TxnNumber} has already started on this session.");
        }

        return txnNumber == entry.TxnNumber ? (BsonDocument)entry.Reply.DeepClone() : null;
    }

    public void Remember(string session, long txnNumber, BsonDocument reply)
    {
        if (_sessions.Count >= MaxSessions)
        {
            _sessions.Clear();
        }

        _sessions[session] = new Entry(txnNumber, (BsonDocument)reply.DeepClone());
    }

    private sealed record Entry(long TxnNumber, BsonDocument Reply);
}
