using System.Diagnostics;
using Mongo.Bson;

namespace Mongo.Driver.Sessions;

/// <summary>
/// The client's pool of server sessions (driver-sessions spec): a deque whose front holds the most recently
/// released sessions (reused first, LIFO) and whose back holds the idle ones that may be about to expire server side.
/// No maximum size; it shrinks only when sessions are taken or discarded.
/// </summary>
internal sealed class ServerSessionPool
{
    private readonly object _lock = new();
    // The deque's front is the list's end (push/pop there allocate nothing); its back is index 0.
    private readonly List<ServerSession> _sessions = [];
    private readonly Func<int?> _timeoutMinutes;
    private readonly bool _loadBalanced;

    /// <param name="timeoutMinutes">The topology's current logicalSessionTimeoutMinutes (null when unknown).</param>
    /// <param name="loadBalanced">Load-balanced mode: sessions are reused without the expiry check (load-balancers spec).</param>
    public ServerSessionPool(Func<int?> timeoutMinutes, bool loadBalanced)
    {
        _timeoutMinutes = timeoutMinutes;
        _loadBalanced = loadBalanced;
    }

    /// <summary>Pooled (idle) sessions.</summary>
    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _sessions.Count;
            }
        }
    }

    /// <summary>Takes the most recently released session that has at least a minute left, or a new one.</summary>
    public ServerSession Acquire()
    {
        int? timeout = _timeoutMinutes();
        long now = Stopwatch.GetTimestamp();
        ServerSession? session = null;
        lock (_lock)
        {
            while (_sessions.Count > 0)
            {
                ServerSession first = _sessions[^1];
                _sessions.RemoveAt(_sessions.Count - 1);
                if (_loadBalanced || timeout is not { } minutes || !first.ExpiresWithinAMinute(minutes, now))
                {
                    session = first;
                    break;
                }
            }
        }

        session ??= new ServerSession();
        session.CheckedOut = true;
        session.Pool = this;
        return session;
    }

    /// <summary>Returns a session: drops expiring ones from the back, then keeps this one at the front unless it is dirty or expiring.</summary>
    public void Release(ServerSession session)
    {
        if (!session.CheckedOut)
        {
            return;
        }

        session.CheckedOut = false;
        int? timeout = _loadBalanced ? null : _timeoutMinutes();
        long now = Stopwatch.GetTimestamp();
        lock (_lock)
        {
            if (timeout is { } minutes)
            {
                int expired = 0;
                while (expired < _sessions.Count && _sessions[expired].ExpiresWithinAMinute(minutes, now))
                {
                    expired++;
                }

                _sessions.RemoveRange(0, expired);

                if (session.ExpiresWithinAMinute(minutes, now))
                {
                    return;
                }
            }

            if (!session.IsDirty)
            {
                _sessions.Add(session);
            }
        }
    }

    /// <summary>Empties the pool and returns the ids of the sessions it held (for endSessions).</summary>
    public List<BsonDocument> Drain()
    {
        lock (_lock)
        {
            var ids = new List<BsonDocument>(_sessions.Count);
            for (int i = _sessions.Count - 1; i >= 0; i--)
            {
                ids.Add(_sessions[i].Lsid);
            }

            _sessions.Clear();
            return ids;
        }
    }
}
