using System.Diagnostics;
using Mongo.Bson;
using Mongo.Driver.Sessions;
using Xunit;

namespace Mongo.Driver.Tests.Sessions;

/// <summary>The server session pool's acquire/return algorithms (driver-sessions spec).</summary>
public sealed class ServerSessionPoolTests
{
    [Fact]
    public void New_sessions_have_a_subtype_4_uuid_lsid_and_count_txnNumbers_from_1()
    {
        var session = new ServerSession();

        var id = Assert.IsType<BsonBinaryData>(session.Lsid["id"]);
        Assert.Equal(BsonBinarySubType.UuidStandard, id.SubType);
        Assert.Equal(16, id.Bytes.Length);
        Assert.Same(session.Lsid, session.Lsid);
        Assert.Equal(1, session.AdvanceTxnNumber());
        Assert.Equal(2, session.AdvanceTxnNumber());
        Assert.NotEqual(session.Lsid, new ServerSession().Lsid);
    }

    [Fact]
    public void Released_sessions_are_reused_most_recent_first()
    {
        var pool = new ServerSessionPool(() => 30, loadBalanced: false);
        ServerSession a = pool.Acquire();
        ServerSession b = pool.Acquire();
        Assert.NotSame(a, b);

        pool.Release(a);
        pool.Release(b);

        Assert.Same(b, pool.Acquire());
        Assert.Same(a, pool.Acquire());
        Assert.Equal(0, pool.Count);
    }

    [Fact]
    public void A_session_released_twice_is_pooled_once()
    {
        var pool = new ServerSessionPool(() => 30, loadBalanced: false);
        ServerSession a = pool.Acquire();

        a.Release();
        a.Release();

        Assert.Equal(1, pool.Count);
    }

    [Fact]
    public void Dirty_sessions_are_discarded_on_return()
    {
        var pool = new ServerSessionPool(() => 30, loadBalanced: false);
        ServerSession a = pool.Acquire();
        a.MarkDirty();

        pool.Release(a);

        Assert.Equal(0, pool.Count);
        Assert.NotSame(a, pool.Acquire());
    }

    [Fact]
    public void Sessions_within_a_minute_of_the_server_timeout_are_discarded_on_return_and_on_acquire()
    {
        int timeout = 30;
        var pool = new ServerSessionPool(() => timeout, loadBalanced: false);
        ServerSession stale = pool.Acquire();
        ServerSession fresh = pool.Acquire();
        pool.Release(stale);
        pool.Release(fresh);

        // 29 of 30 minutes idle: less than a minute left.
        stale.MarkUsed(Stopwatch.GetTimestamp() - (long)(TimeSpan.FromMinutes(29).TotalSeconds * Stopwatch.Frequency));
        ServerSession other = pool.Acquire();
        Assert.Same(fresh, other);
        pool.Release(other);   // drops the expiring session at the back first
        Assert.Equal(1, pool.Count);

        // A returned session that is itself about to expire is not pooled.
        ServerSession expiring = pool.Acquire();
        expiring.MarkUsed(Stopwatch.GetTimestamp() - (long)(TimeSpan.FromMinutes(29.5).TotalSeconds * Stopwatch.Frequency));
        pool.Release(expiring);
        Assert.Equal(0, pool.Count);

        // On acquire, an expiring session at the front is discarded and a new one made.
        ServerSession old = pool.Acquire();
        pool.Release(old);
        old.MarkUsed(Stopwatch.GetTimestamp() - (long)(TimeSpan.FromMinutes(29.5).TotalSeconds * Stopwatch.Frequency));
        Assert.NotSame(old, pool.Acquire());
    }

    [Fact]
    public void Load_balanced_mode_reuses_sessions_without_the_expiry_check()
    {
        var pool = new ServerSessionPool(() => 30, loadBalanced: true);
        ServerSession a = pool.Acquire();
        pool.Release(a);
        a.MarkUsed(Stopwatch.GetTimestamp() - (long)(TimeSpan.FromMinutes(45).TotalSeconds * Stopwatch.Frequency));

        Assert.Same(a, pool.Acquire());
    }

    [Fact]
    public void Drain_returns_every_pooled_lsid_and_empties_the_pool()
    {
        var pool = new ServerSessionPool(() => null, loadBalanced: false);
        ServerSession a = pool.Acquire();
        ServerSession b = pool.Acquire();
        pool.Release(a);
        pool.Release(b);

        List<BsonDocument> ids = pool.Drain();

        Assert.Equal([b.Lsid, a.Lsid], ids);
        Assert.Equal(0, pool.Count);
    }
}
