using System.Net;
using DnsClient;
using DnsClient.Protocol;

namespace Mongo.Driver;

/// <summary>
/// The default <see cref="IDnsResolver"/>, built on DnsClient.NET. It asks the system's name servers, or the
/// servers given (e.g. a test DNS server on a loopback port). Answers are not cached: SRV polling relies on fresh TTLs.
/// </summary>
public sealed class DnsClientResolver : IDnsResolver, Srv.IBoundedDnsResolver
{
    private readonly LookupClient _client;

    /// <summary>Uses the system's configured name servers.</summary>
    public DnsClientResolver() : this(new LookupClientOptions())
    {
    }

    /// <summary>Uses the given name servers, e.g. <c>new IPEndPoint(IPAddress.Loopback, 5353)</c>.</summary>
    /// <param name="nameServers">The servers to ask, in order.</param>
    /// <param name="timeout">The timeout of one query attempt (default 5 s).</param>
    public DnsClientResolver(IEnumerable<IPEndPoint> nameServers, TimeSpan? timeout = null)
        : this(new LookupClientOptions([.. nameServers ?? throw new ArgumentNullException(nameof(nameServers))]) { Timeout = timeout ?? TimeSpan.FromSeconds(5) })
    {
    }

    private DnsClientResolver(LookupClientOptions options)
    {
        options.UseCache = false;
        options.ThrowDnsErrors = false;
        options.ContinueOnDnsError = false;
        options.Retries = 1;
        _client = new LookupClient(options);
    }

    /// <inheritdoc />
    public IReadOnlyList<DnsSrvRecord> ResolveSrv(string name, CancellationToken cancellationToken) =>
        ResolveSrvCore(name, async: false, cancellationToken).GetAwaiter().GetResult();

    /// <inheritdoc />
    public Task<IReadOnlyList<DnsSrvRecord>> ResolveSrvAsync(string name, CancellationToken cancellationToken) =>
        ResolveSrvCore(name, async: true, cancellationToken);

    /// <inheritdoc />
    public IReadOnlyList<DnsTxtRecord> ResolveTxt(string name, CancellationToken cancellationToken) =>
        ResolveTxtCore(name, async: false, cancellationToken).GetAwaiter().GetResult();

    /// <inheritdoc />
    public Task<IReadOnlyList<DnsTxtRecord>> ResolveTxtAsync(string name, CancellationToken cancellationToken) =>
        ResolveTxtCore(name, async: true, cancellationToken);

    IReadOnlyList<DnsSrvRecord> Srv.IBoundedDnsResolver.ResolveSrv(string name, TimeSpan timeout, CancellationToken cancellationToken) =>
        ResolveSrvCore(name, async: false, cancellationToken, timeout).GetAwaiter().GetResult();

    IReadOnlyList<DnsTxtRecord> Srv.IBoundedDnsResolver.ResolveTxt(string name, TimeSpan timeout, CancellationToken cancellationToken) =>
        ResolveTxtCore(name, async: false, cancellationToken, timeout).GetAwaiter().GetResult();

    private async Task<IReadOnlyList<DnsSrvRecord>> ResolveSrvCore(string name, bool async, CancellationToken cancellationToken, TimeSpan? timeout = null)
    {
        var response = await QueryAsync(name, QueryType.SRV, async, cancellationToken, timeout).ConfigureAwait(false);
        if (response is null)
        {
            return [];
        }

        var result = new List<DnsSrvRecord>();
        foreach (var record in response.Answers.SrvRecords())
        {
            result.Add(new DnsSrvRecord(record.Target.Value, record.Port, TimeSpan.FromSeconds(record.TimeToLive)));
        }

        return result;
    }

    private async Task<IReadOnlyList<DnsTxtRecord>> ResolveTxtCore(string name, bool async, CancellationToken cancellationToken, TimeSpan? timeout = null)
    {
        var response = await QueryAsync(name, QueryType.TXT, async, cancellationToken, timeout).ConfigureAwait(false);
        if (response is null)
        {
            return [];
        }

        var result = new List<DnsTxtRecord>();
        foreach (TxtRecord record in response.Answers.TxtRecords())
        {
            result.Add(new DnsTxtRecord([.. record.Text]));
        }

        return result;
    }

    /// <summary>Runs one query; null means "no such name".</summary>
    private async Task<IDnsQueryResponse?> QueryAsync(string name, QueryType type, bool async, CancellationToken cancellationToken, TimeSpan? timeout)
    {
        cancellationToken.ThrowIfCancellationRequested();
        IDnsQueryResponse response;
        try
        {
            if (async)
            {
                response = await _client.QueryAsync(name, type, QueryClass.IN, cancellationToken).ConfigureAwait(false);
            }
            else if (timeout is { } limit)
            {
                // The sync query cannot be cancelled, so its own timeout is the caller's limit (one attempt; no retry
                // would fit in the time left).
                var options = new DnsQueryAndServerOptions([.. _client.NameServers])
                {
                    Timeout = limit,
                    Retries = 0,
                    UseCache = false,
                    ThrowDnsErrors = false,
                    ContinueOnDnsError = false,
                };
                response = _client.Query(new DnsQuestion(name, type, QueryClass.IN), options);
            }
            else
            {
                response = _client.Query(name, type, QueryClass.IN);
            }
        }
        catch (DnsResponseException ex) when (ex.Code == DnsResponseCode.ConnectionTimeout)
        {
            throw new TimeoutException($"The DNS server did not answer the {type} query for '{name}' in time.", ex);
        }

        cancellationToken.ThrowIfCancellationRequested();
        return response.Header.ResponseCode switch
        {
            DnsHeaderResponseCode.NoError => response,
            DnsHeaderResponseCode.NotExistentDomain => null,
            var code => throw new IOException($"The DNS server answered {code} to the {type} query for '{name}'."),
        };
    }
}
