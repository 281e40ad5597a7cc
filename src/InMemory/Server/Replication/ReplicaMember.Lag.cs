using Mongo.InMemory.Engine;

namespace Mongo.InMemory.Server.Replication;

/// <summary>How far a member has applied the log, the test controls that make it lag, and the view its reads pin.</summary>
internal sealed partial class ReplicaMember
{
    [ThreadStatic]
    private static ReplicaMember? t_pinOwner;

    [ThreadStatic]
    private static Storage? t_pinned;

    /// <summary>Each log entry reaches this member this long after it was written (zero: at once). Set under the set's lock.</summary>
    public TimeSpan Delay { get; set; }

    /// <summary>The member applies nothing more until resumed. Set under the set's lock.</summary>
    public bool Paused { get; set; }

    /// <summary>
    /// A member whose reads may show older data than the primary's: a secondary with a delay or paused (stopped or
    /// not). The log keeps a snapshot for every entry such a member may still rest on.
    /// </summary>
    public bool Lags => !IsPrimary && (Paused || Delay > TimeSpan.Zero);

    /// <summary>The index of the last log entry this member has applied, as last computed (never goes back).</summary>
    public long AppliedIndex { get; set; } = -1;

    /// <summary>The optime of that entry.</summary>
    public OpTime AppliedOpTime { get; set; } = OpTime.Null;

    /// <summary>
    /// Pins the storage this member's reads use until the scope is disposed, so one command reads one consistent view
    /// even if the member applies more of the log meanwhile. Commands run synchronously on one thread, hence a
    /// thread-static pin.
    /// </summary>
    public PinScope PinView()
    {
        var previousOwner = t_pinOwner;
        var previous = t_pinned;
        t_pinned = Set.ViewOf(this);
        t_pinOwner = this;
        return new PinScope(previousOwner, previous);
    }

    private Storage? PinnedView() => ReferenceEquals(t_pinOwner, this) ? t_pinned : null;

    /// <summary>Restores the pin that was in place before <see cref="PinView"/>.</summary>
    public readonly struct PinScope(ReplicaMember? previousOwner, Storage? previous) : IDisposable
    {
        public void Dispose()
        {
            t_pinOwner = previousOwner;
            t_pinned = previous;
        }
    }
}
