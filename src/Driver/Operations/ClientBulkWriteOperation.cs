using System.Buffers.Binary;
using System.Globalization;
using System.Runtime.InteropServices;
using Mongo.Bson;
using Mongo.Bson.Serialization;
using Mongo.Driver.Cursors;
using Mongo.Driver.Connections;
using Mongo.Driver.Util;
using Mongo.Driver.Wire;

namespace Mongo.Driver.Operations;

/// <summary>
/// <c>MongoClient.BulkWrite</c>: the 8.0 <c>bulkWrite</c> admin command with <c>ops</c> and <c>nsInfo</c> as OP_MSG document
/// sequences, split into commands under <c>maxWriteBatchSize</c> and <c>maxMessageSizeBytes</c> (the bulk-write spec's
/// 1,000-byte allowance), each command's results cursor read to the end, and the results merged by model index.
/// </summary>
internal sealed class ClientBulkWriteOperation
{
    /// <summary>The spec's allowance for the OP_MSG header and command-agnostic fields (lsid, txnNumber, $clusterTime, apiVersion...).</summary>
    internal const int MessageOverheadBytes = 1000;

    /// <summary>Where an op's nsInfo index sits: after the length (4), type byte (1), "insert"/"update"/"delete" (6) and NUL (1).</summary>
    private const int NamespaceIndexOffset = 12;

    private readonly IReadOnlyList<ClientBulkWriteModel> _models;
    private readonly ClientBulkWriteOptions _options;
    private readonly WriteConcern _writeConcern;
    private readonly BsonSerializerRegistry _registry;
    private readonly IBsonTypeInfoResolver _resolver;

    public ClientBulkWriteOperation(IReadOnlyList<ClientBulkWriteModel> models, ClientBulkWriteOptions options, WriteConcern writeConcern, BsonSerializerRegistry registry, IBsonTypeInfoResolver? serializerContext)
    {
        _models = models;
        _options = options;
        _writeConcern = writeConcern;
        _registry = registry;
        _resolver = BsonTypeInfoResolver.Combine(serializerContext, BsonTypeInfoResolver.Default);
    }

    /// <summary>One encoded op: its bytes in the shared buffer, its kind and namespace, and for inserts the document's _id.</summary>
    private readonly record struct EncodedOp(int Start, int Length, ClientWriteKind Kind, string Namespace, BsonValue? InsertedId);

    public async ValueTask<ClientBulkWriteResult> ExecuteAsync(bool async, IOperationExecutor executor, CancellationToken ct, OperationContext? context = null)
    {
        if (_models.Count == 0)
        {
            throw new ArgumentException("A client bulk write needs at least one model.", "models");
        }

        bool acknowledged = _writeConcern.IsAcknowledged;
        if (!acknowledged && _options.VerboseResults)
        {
            throw new ArgumentException("Cannot request unacknowledged write concern and verbose results.", "options");
        }

        if (!acknowledged && _options.IsOrdered)
        {
            throw new ArgumentException("Cannot request unacknowledged write concern and ordered writes.", "options");
        }

        // Ops are encoded back to back into one pooled buffer; their nsInfo index is patched per command, since each
        // command's nsInfo lists only the namespaces its own ops use.
        using var writer = new BsonWriter(new BsonWriterOptions { MaxDocumentSize = int.MaxValue });
        var ops = Encode(writer);
        Memory<byte> buffer = MemoryMarshal.AsMemory(writer.WrittenMemory);

        var limits = await executor.GetWriteLimitsAsync(async, ct).ConfigureAwait(false);
        int maxCount = limits.MaxWriteBatchSize > 0 ? limits.MaxWriteBatchSize : ServerLimits.Default.MaxWriteBatchSize;
        int maxMessage = limits.MaxMessageSize > 0 ? limits.MaxMessageSize : ServerLimits.Default.MaxMessageSize;
        long maxOpsNsInfoBytes = (long)maxMessage - (MessageOverheadBytes + BuildBody().ToBytes().Length);
        var state = new ResultState(ops, _options.VerboseResults);
        var nsDocuments = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        // One implicit session for the whole operation (driver-sessions spec): its later batches and results cursors use it.
        Sessions.ServerSession? session = null;
        // One operation span; each bulkWrite batch and each getMore of a results cursor is a command span under it.
        Diagnostics.OperationSpan? span = Diagnostics.OperationSpan.Start("bulkWrite", "admin", collection: null, Sessions.SessionBoundExecutor.TransactionSpan(executor), batchSize: ops.Length, tracing: executor.Tracing);
        Diagnostics.OperationSpan.Scope scope = Diagnostics.OperationSpan.Enter(span);
        Exception? error = null;
        try
        {
            int start = 0;
            while (start < ops.Length)
            {
                int count = NextBatch(ops, start, buffer.Span, maxCount, maxOpsNsInfoBytes, nsDocuments, out var nsInfo);
                var opSlices = new ReadOnlyMemory<byte>[count];
                for (int i = 0; i < count; i++)
                {
                    opSlices[i] = buffer.Slice(ops[start + i].Start, ops[start + i].Length);
                }

                var message = new WriteCommand("admin", BuildBody(), retryable: IsRetryable(start, count), acknowledged, batched: true)
                {
                    // Every batch draws on the call's one deadline (client-side operations timeout spec "Batching").
                    Context = context,
                    Session = session,
                    Sequences = [new CommandSequence("ops", opSlices), new CommandSequence("nsInfo", nsInfo)],
                    MinWireVersion = WireVersion.Server80,
                    RawData = _options.RawData,
                };
                CommandResponse response;
                try
                {
                    response = await executor.ExecuteAsync(async, message, ct).ConfigureAwait(false);
                    session ??= response.Session;
                }
                catch (MongoException ex) when (ex is not MongoNotSupportedException)
                {
                    throw state.TopLevelError(ex);
                }

                if (acknowledged)
                {
                    await state.ReadReplyAsync(async, executor, response, session, start, count, _options.IsOrdered, ct).ConfigureAwait(false);
                    if (_options.IsOrdered && state.WriteErrors.Count > 0)
                    {
                        break;
                    }
                }

                start += count;
            }
        }
        catch (Exception ex)
        {
            error = ex;
            throw;
        }
        finally
        {
            scope.Dispose();
            session?.Release();
        }

        try
        {
            return state.Finish(acknowledged);
        }
        catch (Exception ex)
        {
            error = ex;
            throw;
        }
        finally
        {
            span?.End(error);
        }
    }

    /// <summary>Retryable-writes spec: a batch is retryable unless it holds a multi-document update or delete.</summary>
    private bool IsRetryable(int start, int count)
    {
        for (int i = start; i < start + count; i++)
        {
            if (_models[i] is ClientUpdateManyModel or ClientDeleteManyModel)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Encodes every model as an op document (nsInfo index 0 for now).</summary>
    private EncodedOp[] Encode(BsonWriter writer)
    {
        var ops = new EncodedOp[_models.Count];
        for (int i = 0; i < ops.Length; i++)
        {
            var model = _models[i] ?? throw new ArgumentException("The models list must not contain null (index " + i.ToString(CultureInfo.InvariantCulture) + ").", "models");
            int start = (int)writer.WrittenCount;
            writer.WriteStartDocument();
            writer.WriteInt32(model.Kind switch { ClientWriteKind.Insert => "insert", ClientWriteKind.Update => "update", _ => "delete" }, 0);
            var insertedId = model.WriteFields(writer, _registry, _resolver);
            writer.WriteEndDocument();
            ops[i] = new EncodedOp(start, (int)writer.WrittenCount - start, model.Kind, model.Namespace.FullName, insertedId);
        }

        return ops;
    }

    /// <summary>
    /// How many ops from <paramref name="start"/> go in the next command (the spec's size rule: ops plus nsInfo documents
    /// within maxMessageSizeBytes - 1,000 - the body), patching each op's nsInfo index as it goes.
    /// </summary>
    private static int NextBatch(EncodedOp[] ops, int start, Span<byte> buffer, int maxCount, long maxOpsNsInfoBytes, Dictionary<string, byte[]> nsDocuments, out List<ReadOnlyMemory<byte>> nsInfo)
    {
        nsInfo = [];
        var indexes = new Dictionary<string, int>(StringComparer.Ordinal);
        long size = 0;
        int count = 0;
        while (start + count < ops.Length && count < maxCount)
        {
            var op = ops[start + count];
            long added = op.Length;
            byte[]? nsDocument = null;
            if (!indexes.TryGetValue(op.Namespace, out int nsIndex))
            {
                if (!nsDocuments.TryGetValue(op.Namespace, out nsDocument))
                {
                    nsDocument = new BsonDocument("ns", op.Namespace).ToBytes();
                    nsDocuments[op.Namespace] = nsDocument;
                }

                added += nsDocument.Length;
                nsIndex = nsInfo.Count;
            }

            if (size + added > maxOpsNsInfoBytes)
            {
                if (count == 0)
                {
                    throw new MongoClientException("The write at index " + (start + count).ToString(CultureInfo.InvariantCulture) + " (" + added.ToString(CultureInfo.InvariantCulture)
                        + " bytes with its namespace) does not fit in one bulkWrite command under the server's maxMessageSizeBytes.");
                }

                break;
            }

            if (nsDocument is not null)
            {
                indexes[op.Namespace] = nsIndex;
                nsInfo.Add(nsDocument);
            }

            BinaryPrimitives.WriteInt32LittleEndian(buffer.Slice(op.Start + NamespaceIndexOffset), nsIndex);
            size += added;
            count++;
        }

        return count;
    }

    private BsonDocument BuildBody()
    {
        var body = new BsonDocument
        {
            { "bulkWrite", 1 },
            { "errorsOnly", !_options.VerboseResults },
            { "ordered", _options.IsOrdered },
        };
        body.AddIf("bypassDocumentValidation", _options.BypassDocumentValidation);
        body.AddIf("comment", _options.Comment);
        body.AddIf("let", _options.Let);
        return body.AddWriteConcern(_writeConcern);
    }

    /// <summary>What the commands reported so far, merged by model index.</summary>
    private sealed class ResultState(EncodedOp[] ops, bool verbose)
    {
        private long _inserted;
        private long _upserted;
        private long _matched;
        private long _modified;
        private long _deleted;
        private bool _anySucceeded;
        private readonly Dictionary<int, ClientBulkWriteInsertResult> _insertResults = [];
        private readonly Dictionary<int, ClientBulkWriteUpdateResult> _updateResults = [];
        private readonly Dictionary<int, ClientBulkWriteDeleteResult> _deleteResults = [];

        public Dictionary<int, WriteError> WriteErrors { get; } = [];

        public List<WriteConcernError> WriteConcernErrors { get; } = [];

        /// <summary>Reads one command's reply: summary counts, write concern error, and the results cursor to its end.</summary>
        public async ValueTask ReadReplyAsync(bool async, IOperationExecutor executor, CommandResponse response, Sessions.ServerSession? session, int start, int count, bool ordered, CancellationToken ct)
        {
            var reply = response.Body;
            if (reply.TryGetValue("writeConcernError", out var wce) && wce is BsonDocument wceDocument)
            {
                WriteConcernErrors.Add(WriteConcernError.FromDocument(wceDocument, reply));
            }

            int errors = Int(reply, "nErrors");
            _inserted += Int(reply, "nInserted");
            _upserted += Int(reply, "nUpserted");
            _matched += Int(reply, "nMatched");
            _modified += Int(reply, "nModified");
            _deleted += Int(reply, "nDeleted");

            int firstErrorIndex = int.MaxValue;
            CursorReply cursor;
            try
            {
                cursor = CursorReply.Parse(response.Bytes);
            }
            catch (MongoException ex)
            {
                throw TopLevelError(ex);
            }

            while (true)
            {
                foreach (var bytes in cursor.Batch)
                {
                    int local = Add(BsonDocument.FromBytes(bytes.Span), start);
                    firstErrorIndex = Math.Min(firstErrorIndex, local);
                }

                if (cursor.Id == 0)
                {
                    break;
                }

                var getMore = new CursorCommand("admin", new BsonDocument { { "getMore", cursor.Id }, { "collection", "$cmd.bulkWrite" } }, response.Server, session);
                try
                {
                    cursor = CursorReply.Parse((await executor.ExecuteAsync(async, getMore, ct).ConfigureAwait(false)).Bytes);
                }
                catch (MongoException ex)
                {
                    await KillCursorAsync(async, executor, cursor.Id, response.Server, session).ConfigureAwait(false);
                    RecordSuccess(errors, firstErrorIndex, count, ordered);
                    throw TopLevelError(ex);
                }
            }

            RecordSuccess(errors, firstErrorIndex, count, ordered);
        }

        /// <summary>The spec's rule for "at least one write succeeded" (only then is there a partial result).</summary>
        private void RecordSuccess(int errors, int firstErrorIndex, int count, bool ordered) =>
            _anySucceeded |= ordered ? errors == 0 || firstErrorIndex > 0 : errors < count;

        /// <summary>Records one cursor document; returns its index within the command when it is an error, else int.MaxValue.</summary>
        private int Add(BsonDocument result, int start)
        {
            int local = Int(result, "idx");
            int index = start + local;
            bool ok = result.TryGetValue("ok", out var okValue) && okValue.IsNumeric && okValue.ToDouble() == 1.0;
            if (!ok)
            {
                WriteErrors[index] = new WriteError(
                    index,
                    Int(result, "code"),
                    result.TryGetValue("codeName", out var n) && n.IsString ? n.AsString : null,
                    result.TryGetValue("errmsg", out var m) && m.IsString ? m.AsString : "",
                    result.TryGetValue("errInfo", out var e) && e.IsDocument ? e.AsDocument : null,
                    result.TryGetValue("keyPattern", out var kp) && kp.IsDocument ? kp.AsDocument : null,
                    result.TryGetValue("keyValue", out var kv) && kv.IsDocument ? kv.AsDocument : null);
                return local;
            }

            if (!verbose || index < 0 || index >= ops.Length)
            {
                return int.MaxValue;
            }

            switch (ops[index].Kind)
            {
                case ClientWriteKind.Insert:
                    _insertResults[index] = new ClientBulkWriteInsertResult(ops[index].InsertedId!);
                    break;
                case ClientWriteKind.Update:
                    BsonValue? upsertedId = result.TryGetValue("upserted", out var upserted) && upserted is BsonDocument u ? u.GetValueOrDefault("_id") ?? BsonNull.Value : null;
                    _updateResults[index] = new ClientBulkWriteUpdateResult(Int(result, "n"), Int(result, "nModified"), upsertedId);
                    break;
                default:
                    _deleteResults[index] = new ClientBulkWriteDeleteResult(Int(result, "n"));
                    break;
            }

            return int.MaxValue;
        }

        /// <summary>A top-level error: alone when nothing was observed yet, else inside a ClientBulkWriteException with what was.</summary>
        public Exception TopLevelError(MongoException error) =>
            _anySucceeded || WriteErrors.Count > 0 || WriteConcernErrors.Count > 0
                ? new ClientBulkWriteException(error, WriteErrors, WriteConcernErrors, _anySucceeded ? Result(acknowledged: true) : null)
                : error;

        public ClientBulkWriteResult Finish(bool acknowledged)
        {
            var result = Result(acknowledged);
            if (WriteErrors.Count > 0 || WriteConcernErrors.Count > 0)
            {
                throw new ClientBulkWriteException(null, WriteErrors, WriteConcernErrors, _anySucceeded ? result : null);
            }

            return result;
        }

        private ClientBulkWriteResult Result(bool acknowledged) =>
            new(acknowledged, verbose && acknowledged, _inserted, _upserted, _matched, _modified, _deleted, _insertResults, _updateResults, _deleteResults);

        private static async ValueTask KillCursorAsync(bool async, IOperationExecutor executor, long id, MongoServerAddress server, Sessions.ServerSession? session)
        {
            var kill = new CursorCommand("admin", new BsonDocument { { "killCursors", "$cmd.bulkWrite" }, { "cursors", new BsonArray { id } } }, server, session);
            try
            {
                await executor.ExecuteAsync(async, kill, CancellationToken.None).ConfigureAwait(false);
            }
            catch (MongoException)
            {
                // The getMore's error is the one reported; a cursor that cannot be killed times out on the server.
            }
        }

        private static int Int(BsonDocument document, string name) =>
            document.TryGetValue(name, out var value) && value.IsNumeric ? value.ToInt32() : 0;
    }
}
