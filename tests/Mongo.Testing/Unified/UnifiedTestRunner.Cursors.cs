using Mongo.Bson;
using Mongo.Driver;

namespace Mongo.Testing.Unified;

public sealed partial class UnifiedTestRunner
{
    /// <summary>
    /// An entity an operation created (a cursor), for saveResultAsEntity; results that are BSON values are saved as such.
    /// Reset before each operation.
    /// </summary>
    private object? _createdEntity;

    private async Task<BsonValue?> CursorOperationAsync(CursorEntity cursor, string name, BsonDocument arguments)
    {
        // The cursor operations take no arguments but close's timeoutMS.
        CheckArguments(arguments, name == "close" ? ["timeoutMS"] : []);
        switch (name)
        {
            case "iterateUntilDocumentOrError":
                return await cursor.NextAsync(_async, once: false) ?? throw new UnifiedAssertionException("iterateUntilDocumentOrError: the cursor is exhausted");
            case "iterateOnce":
                return await cursor.NextAsync(_async, once: true);
            case "close":
                await cursor.CloseAsync(_async, CallTimeout(arguments));
                return null;
            default:
                throw new UnifiedAssertionException("Unsupported cursor operation " + name);
        }
    }

    /// <summary>runCursorCommand (the whole result) and createCommandCursor (a cursor entity) on a database.</summary>
    private async Task<BsonValue?> RunCursorCommandAsync(MongoDatabase database, string name, BsonDocument a)
    {
        CheckArguments(a, "commandName", "command", "batchSize", "comment", "maxTimeMS", "readPreference", "cursorType", "timeoutMode");
        // cursorType tells the runner the command opens a tailable cursor; the driver reads that from the command itself.
        var options = new RunCursorCommandOptions
        {
            TimeoutMode = TimeoutMode(a),
            BatchSize = a.GetValueOrDefault("batchSize")?.ToInt32(),
            Comment = a.GetValueOrDefault("comment"),
            MaxAwaitTime = MaxTime(a),
            ReadPreference = a.GetValueOrDefault("readPreference") is BsonDocument rp ? ParseReadPreference(rp) : null,
        };
        var command = a["command"].AsDocument;
        var cursor = _async ? await database.RunCursorCommandAsync(command, options) : database.RunCursorCommand(command, options);
        if (name == "createCommandCursor")
        {
            _createdEntity = new CursorEntity(cursor);
            return null;
        }

        return new BsonArray(_async ? await cursor.ToListAsync() : cursor.ToList());
    }

    /// <summary>A cursor entity: hands out documents one at a time from the driver cursor's batches.</summary>
    private sealed class CursorEntity(MongoCursor<BsonDocument> cursor) : IAsyncDisposable
    {
        private readonly Queue<BsonDocument> _buffered = new();
        private bool _exhausted;

        /// <summary>
        /// The next document. <paramref name="once"/> (iterateOnce) makes at most one attempt to fetch a batch and may return
        /// null; otherwise (iterateUntilDocumentOrError) it fetches until a document arrives, null only once exhausted.
        /// </summary>
        public async Task<BsonDocument?> NextAsync(bool async, bool once)
        {
            while (_buffered.Count == 0 && !_exhausted)
            {
                bool more = async ? await cursor.MoveNextBatchAsync() : cursor.MoveNextBatch();
                if (!more)
                {
                    _exhausted = true;
                    break;
                }

                foreach (var document in cursor.CurrentBatch)
                {
                    _buffered.Enqueue(document);
                }

                if (once)
                {
                    break;
                }
            }

            return _buffered.TryDequeue(out var next) ? next : null;
        }

        /// <summary>Closes the cursor, under <paramref name="timeout"/> (close's own timeoutMS) when given.</summary>
        public async Task CloseAsync(bool async, TimeSpan? timeout)
        {
            _exhausted = true;
            _buffered.Clear();
            switch (async, timeout)
            {
                case (true, { } own):
                    await cursor.CloseAsync(own);
                    break;
                case (false, { } own):
                    cursor.Close(own);
                    break;
                case (true, null):
                    await cursor.DisposeAsync();
                    break;
                default:
                    cursor.Dispose();
                    break;
            }
        }

        public ValueTask DisposeAsync() => cursor.DisposeAsync();
    }
}
