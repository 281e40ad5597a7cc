using System.Diagnostics;
using Mongo.Bson;
using Mongo.Driver.Diagnostics;
using Mongo.Driver.Events;

namespace Mongo.Driver.Connections;

/// <summary>Command monitoring: the started/succeeded/failed events around one round trip, only when someone observes them.</summary>
internal sealed partial class Connection
{
    private async ValueTask<CommandReply?> ExecuteMonitoredAsync(bool async, IWireCommand message, long operationId, EventPublisher events,
        ReadOnlyMemory<byte> bytes, int requestId, Deadline deadline, CancellationToken cancellationToken)
    {
        string name = message.CommandName;
        bool sensitive = EventPublisher.IsSensitive(name, message.Body);
        long? serverConnectionId = Description?.ServerConnectionId;
        ObjectId? serviceId = Description?.ServiceId;
        events.CommandStarted(new CommandStartedEvent(sensitive ? new BsonDocument() : SentCommand(message), message.Database, name, requestId, operationId, Address, Id, serverConnectionId, serviceId));
        long start = Stopwatch.GetTimestamp();
        ReadOnlyMemory<byte> reply;
        try
        {
            // No lease while monitored: subscribers may keep the reply the event hands them.
            (reply, _) = await RoundTripAsync(async, bytes, requestId, !message.MoreToCome, lease: false, deadline, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            events.CommandFailed(new CommandFailedEvent(sensitive ? EventPublisher.Redact(ex, name, Address) : ex, message.Database, name, requestId, operationId,
                Address, Id, serverConnectionId, serviceId, Stopwatch.GetElapsedTime(start)));
            throw;
        }

        TimeSpan duration = Stopwatch.GetElapsedTime(start);
        if (message.MoreToCome)
        {
            // Unacknowledged writes are reported as succeeded with { ok: 1 } (command monitoring spec).
            events.CommandSucceeded(new CommandSucceededEvent(new BsonDocument("ok", 1), message.Database, name, requestId, operationId, Address, Id, serverConnectionId, serviceId, duration));
            return null;
        }

        var response = new CommandReply { Server = Address, Bytes = reply };
        if (ExceptionFactory.IsOk(reply.Span))
        {
            events.CommandSucceeded(new CommandSucceededEvent(sensitive ? new BsonDocument() : response.Body, message.Database, name, requestId, operationId, Address, Id, serverConnectionId, serviceId, duration));
        }
        else
        {
            Exception failure = ExceptionFactory.CreateCommandException(name, response.Body, Address);
            events.CommandFailed(new CommandFailedEvent(sensitive ? EventPublisher.Redact(failure, name, Address) : failure, message.Database, name, requestId, operationId,
                Address, Id, serverConnectionId, serviceId, duration));
        }

        return response;
    }

    /// <summary>
    /// The MongoDB OpenTelemetry specification's attributes of a command span that only the command as sent shows: its
    /// session (<c>db.mongodb.lsid</c>, the lsid document as relaxed extended JSON, and <c>db.mongodb.txn_number</c>) and,
    /// when the client asks for it, <c>db.query.text</c>: the sent command as relaxed extended JSON without <c>lsid</c>,
    /// <c>$db</c>, <c>$clusterTime</c> and <c>signature</c>, cut at the client's length. Called only for a span that records.
    /// </summary>
    private void TagSentCommand(Activity span, IWireCommand message, CommandExtras extras)
    {
        BsonDocument? lsid = extras.SessionId ?? message.Body.GetValueOrDefault("lsid") as BsonDocument;
        if (lsid is not null)
        {
            span.SetTag("db.mongodb.lsid", lsid.ToString());
            long? txnNumber = message.Body.GetValueOrDefault("txnNumber") is { IsNumeric: true } own ? own.ToInt64() : extras.SessionId is null ? null : extras.TxnNumber;
            if (txnNumber is { } number)
            {
                span.SetTag("db.mongodb.txn_number", number);
            }
        }

        if (extras.Events is { QueryTextMaxLength: > 0 and int max })
        {
            BsonDocument command = SentCommand(message);
            command.Remove("lsid");
            command.Remove("$db");
            command.Remove("$clusterTime");
            command.Remove("signature");
            span.SetTag("db.query.text", EventPublisher.Truncate(command.ToString(), max));
        }
    }

    /// <summary>The command as encoded (body with $db and the executor's fields), plus each document sequence as an array named by its identifier.</summary>
    private BsonDocument SentCommand(IWireCommand message)
    {
        BsonDocument command = BsonDocument.FromBytes(_bson.WrittenSpan);
        IReadOnlyList<CommandSequence> sequences = message.Sequences;
        for (int i = 0; i < sequences.Count; i++)
        {
            var documents = new BsonArray();
            foreach (ReadOnlyMemory<byte> document in sequences[i].Documents)
            {
                documents.Add(BsonDocument.FromBytes(document.Span));
            }

            command.Set(sequences[i].Identifier, documents);
        }

        return command;
    }
}
