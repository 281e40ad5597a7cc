namespace Mongo.Driver;

/// <summary>One SRV record: target host, port and time to live (priority and weight are ignored by the spec).</summary>
/// <param name="Target">The target host name (a trailing dot is allowed).</param>
/// <param name="Port">The port.</param>
/// <param name="TimeToLive">The record's TTL.</param>
public readonly record struct DnsSrvRecord(string Target, int Port, TimeSpan TimeToLive);

/// <summary>One TXT record: its character strings in order (a record may hold several).</summary>
/// <param name="Strings">The strings, unescaped.</param>
public sealed record DnsTxtRecord(IReadOnlyList<string> Strings);

/// <summary>
/// DNS lookups for <c>mongodb+srv</c>. Implementations return an empty list when the name does not exist or has no
/// records of the type, throw <see cref="TimeoutException"/> when the server does not answer in time, and throw any
/// other exception for other failures (server failure, refused, network error). They should honour the cancellation
/// token (the driver cancels after <c>connectTimeoutMS</c>).
/// </summary>
public interface IDnsResolver
{
    /// <summary>Looks up the SRV records of a name, e.g. <c>_mongodb._tcp.cluster0.example.com</c>.</summary>
    IReadOnlyList<DnsSrvRecord> ResolveSrv(string name, CancellationToken cancellationToken);

    /// <summary>Looks up the SRV records of a name.</summary>
    Task<IReadOnlyList<DnsSrvRecord>> ResolveSrvAsync(string name, CancellationToken cancellationToken);

    /// <summary>Looks up the TXT records of a name.</summary>
    IReadOnlyList<DnsTxtRecord> ResolveTxt(string name, CancellationToken cancellationToken);

    /// <summary>Looks up the TXT records of a name.</summary>
    Task<IReadOnlyList<DnsTxtRecord>> ResolveTxtAsync(string name, CancellationToken cancellationToken);
}
