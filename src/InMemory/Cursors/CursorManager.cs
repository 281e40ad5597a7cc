using System.Collections.Concurrent;
using Mongo.Bson;
using Mongo.InMemory.Commands;
using Mongo.InMemory.Wire;
using Mongo.InMemory.Engine;

namespace Mongo.InMemory.Cursors;

/// <summary>
/// Holds open cursors. Batches stop at the requested batch size (101 documents by default for a first batch) or
/// when the next document would take the batch past 16 MiB, as a real server's do; a batch always holds at least
/// one document when any remain. Cursors unused for the configured timeout are killed by a timer.
/// </summary>
internal sealed class CursorManager : IDisposable
{
    public const int DefaultFirstBatchSize = 101;
    public const int MaxBatchBytes = 16 * 1024 * 1024;

    /// <summary>How long an awaitData getMore without maxTimeMS waits for new documents (the server's default).</summary>
    public static readonly TimeSpan DefaultMaxAwait = TimeSpan.FromSeconds(1);

    private readonly ConcurrentDictionary<long, ServerCursor> _cursors = new();
    private TimeSpan _timeout;
    private readonly Timer _reaper;
    private long _lastId;

    public CursorManager(TimeSpan timeout)
    {
        _timeout = timeout;
        // Random high bits make ids unguessable across servers while staying positive, like a server's.
        _lastId = Random.Shared.NextInt64(1L << 40, 1L << 52);
        TimeSpan period = TimeSpan.FromTicks(Math.Clamp(timeout.Ticks / 4, TimeSpan.FromMilliseconds(50).Ticks, TimeSpan.FromSeconds(30).Ticks));
        _reaper = new Timer(static state => ((CursorManager)state!).ReapIdle(), this, period, period);
    }

    /// <summary>cursorTimeoutMillis: how long an idle cursor lives (setParameter changes it; the reaper then runs at a
    /// quarter of it, between 50 ms and 30 s).</summary>
    public TimeSpan Timeout
    {
        get => _timeout;
        set
        {
            _timeout = value;
            TimeSpan period = TimeSpan.FromTicks(Math.Clamp(value.Ticks / 4, TimeSpan.FromMilliseconds(50).Ticks, TimeSpan.FromSeconds(30).Ticks));
            _reaper.Change(period, period);
        }
    }

    /// <summary>Open cursors right now.</summary>
    public int Count => _cursors.Count;

    /// <summary>Cursors killed because they sat unused past the timeout.</summary>
    public long TimedOut => Interlocked.Read(ref _timedOut);

    private long _timedOut;

    /// <summary>
    /// Builds <c>{ cursor: { firstBatch: [...], id, ns } }</c> from <paramref name="results"/>, registering the rest
    /// under a fresh cursor id (0 when everything fit or <paramref name="singleBatch"/> is set).
    /// </summary>
    /// <param name="ns">The cursor's namespace.</param>
    /// <param name="results">The results, in order.</param>
    /// <param name="batchSize">The first batch's size (null: the server's default).</param>
    /// <param name="singleBatch">Close the cursor after the first batch.</param>
    /// <param name="tail">A tailable cursor's state.</param>
    /// <param name="noTimeout">noCursorTimeout: the idle-cursor reaper leaves the cursor alone.</param>
    public BsonDocument CreateCursorReply(string ns, IEnumerable<BsonDocument> results, int? batchSize, bool singleBatch = false, TailableState? tail = null, bool noTimeout = false)
    {
        if (batchSize is < 0)
        {
            throw new CommandException(ErrorCodes.BadValue, ErrorCodes.NameOf(ErrorCodes.BadValue), "BatchSize value must be non-negative, but received: " + batchSize);
        }

        IEnumerator<BsonDocument> enumerator = results.GetEnumerator();
        bool keep = false;
        try
        {
            BsonDocument? pending = enumerator.MoveNext() ? enumerator.Current : null;
            // A tailable cursor lives on at the end of its results, but (as on the server) only if it found any.
            bool tailing = tail is not null && pending is not null;
            var batch = FillBatch(enumerator, ref pending, batchSize ?? DefaultFirstBatchSize);
            long id = 0;
            if ((pending is not null || tailing) && !singleBatch)
            {
                id = Interlocked.Increment(ref _lastId);
                _cursors[id] = new ServerCursor(id, ns, enumerator, pending, tailing ? tail : null)
                {
                    LeftoverMaxTimeMs = LeftoverOf(Commands.OperationDeadline.Current),
                    NoTimeout = noTimeout,
                };
                keep = true;
            }
            else
            {
                tail?.Dispose();
            }

            return CursorDocument("firstBatch", batch, id, ns);
        }
        finally
        {
            if (!keep)
            {
                enumerator.Dispose();
            }
        }
    }

    /// <summary>Runs getMore: the next batch of cursor <paramref name="id"/>, which must belong to <paramref name="ns"/>.</summary>
    /// <param name="ns">The namespace the getMore names.</param>
    /// <param name="id">The cursor id.</param>
    /// <param name="batchSize">The getMore's batchSize (null or 0: as many as fit).</param>
    /// <param name="maxAwait">An awaitData cursor's wait for new documents (the getMore's maxTimeMS).</param>
    /// <param name="hasMaxTime">Whether the getMore carried a maxTimeMS, which only an awaitData cursor accepts.</param>
    public BsonDocument GetMore(string ns, long id, int? batchSize, TimeSpan? maxAwait = null, bool hasMaxTime = false)
    {
        if (!_cursors.TryGetValue(id, out ServerCursor? cursor))
        {
            throw Errors.Of(ErrorCodes.CursorNotFound, $"cursor id {id} not found");
        }

        if (cursor.Namespace != ns)
        {
            throw new CommandException(
                ErrorCodes.Unauthorized,
                "Unauthorized",
                $"Requested getMore on namespace '{ns}', but cursor belongs to a different namespace {cursor.Namespace}");
        }

        bool awaitData = cursor.Tail?.AwaitData == true;
        if (hasMaxTime && !awaitData)
        {
            throw Errors.Of(ErrorCodes.BadValue, "cannot set maxTimeMS on getMore command for a non-awaitData cursor");
        }

        if (!cursor.TryAcquire())
        {
            throw Engine.Errors.Of(ErrorCodes.CursorInUse, $"Cursor already in use (namespace: '{ns}', id: {id}).");
        }

        bool exhausted = false;
        long expiresAt = !awaitData && cursor.LeftoverMaxTimeMs is long leftover ? Environment.TickCount64 + leftover : 0;
        using Commands.OperationDeadline.Scope deadline = Commands.OperationDeadline.Enter(expiresAt);
        try
        {
            if (expiresAt != 0)
            {
                Commands.OperationDeadline.CheckNow(); // nothing left of the find's time: the getMore fails (and kills the cursor)
            }

            BsonDocument? pending = cursor.Pending;
            if (pending is null && cursor.Tail is not null)
            {
                // At the end of a tailable cursor's results: read what was inserted since (awaitData waits for it).
                cursor.Results.Dispose();
                cursor.Results = cursor.Tail.Next(maxAwait ?? DefaultMaxAwait).GetEnumerator();
                pending = cursor.Results.MoveNext() ? cursor.Results.Current : null;
            }

            // For getMore, batchSize 0 or absent means "as many as fit in 16 MiB".
            var batch = FillBatch(cursor.Results, ref pending, batchSize is null or 0 ? int.MaxValue : batchSize.Value);
            cursor.Pending = pending;
            cursor.LeftoverMaxTimeMs = expiresAt == 0 ? cursor.LeftoverMaxTimeMs : LeftoverOf(expiresAt);
            exhausted = pending is null && cursor.Tail is null;
            return CursorDocument("nextBatch", batch, exhausted ? 0 : id, ns);
        }
        catch
        {
            exhausted = true; // a failing producer leaves the cursor unusable, as a plan executor error does
            throw;
        }
        finally
        {
            cursor.Release();
            if (exhausted && _cursors.TryRemove(id, out _))
            {
                cursor.Dispose();
            }
        }
    }

    /// <summary>Records that cursor <paramref name="id"/> belongs to <paramref name="owner"/> (a transaction).</summary>
    public void SetOwner(long id, object owner)
    {
        if (_cursors.TryGetValue(id, out ServerCursor? cursor))
        {
            cursor.Owner = owner;
        }
    }

    /// <summary>Whether cursor <paramref name="id"/> is open, and what owns it (null: nothing).</summary>
    public bool TryGetOwner(long id, out object? owner)
    {
        owner = _cursors.TryGetValue(id, out ServerCursor? cursor) ? cursor.Owner : null;
        return cursor is not null;
    }

    /// <summary>Kills the cursors <paramref name="owner"/> opened (an aborted transaction's).</summary>
    public void KillOwnedBy(object owner)
    {
        foreach (var pair in _cursors)
        {
            if (ReferenceEquals(pair.Value.Owner, owner) && _cursors.TryRemove(pair.Key, out ServerCursor? cursor))
            {
                cursor.Dispose();
            }
        }
    }

    /// <summary>Kills cursors; returns the ids killed and the ids that were not found.</summary>
    public BsonDocument Kill(string ns, IEnumerable<long> ids)
    {
        var killed = new BsonArray();
        var notFound = new BsonArray();
        foreach (long id in ids)
        {
            if (_cursors.TryGetValue(id, out ServerCursor? cursor) && cursor.Namespace == ns && _cursors.TryRemove(id, out _))
            {
                cursor.Dispose();
                killed.Add(new BsonInt64(id));
            }
            else
            {
                notFound.Add(new BsonInt64(id));
            }
        }

        return new BsonDocument
        {
            { "cursorsKilled", killed },
            { "cursorsNotFound", notFound },
            { "cursorsAlive", new BsonArray() },
            { "cursorsUnknown", new BsonArray() },
        };
    }

    /// <summary>Kills every cursor idle for longer than the timeout; returns how many.</summary>
    internal int ReapIdle()
    {
        long now = Environment.TickCount64;
        long limit = (long)_timeout.TotalMilliseconds;
        int reaped = 0;
        foreach (var pair in _cursors)
        {
            ServerCursor cursor = pair.Value;
            if (!cursor.InUse && !cursor.NoTimeout && now - cursor.LastUsedTicks > limit && _cursors.TryRemove(pair.Key, out _))
            {
                cursor.Dispose();
                Interlocked.Increment(ref _timedOut);
                reaped++;
            }
        }

        return reaped;
    }

    /// <summary>What is left until <paramref name="expiresAt"/> in milliseconds (null when there is no deadline).</summary>
    private static long? LeftoverOf(long expiresAt) => expiresAt == 0 ? null : Math.Max(0, expiresAt - Environment.TickCount64);

    private static BsonArray FillBatch(IEnumerator<BsonDocument> results, ref BsonDocument? pending, int limit)
    {
        var batch = new BsonArray();
        long bytes = 0;
        while (pending is not null && batch.Count < limit)
        {
            long size = BsonCodec.SizeOf(pending);
            if (batch.Count > 0 && bytes + size > MaxBatchBytes)
            {
                break;
            }

            batch.Add(pending);
            bytes += size;
            pending = results.MoveNext() ? results.Current : null;
        }

        return batch;
    }

    private static BsonDocument CursorDocument(string batchName, BsonArray batch, long id, string ns) =>
        new()
        {
            {
                "cursor", new BsonDocument
                {
                    { batchName, batch },
                    { "id", new BsonInt64(id) },
                    { "ns", ns },
                }
            },
        };

    public void Dispose()
    {
        _reaper.Dispose();
        foreach (var pair in _cursors)
        {
            if (_cursors.TryRemove(pair.Key, out ServerCursor? cursor))
            {
                cursor.Dispose();
            }
        }
    }
}
