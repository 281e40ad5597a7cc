namespace Mongo.Driver.Tests.Srv;

/// <summary>An in-memory <see cref="IDnsResolver"/> for prose tests; records can change between calls.</summary>
internal sealed class StubDnsResolver : IDnsResolver
{
    public Dictionary<string, List<DnsSrvRecord>> Srv { get; } = new(StringComparer.OrdinalIgnoreCase);

    public Dictionary<string, List<DnsTxtRecord>> Txt { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>When set, every lookup throws it.</summary>
    public Exception? Failure { get; set; }

    /// <summary>When set, lookups wait until cancelled (a server that never answers).</summary>
    public bool Hang { get; set; }

    public int SrvQueries { get; private set; }

    public void SetSrv(string name, params (string Target, int Port)[] records) =>
        Srv[name] = [.. records.Select(r => new DnsSrvRecord(r.Target, r.Port, TimeSpan.FromSeconds(300)))];

    public IReadOnlyList<DnsSrvRecord> ResolveSrv(string name, CancellationToken cancellationToken) =>
        ResolveSrvAsync(name, cancellationToken).GetAwaiter().GetResult();

    public async Task<IReadOnlyList<DnsSrvRecord>> ResolveSrvAsync(string name, CancellationToken cancellationToken)
    {
        SrvQueries++;
        await Check(cancellationToken);
        return Srv.TryGetValue(name, out var list) ? [.. list] : [];
    }

    public IReadOnlyList<DnsTxtRecord> ResolveTxt(string name, CancellationToken cancellationToken) =>
        ResolveTxtAsync(name, cancellationToken).GetAwaiter().GetResult();

    public async Task<IReadOnlyList<DnsTxtRecord>> ResolveTxtAsync(string name, CancellationToken cancellationToken)
    {
        await Check(cancellationToken);
        return Txt.TryGetValue(name, out var list) ? [.. list] : [];
    }

    private async Task Check(CancellationToken cancellationToken)
    {
        if (Failure is { } failure)
        {
            throw failure;
        }

        if (Hang)
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }
    }
}
