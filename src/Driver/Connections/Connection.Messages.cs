using Mongo.Bson;
using Mongo.Driver.Compression;
using Mongo.Driver.Util;
using Mongo.Driver.Wire;

namespace Mongo.Driver.Connections;

/// <summary>Fields the executor adds to a command besides its body (read preference for mongos/secondaries, cluster time gossip, session id).</summary>
internal readonly struct CommandExtras
{
    public BsonDocument? ReadPreference { get; init; }

    public BsonDocument? ClusterTime { get; init; }

    public BsonDocument? SessionId { get; init; }

    /// <summary>A retryable write's or a transaction's number (sent only with <see cref="SessionId"/>).</summary>
    public long? TxnNumber { get; init; }

    /// <summary>In a transaction: <c>autocommit: false</c>, and <c>startTransaction: true</c> on its first command (sent only with <see cref="TxnNumber"/>).</summary>
    public Sessions.TransactionFields? Transaction { get; init; }

    /// <summary>Where command events go; null (handshake, authentication, monitoring) publishes none.</summary>
    public Diagnostics.EventPublisher? Events { get; init; }

    /// <summary>The driver operation this command belongs to (command monitoring's operationId).</summary>
    public long OperationId { get; init; }

    /// <summary>The <c>maxTimeMS</c> derived from timeoutMS; replaces one the body carries (a deprecated per-operation maxTimeMS).</summary>
    public long? MaxTimeMS { get; init; }

    /// <summary>timeoutMS governs the command: the deprecated <c>wtimeout</c> of its write concern is not sent.</summary>
    public bool TimeoutMS { get; init; }

    /// <summary>The command's span; null when nothing traces it. What only the sent command shows is added to it (<c>db.query.text</c>, <c>db.mongodb.lsid</c>).</summary>
    public System.Diagnostics.Activity? Span { get; init; }
}

internal sealed partial class Connection
{
    // Keep a send buffer that grew for a large batch from pinning memory on an idle connection.
    private const int KeepSendCapacity = 256 * 1024;

    /// <summary>Encodes an OP_MSG (compressed when negotiated and allowed) into the connection's send buffer.</summary>
    private ReadOnlyMemory<byte> Encode(IWireCommand message, int requestId, CommandExtras extras, OpMsgFlags extraFlags = OpMsgFlags.None)
    {
        _sendBuffer.Reset(KeepSendCapacity);
        int maxMessageSize = Description?.Limits.MaxMessageSize ?? ServerLimits.Default.MaxMessageSize;
        try
        {
            _opMsg.Start(requestId, 0, (message.MoreToCome ? OpMsgFlags.MoreToCome : OpMsgFlags.None) | extraFlags);
            _bson.Reset();
            WriteBody(message, extras);
            _opMsg.WriteBody(_bson.WrittenSpan);
            IReadOnlyList<CommandSequence> sequences = message.Sequences;
            for (int i = 0; i < sequences.Count; i++)
            {
                CommandSequence sequence = sequences[i];
                _opMsg.BeginDocumentSequence(sequence.Identifier);
                IReadOnlyList<ReadOnlyMemory<byte>> documents = sequence.Documents;
                for (int j = 0; j < documents.Count; j++)
                {
                    _opMsg.WriteSequenceDocument(documents[j].Span);
                }

                _opMsg.EndDocumentSequence();
            }

            _opMsg.Finish(maxMessageSize);
        }
        catch
        {
            // An encoding error leaves the connection usable: nothing was sent.
            _opMsg.Abandon();
            _bson.Reset();
            throw;
        }

        if (Description?.Compressor is { } compressor && CompressionRules.MayCompress(message.CommandName))
        {
            PooledByteBufferWriter compressed = _compressBuffer ??= new PooledByteBufferWriter(4096);
            compressed.Reset(KeepSendCapacity);
            OpCompressed.Compress(_sendBuffer.WrittenSpan, compressor, compressed);
            return compressed.WrittenMemory;
        }

        return _sendBuffer.WrittenMemory;
    }

    private void WriteBody(IWireCommand message, CommandExtras extras)
    {
        BsonWriter w = _bson;
        w.WriteStartDocument();
        IReadOnlyList<BsonElement> elements = message.Body.Elements;
        for (int i = 0; i < elements.Count; i++)
        {
            BsonElement element = elements[i];
            if (extras.MaxTimeMS is not null && element.Name == "maxTimeMS")
            {
                continue;
            }

            if (extras.TimeoutMS && element.Name == "writeConcern" && element.Value is BsonDocument { } concern && concern.Contains("wtimeout"))
            {
                // Client-side operations timeout spec: deprecated timeouts are ignored when timeoutMS is set.
                var withoutTimeout = new BsonDocument();
                foreach (BsonElement field in concern.Elements)
                {
                    if (field.Name != "wtimeout")
                    {
                        withoutTimeout.Add(field.Name, field.Value);
                    }
                }

                if (withoutTimeout.ElementCount > 0)
                {
                    w.WriteValue(element.Name, withoutTimeout);
                }

                continue;
            }

            w.WriteValue(element.Name, element.Value);
        }

        if (extras.MaxTimeMS is { } maxTimeMS)
        {
            w.WriteInt64("maxTimeMS", maxTimeMS);
        }

        if (message.RawData && (Description?.MaxWireVersion ?? 0) >= WireVersion.Server82 && !message.Body.Contains("rawData"))
        {
            w.WriteBoolean("rawData", true);
        }

        w.WriteString("$db", message.Database);
        if (extras.SessionId is { } lsid && !message.Body.Contains("lsid"))
        {
            w.WriteValue("lsid", lsid);
            if (extras.TxnNumber is { } txnNumber && !message.Body.Contains("txnNumber"))
            {
                w.WriteInt64("txnNumber", txnNumber);
                if (extras.Transaction is { } transaction)
                {
                    if (transaction.StartTransaction)
                    {
                        w.WriteBoolean("startTransaction", true);
                    }

                    w.WriteBoolean("autocommit", false);
                }
            }
        }

        if (extras.ClusterTime is { } clusterTime && !message.Body.Contains("$clusterTime"))
        {
            w.WriteValue("$clusterTime", clusterTime);
        }

        if (extras.ReadPreference is { } readPreference && !message.Body.Contains("$readPreference"))
        {
            w.WriteValue("$readPreference", readPreference);
        }

        // Stable API: every command except getMore carries the declared API version (versioned-api spec).
        if (_settings.ServerApi is { } api && !message.Body.Contains("apiVersion") && message.CommandName != "getMore")
        {
            WriteServerApi(w, api);
        }

        w.WriteEndDocument();
    }

    private static void WriteServerApi(BsonWriter w, ServerApi api)
    {
        w.WriteString("apiVersion", api.Version.Value);
        if (api.Strict is { } strict)
        {
            w.WriteBoolean("apiStrict", strict);
        }

        if (api.DeprecationErrors is { } deprecationErrors)
        {
            w.WriteBoolean("apiDeprecationErrors", deprecationErrors);
        }
    }
}
