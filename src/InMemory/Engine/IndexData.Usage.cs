namespace Mongo.InMemory.Engine;

/// <summary>How often queries used an index since it was created (for $indexStats); shared by an index's snapshot copies.</summary>
internal sealed class IndexUsage
{
    private long _ops;

    public long Ops => Interlocked.Read(ref _ops);

    /// <summary>When counting started (the index's creation or the server's start), in milliseconds since the epoch.</summary>
    public long SinceMilliseconds { get; } = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

    public void Record() => Interlocked.Increment(ref _ops);
}

internal sealed partial class IndexData
{
    /// <summary>The index's access counter; a snapshot copy shares it, so uses inside a transaction count too.</summary>
    public IndexUsage Usage { get; private set; } = new();
}
