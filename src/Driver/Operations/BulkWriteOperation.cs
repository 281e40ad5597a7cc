using Mongo.Bson;
using Mongo.Driver.Util;
using Mongo.Driver.Wire;

namespace Mongo.Driver.Operations;

internal enum WriteKind
{
    Insert,
    Update,
    Delete,
}

/// <summary>One encoded write: an insert's document, or an update/delete statement (<c>{q, u, ...}</c> / <c>{q, limit}</c>).</summary>
/// <param name="Kind">Which command carries it.</param>
/// <param name="Statement">The encoded document or statement.</param>
/// <param name="Index">Its index in the caller's list.</param>
/// <param name="InsertedId">For inserts: the document's <c>_id</c>.</param>
internal readonly record struct WriteRequest(WriteKind Kind, ReadOnlyMemory<byte> Statement, int Index, BsonValue? InsertedId);

/// <summary>
/// The one write path: insert/update/delete commands with OP_MSG document sequences, split into batches
/// under the server's limits, results merged and write errors mapped back to the caller's indexes.
/// InsertOne, UpdateMany, BulkWrite etc. all run through it.
/// </summary>
internal sealed class BulkWriteOperation
{
    // Room for what the executor adds to the body ($db, lsid, txnNumber, $clusterTime, apiVersion, $readPreference).
    private const int BodyAllowance = 1024;

    private static readonly WriteKind[] s_unorderedKinds = [WriteKind.Insert, WriteKind.Update, WriteKind.Delete];

    private readonly string _database;
    private readonly string _collection;
    private readonly IReadOnlyList<WriteRequest> _requests;
    private readonly bool _ordered;
    private readonly WriteConcern _writeConcern;
    private readonly WriteOptionsBase? _options;

    public BulkWriteOperation(string database, string collection, IReadOnlyList<WriteRequest> requests, bool ordered, WriteConcern writeConcern, WriteOptionsBase? options)
    {
        _database = database;
        _collection = collection;
        _requests = requests;
        _ordered = ordered;
        _writeConcern = writeConcern;
        _options = options;
    }

    public async ValueTask<BulkWriteResult> ExecuteAsync(bool async, IOperationExecutor executor, CancellationToken ct)
    {
        if (_requests.Count == 0)
        {
            throw new ArgumentException("A bulk write needs at least one request.");
        }

        var limits = await executor.GetWriteLimitsAsync(async, ct).ConfigureAwait(false);
        var messageLimits = new MessageLimits(
            limits.MaxBsonObjectSize > 0 ? limits.MaxBsonObjectSize : MessageLimits.Default.MaxBsonObjectSize,
            limits.MaxMessageSize > 0 ? limits.MaxMessageSize : MessageLimits.Default.MaxMessageSizeBytes,
            limits.MaxWriteBatchSize > 0 ? limits.MaxWriteBatchSize : MessageLimits.Default.MaxWriteBatchSize);
        bool acknowledged = _writeConcern.IsAcknowledged;
        var state = new ResultState();
        foreach (var run in Runs())
        {
            var statements = new List<ReadOnlyMemory<byte>>(run.Count);
            foreach (var request in run)
            {
                statements.Add(request.Statement);
            }

            var kind = run[0].Kind;
            string identifier = kind switch { WriteKind.Insert => "documents", WriteKind.Update => "updates", _ => "deletes" };
            int bodyLength = BuildBody(kind).ToBytes().Length + BodyAllowance;
            int start = 0;
            while (start < run.Count)
            {
                int count = BatchSplitter.CountNextBatch(bodyLength, identifier, statements, start, messageLimits);
                var message = new CommandMessage
                {
                    Database = _database,
                    Body = BuildBody(kind),
                    Sequences = [new DocumentSequence(identifier, statements.GetRange(start, count))],
                    IsWrite = true,
                    MoreToCome = !acknowledged,
                };
                var response = await executor.ExecuteAsync(async, message, ct).ConfigureAwait(false);
                if (acknowledged && state.Merge(kind, response.Body, run, start, count, _ordered))
                {
                    // Ordered writes stop at the first write error.
                    int processed = state.ProcessedBeforeStop(run, start);
                    return state.Finish(_requests, acknowledged, _requests.Count - processed);
                }

                if (!acknowledged && kind == WriteKind.Insert)
                {
                    for (int i = start; i < start + count; i++)
                    {
                        state.InsertedIds[run[i].Index] = run[i].InsertedId!;
                    }
                }

                start += count;
            }
        }

        return state.Finish(_requests, acknowledged, 0);
    }

    private BsonDocument BuildBody(WriteKind kind)
    {
        var body = new BsonDocument
        {
            { kind switch { WriteKind.Insert => "insert", WriteKind.Update => "update", _ => "delete" }, _collection },
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

    /// <summary>Ordered: consecutive requests of one kind. Unordered: all inserts, then updates, then deletes.</summary>
    private IEnumerable<List<WriteRequest>> Runs()
    {
        if (_ordered)
        {
            var run = new List<WriteRequest>();
            foreach (var request in _requests)
            {
                if (run.Count > 0 && run[0].Kind != request.Kind)
                {
                    yield return run;
                    run = [];
                }

                run.Add(request);
            }

            yield return run;
            yield break;
        }

        foreach (var kind in s_unorderedKinds)
        {
            var run = new List<WriteRequest>();
            foreach (var request in _requests)
            {
                if (request.Kind == kind)
                {
                    run.Add(request);
                }
            }

            if (run.Count > 0)
            {
                yield return run;
            }
        }
    }

    private sealed class ResultState
    {
        public long Inserted;
        public long Matched;
        public long Modified;
        public long Deleted;
        public readonly List<BulkWriteUpsert> Upserts = [];
        public readonly List<WriteError> Errors = [];
        public readonly Dictionary<int, BsonValue> InsertedIds = [];
        public WriteConcernError? WriteConcernError;
        public int FailedLocalIndex = -1;

        /// <summary>Adds one reply; returns true when an ordered write must stop.</summary>
        public bool Merge(WriteKind kind, BsonDocument reply, List<WriteRequest> run, int start, int count, bool ordered)
        {
            long n = reply.TryGetValue("n", out var nValue) && nValue.IsNumeric ? nValue.ToInt64() : 0;
            var failed = new HashSet<int>();
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
                    int index = localIndex >= 0 && localIndex < run.Count ? run[localIndex].Index : local.Index;
                    failed.Add(localIndex);
                    Errors.Add(new WriteError(index, local.Code, local.CodeName, local.Message, local.Details, local.KeyPattern, local.KeyValue));
                    if (FailedLocalIndex < 0 || localIndex < FailedLocalIndex)
                    {
                        FailedLocalIndex = localIndex;
                    }
                }
            }

            if (reply.TryGetValue("writeConcernError", out var wce) && wce is BsonDocument wceDocument)
            {
                WriteConcernError = WriteConcernError.FromDocument(wceDocument);
            }

            switch (kind)
            {
                case WriteKind.Insert:
                    Inserted += n;
                    for (int i = start; i < start + count; i++)
                    {
                        if (!failed.Contains(i) && !(ordered && FailedLocalIndex >= 0 && i > FailedLocalIndex))
                        {
                            InsertedIds[run[i].Index] = run[i].InsertedId!;
                        }
                    }

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
                                Upserts.Add(new BulkWriteUpsert(localIndex < run.Count ? run[localIndex].Index : i.ToInt32(), upsert.GetValueOrDefault("_id") ?? BsonNull.Value));
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

            return ordered && failed.Count > 0;
        }

        public int ProcessedBeforeStop(List<WriteRequest> run, int start)
        {
            // Requests before the failing one in the caller's order were processed; the failing one counts as processed too.
            int failingIndex = FailedLocalIndex >= 0 && FailedLocalIndex < run.Count ? run[FailedLocalIndex].Index : run[start].Index;
            return failingIndex + 1;
        }

        public BulkWriteResult Finish(IReadOnlyList<WriteRequest> requests, bool acknowledged, int unprocessed)
        {
            var result = new BulkWriteResult(acknowledged, requests.Count, Inserted, Matched, Modified, Deleted, Upserts, InsertedIds);
            if (Errors.Count > 0 || WriteConcernError is not null)
            {
                throw new MongoBulkWriteException(Errors, WriteConcernError, result, unprocessed);
            }

            return result;
        }
    }
}
