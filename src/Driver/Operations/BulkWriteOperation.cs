using System.Buffers;
using System.Collections;
using Mongo.Bson;
using Mongo.Driver.Connections;
using Mongo.Driver.Util;
using Mongo.Driver.Wire;

namespace Mongo.Driver.Operations;

/// <summary>
/// The one write path: insert/update/delete commands with OP_MSG document sequences, split into batches
/// under the server's limits, results merged and write errors mapped back to the caller's indexes.
/// InsertOne, UpdateMany, BulkWrite etc. all run through it.
/// </summary>
internal sealed class BulkWriteOperation
{
    // Room for what the executor adds to the body ($db, lsid, txnNumber, $clusterTime, apiVersion, $readPreference).
    private const int BodyAllowance = 1024;

    private readonly string _database;
    private readonly string _collection;
    private readonly WriteRequestList _requests;
    private readonly bool _ordered;
    private readonly WriteConcern _writeConcern;
    private readonly WriteOptionsBase? _options;

    public BulkWriteOperation(string database, string collection, WriteRequestList requests, bool ordered, WriteConcern writeConcern, WriteOptionsBase? options)
    {
        _database = database;
        _collection = collection;
        _requests = requests;
        _ordered = ordered;
        _writeConcern = writeConcern;
        _options = options;
    }

    /// <summary>
    /// Whether an error that stops the write carries what was applied before it (<see cref="MongoException.PartialBulkWriteResult"/>):
    /// BulkWrite and InsertMany; not the single writes, whose one batch either ran or did not.
    /// </summary>
    public bool ReportsPartialResult { get; init; }

    public async ValueTask<BulkWriteResult> ExecuteAsync(bool async, IOperationExecutor executor, CancellationToken ct, OperationContext? context = null)
    {
        int total = _requests.Count;
        if (total == 0)
        {
            throw new ArgumentException("A bulk write needs at least one request.");
        }

        var state = new ResultState();
        ServerLimits limits;
        try
        {
            limits = await executor.GetWriteLimitsAsync(async, ct).ConfigureAwait(false);
        }
        catch (MongoException ex) when (ReportsPartialResult && ex.PartialBulkWriteResult is null)
        {
            // No server to write to: nothing was applied, and the caller is told so as for any later stop (no write
            // errors yet, so the error itself is what is thrown, with its stack).
            state.Stopped(ex, _requests, _writeConcern.IsAcknowledged, insertLimit: 0, unprocessed: total);
            throw;
        }

        var messageLimits = new ServerLimits(
            limits.MaxBsonObjectSize > 0 ? limits.MaxBsonObjectSize : ServerLimits.Default.MaxBsonObjectSize,
            limits.MaxMessageSize > 0 ? limits.MaxMessageSize : ServerLimits.Default.MaxMessageSize,
            limits.MaxWriteBatchSize > 0 ? limits.MaxWriteBatchSize : ServerLimits.Default.MaxWriteBatchSize,
            limits.MaxWireVersion);
        bool acknowledged = _writeConcern.IsAcknowledged;
        int[]? order = GroupByKind();
        // One implicit session for every batch of the operation (driver-sessions spec); each batch gets its own txnNumber.
        Sessions.ServerSession? session = null;
        // One operation span, each batch a command span under it (MongoDB OpenTelemetry specification): named after the
        // requests' kind, or bulkWrite when they mix kinds.
        Diagnostics.OperationSpan? span = Diagnostics.OperationSpan.Start(_requests.IsSingleKind ? CommandName(_requests.KindAt(0)) : "bulkWrite",
            _database, _collection, Sessions.SessionBoundExecutor.TransactionSpan(executor), batchSize: total, tracing: executor.Tracing);
        Diagnostics.OperationSpan.Scope scope = Diagnostics.OperationSpan.Enter(span);
        Exception? error = null;
        // Where the write stands, for a partial result if a batch fails as a whole: the position (in sending order) of
        // the first request not known to be applied, and the caller's index below which inserts were acknowledged.
        int position = 0;
        int insertLimit = 0;
        try
        {
            // Runs: consecutive requests of one kind (in the caller's order, or in the grouped order when unordered).
            int runStart = 0;
            while (runStart < total)
            {
                var kind = _requests.KindAt(order is null ? runStart : order[runStart]);
                int runEnd = runStart + 1;
                if (_requests.IsSingleKind)
                {
                    runEnd = total;
                }
                else
                {
                    while (runEnd < total && _requests.KindAt(order is null ? runEnd : order[runEnd]) == kind)
                    {
                        runEnd++;
                    }
                }

                var run = new RequestRun(_requests, order, runStart, runEnd - runStart);
                string identifier = kind switch { WriteKind.Insert => "documents", WriteKind.Update => "updates", _ => "deletes" };
                int bodyLength = BuildBody(kind).ToBytes().Length + BodyAllowance;
                int start = 0;
                while (start < run.Count)
                {
                    position = runStart + start;
                    // Unordered writes send every insert first, in the caller's order: an insert batch failing leaves the
                    // inserts before it, a later batch failing leaves them all. Ordered writes stop at the batch.
                    insertLimit = _ordered || kind == WriteKind.Insert ? run.RequestIndex(start) : total;
                    int count = BatchSplitter.CountNextBatch(bodyLength, identifier, run, start, messageLimits);
                    var message = new WriteCommand(_database, BuildBody(kind), retryable: !_requests.HasMulti || !AnyMulti(run, start, count), acknowledged, batched: true)
                    {
                        // Every batch draws on the call's one deadline (client-side operations timeout spec "Batching").
                        Context = context,
                        Session = session,
                        Sequences = [new CommandSequence(identifier, run.Slice(start, count))],
                        RawData = _options?.RawData == true,
                    };
                    var response = await executor.ExecuteAsync(async, message, ct).ConfigureAwait(false);
                    session ??= response.Session;
                    if (acknowledged && state.Merge(kind, response.Body, run, start, count, _ordered))
                    {
                        // Ordered writes stop at the first write error.
                        return state.FinishStopped(_requests, run, start, count);
                    }

                    start += count;
                }

                runStart = runEnd;
            }

            return state.Finish(_requests, acknowledged, 0, total);
        }
        catch (MongoException ex) when (ReportsPartialResult && ex is not MongoBulkWriteException && ex.PartialBulkWriteResult is null)
        {
            var stopped = state.Stopped(ex, _requests, acknowledged, insertLimit, total - position);
            error = stopped;
            if (ReferenceEquals(stopped, ex))
            {
                throw;
            }

            throw stopped;
        }
        catch (Exception ex)
        {
            error = ex;
            throw;
        }
        finally
        {
            scope.Dispose();
            span?.End(error);
            session?.Release();
            if (order is not null)
            {
                ArrayPool<int>.Shared.Return(order);
            }
        }
    }

    /// <summary>Retryable-writes spec: each command is judged alone; one with a multi statement is not retryable.</summary>
    private bool AnyMulti(RequestRun run, int start, int count)
    {
        for (int i = start; i < start + count; i++)
        {
            if (_requests.IsMultiAt(run.RequestIndex(i)))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Unordered writes with several kinds go as all inserts, then updates, then deletes: the request indexes in that
    /// order (pooled). Null when requests go in the caller's order (ordered, or a single kind).
    /// </summary>
    private int[]? GroupByKind()
    {
        if (_ordered || _requests.IsSingleKind)
        {
            return null;
        }

        int total = _requests.Count;
        int[] order = ArrayPool<int>.Shared.Rent(total);
        int next = 0;
        foreach (var kind in (ReadOnlySpan<WriteKind>)[WriteKind.Insert, WriteKind.Update, WriteKind.Delete])
        {
            for (int i = 0; i < total; i++)
            {
                if (_requests.KindAt(i) == kind)
                {
                    order[next++] = i;
                }
            }
        }

        return order;
    }

    private static string CommandName(WriteKind kind) => kind switch { WriteKind.Insert => "insert", WriteKind.Update => "update", _ => "delete" };

    private BsonDocument BuildBody(WriteKind kind)
    {
        var body = new BsonDocument
        {
            { CommandName(kind), _collection },
            { "ordered", _ordered },
        };
        if (_options is not null)
        {
            if (kind != WriteKind.Delete)
            {
                body.AddIf("bypassDocumentValidation", _options.BypassDocumentValidation);
            }

            if (kind != WriteKind.Insert)
            {
                body.AddIf("let", _options.Let);
            }

            body.AddIf("comment", _options.Comment);
        }

        return body.AddWriteConcern(_writeConcern);
    }

    /// <summary>
    /// A run's statements as the kind-1 sequence reads them: a view over the request list (no list of slices per
    /// batch). Valid while the operation runs.
    /// </summary>
    private sealed class RequestRun(WriteRequestList requests, int[]? order, int offset, int count) : IReadOnlyList<ReadOnlyMemory<byte>>
    {
        public int Count => count;

        public ReadOnlyMemory<byte> this[int index] => requests.StatementAt(RequestIndex(index));

        /// <summary>The caller's index of the run's <paramref name="index"/>-th request.</summary>
        public int RequestIndex(int index)
        {
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)index, (uint)count, nameof(index));
            return order is null ? offset + index : order[offset + index];
        }

        public RequestRun Slice(int start, int length) => new(requests, order, offset + start, length);

        public IEnumerator<ReadOnlyMemory<byte>> GetEnumerator()
        {
            for (int i = 0; i < count; i++)
            {
                yield return this[i];
            }
        }

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
    }

    private sealed class ResultState
    {
        public long Inserted;
        public long Matched;
        public long Modified;
        public long Deleted;
        public readonly List<BulkWriteUpsert> Upserts = [];
        public readonly List<WriteError> Errors = [];
        public WriteConcernError? WriteConcernError;

        // The lowest run-relative index with a write error in the last merged batch, or -1.
        private int _failedLocalIndex = -1;

        /// <summary>Adds one reply; returns true when an ordered write must stop.</summary>
        public bool Merge(WriteKind kind, BsonDocument reply, RequestRun run, int start, int count, bool ordered)
        {
            long n = reply.TryGetValue("n", out var nValue) && nValue.IsNumeric ? nValue.ToInt64() : 0;
            _failedLocalIndex = -1;
            if (reply.TryGetValue("writeErrors", out var errors) && errors is BsonArray errorArray)
            {
                foreach (var item in errorArray)
                {
                    if (item is not BsonDocument errorDocument)
                    {
                        continue;
                    }

                    var local = WriteError.FromDocument(errorDocument, 0);
                    int localIndex = start + local.Index;
                    int index = localIndex >= 0 && localIndex < run.Count ? run.RequestIndex(localIndex) : local.Index;
                    Errors.Add(new WriteError(index, local.Code, local.CodeName, local.Message, local.Details, local.KeyPattern, local.KeyValue));
                    if (_failedLocalIndex < 0 || localIndex < _failedLocalIndex)
                    {
                        _failedLocalIndex = localIndex;
                    }
                }
            }

            if (reply.TryGetValue("writeConcernError", out var wce) && wce is BsonDocument wceDocument)
            {
                WriteConcernError = WriteConcernError.FromDocument(wceDocument, reply);
            }

            switch (kind)
            {
                case WriteKind.Insert:
                    Inserted += n;
                    break;
                case WriteKind.Update:
                    int upserted = 0;
                    if (reply.TryGetValue("upserted", out var ups) && ups is BsonArray upsertArray)
                    {
                        foreach (var item in upsertArray)
                        {
                            if (item is BsonDocument upsert && upsert.TryGetValue("index", out var i) && i.IsNumeric)
                            {
                                int localIndex = start + i.ToInt32();
                                Upserts.Add(new BulkWriteUpsert(localIndex >= 0 && localIndex < run.Count ? run.RequestIndex(localIndex) : i.ToInt32(), upsert.GetValueOrDefault("_id") ?? BsonNull.Value));
                                upserted++;
                            }
                        }
                    }

                    Matched += n - upserted;
                    Modified += reply.TryGetValue("nModified", out var nm) && nm.IsNumeric ? nm.ToInt64() : 0;
                    break;
                default:
                    Deleted += n;
                    break;
            }

            return ordered && _failedLocalIndex >= 0;
        }

        /// <summary>
        /// An ordered write stopped in the batch <paramref name="start"/>..+<paramref name="count"/> of <paramref name="run"/>:
        /// the requests before the failing one (in the caller's order) were processed, and it counts as processed too.
        /// </summary>
        public BulkWriteResult FinishStopped(WriteRequestList requests, RequestRun run, int start, int count)
        {
            bool known = _failedLocalIndex >= 0 && _failedLocalIndex < run.Count;
            int failingIndex = run.RequestIndex(known ? _failedLocalIndex : start);

            // Inserts sent before the failing request happened (unless they failed too); with an error index the
            // server should not have sent, count the whole batch as sent.
            int sentLimit = known ? failingIndex : run.RequestIndex(start + count - 1) + 1;
            return Finish(requests, acknowledged: true, requests.Count - (failingIndex + 1), sentLimit);
        }

        /// <summary>
        /// A batch failed as a whole (or no server was found): the error gets what the acknowledged batches applied; when
        /// they reported write errors or a write concern error, a <see cref="MongoBulkWriteException"/> carries those
        /// with the error inside, so that nothing acknowledged is lost.
        /// </summary>
        public MongoException Stopped(MongoException error, WriteRequestList requests, bool acknowledged, int insertLimit, int unprocessed)
        {
            var result = Result(requests, acknowledged, insertLimit);
            if (Errors.Count > 0 || WriteConcernError is not null)
            {
                return new MongoBulkWriteException(Errors, WriteConcernError, result, unprocessed, error);
            }

            error.PartialBulkWriteResult = result;
            return error;
        }

        public BulkWriteResult Finish(WriteRequestList requests, bool acknowledged, int unprocessed, int sentLimit)
        {
            var result = Result(requests, acknowledged, sentLimit);
            if (Errors.Count > 0 || WriteConcernError is not null)
            {
                throw new MongoBulkWriteException(Errors, WriteConcernError, result, unprocessed);
            }

            return result;
        }

        private BulkWriteResult Result(WriteRequestList requests, bool acknowledged, int sentLimit) =>
            new(acknowledged, requests.Count, Inserted, Matched, Modified, Deleted, Upserts, new InsertedIdMap(requests, sentLimit, Errors));
    }
}
