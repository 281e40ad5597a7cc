using Mongo.Bson;
using Mongo.InMemory.Commands;
using Mongo.InMemory.Engine;

namespace Mongo.InMemory.Server;

/// <summary>
/// Earlier versions of the data set by cluster time, so a snapshot read at an atClusterTime older than a later write
/// sees the documents as they were then, as mongod does within minSnapshotHistoryWindowInSeconds.
/// </summary>
/// <remarks>
/// A version is a <see cref="Storage.Snapshot"/> (documents shared, lists and key maps copied on the next write), taken
/// just before a write and valid from the write before it up to (excluding) the write's own time. Keeping versions costs
/// every write a copy of its collection's document list, so versions are kept only while a snapshot reader could ask
/// for them: from the first snapshot read on, until a window passes without one. A read at a time no version covers
/// (older than the window, than the first snapshot read, or dropped to bound memory) is SnapshotTooOld, mongod's answer
/// for a time older than the oldest it kept. Versions older than the window are dropped, and at most
/// <see cref="MaxVersions"/> are kept (mongod too answers SnapshotTooOld when its cache cannot keep more history).
/// </remarks>
internal sealed class SnapshotHistory
{
    /// <summary>mongod's default minSnapshotHistoryWindowInSeconds.</summary>
    public const int DefaultWindowSeconds = 300;

    /// <summary>The most versions kept, whatever the window, so heavy writing cannot grow memory without bound.</summary>
    public const int MaxVersions = 1000;

    private readonly object _lock = new();
    private readonly List<Version> _versions = []; // oldest first
    private Version? _open; // the state before a write that has not finished yet
    private BsonTimestamp? _lastWrite;
    private long _keepUntil; // Unix seconds: versions are taken until then (a snapshot read extends it)
    private int _windowSeconds = DefaultWindowSeconds;

    /// <summary>minSnapshotHistoryWindowInSeconds: how long versions are kept, and how long after a snapshot read.</summary>
    public int WindowSeconds
    {
        get { lock (_lock) return _windowSeconds; }
        set { lock (_lock) _windowSeconds = value; }
    }

    /// <summary>The time of the latest write (null: none since the server started).</summary>
    public BsonTimestamp? LastWrite
    {
        get { lock (_lock) return _lastWrite; }
    }

    /// <summary>How many versions are kept now (for tests of the bounds).</summary>
    public int Count
    {
        get { lock (_lock) return _versions.Count; }
    }

    /// <summary>A snapshot read was served: later writes keep the versions it may still ask for.</summary>
    public void SnapshotReadServed()
    {
        lock (_lock)
        {
            _keepUntil = Now() + _windowSeconds;
        }
    }

    /// <summary>
    /// Before a command that may change <paramref name="storage"/>: keeps the current state as a version when a snapshot
    /// reader could need it (and it is not kept already by a write still running).
    /// </summary>
    public void BeforeWrite(Storage storage)
    {
        lock (_lock)
        {
            if (_open is not null || Now() > _keepUntil)
            {
                return;
            }
        }

        Storage copy;
        lock (storage.Sync)
        {
            copy = storage.Snapshot();
        }

        lock (_lock)
        {
            _open ??= new Version(_lastWrite, copy);
        }
    }

    /// <summary>A write finished at <paramref name="at"/>: the version taken before it is valid until then.</summary>
    public void Wrote(BsonTimestamp at)
    {
        lock (_lock)
        {
            if (_open is { } version)
            {
                version.Until = at;
                _versions.Add(version);
                _open = null;
            }

            _lastWrite = at;
            PruneLocked();
        }
    }

    /// <summary>
    /// The data as of <paramref name="at"/>: null when no write happened since (read the current data), else the version
    /// that covers it. Throws SnapshotTooOld when none does.
    /// </summary>
    public Storage? At(BsonTimestamp at)
    {
        lock (_lock)
        {
            if (_lastWrite is not { } last || at.Value >= last.Value)
            {
                return null;
            }

            PruneLocked();
            for (int i = _versions.Count - 1; i >= 0; i--)
            {
                Version version = _versions[i];
                if (version.Until!.Value <= at.Value)
                {
                    break;
                }

                if (version.From is null || version.From.Value <= at.Value)
                {
                    return version.Storage;
                }
            }

            throw Errors.Of(ErrorCodes.SnapshotTooOld, $"Read timestamp {at} is older than the oldest available timestamp.");
        }
    }

    private void PruneLocked()
    {
        long oldest = Now() - _windowSeconds;
        int drop = 0;
        while (drop < _versions.Count && (_versions.Count - drop > MaxVersions || _versions[drop].Until!.Timestamp < oldest))
        {
            drop++;
        }

        if (drop > 0)
        {
            _versions.RemoveRange(0, drop);
        }
    }

    private static long Now() => DateTimeOffset.UtcNow.ToUnixTimeSeconds();

    private sealed class Version(BsonTimestamp? from, Storage storage)
    {
        /// <summary>The write that made this state (null: before any write the history knows of).</summary>
        public BsonTimestamp? From { get; } = from;

        /// <summary>The write that ended it.</summary>
        public BsonTimestamp? Until { get; set; }

        public Storage Storage { get; } = storage;
    }
}
