namespace Mongo.Driver.Srv;

/// <summary>
/// A resolver whose synchronous lookups can be bounded by a time limit. DnsClient's synchronous query blocks on its
/// socket and ignores a <see cref="CancellationToken"/>, so without this a sync <c>mongodb+srv</c> lookup against a
/// DNS server that never answers would wait for DnsClient's own timeout and retries instead of connectTimeoutMS.
/// </summary>
internal interface IBoundedDnsResolver
{
    /// <summary>SRV records of <paramref name="name"/>, waiting at most <paramref name="timeout"/>.</summary>
    IReadOnlyList<DnsSrvRecord> ResolveSrv(string name, TimeSpan timeout, CancellationToken cancellationToken);

    /// <summary>TXT records of <paramref name="name"/>, waiting at most <paramref name="timeout"/>.</summary>
    IReadOnlyList<DnsTxtRecord> ResolveTxt(string name, TimeSpan timeout, CancellationToken cancellationToken);
}
