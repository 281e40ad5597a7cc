using Mongo.Driver.Srv;

namespace Mongo.Driver;

/// <summary>The outcome of resolving a <c>mongodb+srv</c> host name.</summary>
/// <param name="Seeds">The initial seed list (a random subset when <c>srvMaxHosts</c> limits it).</param>
/// <param name="AllHosts">Every valid host the SRV records list.</param>
/// <param name="TxtOptions">The options of the TXT record (already checked against the allow-list).</param>
/// <param name="RescanInterval">When to poll again: the lowest record TTL, but at least 60 seconds.</param>
public sealed record SrvResolution(
    IReadOnlyList<MongoServerAddress> Seeds,
    IReadOnlyList<MongoServerAddress> AllHosts,
    IReadOnlyList<KeyValuePair<string, string>> TxtOptions,
    TimeSpan RescanInterval);

/// <summary>
/// Resolves <c>mongodb+srv</c> connection strings (initial-dns-seedlist-discovery spec): SRV lookup of
/// <c>_{srvServiceName}._tcp.{host}</c>, parent-domain validation of every target, at most one TXT record with only
/// authSource/replicaSet/loadBalanced, <c>srvMaxHosts</c> random selection, implicit TLS, and the whole lookup bounded
/// by <c>connectTimeoutMS</c>. Missing records and invalid answers raise <see cref="MongoConfigurationException"/>;
/// timeouts and DNS failures raise <see cref="MongoConnectionException"/>. Both name the host.
/// </summary>
public sealed class SrvResolver
{
    /// <summary>The smallest interval between SRV polls (polling spec).</summary>
    public static readonly TimeSpan MinimumRescanInterval = TimeSpan.FromSeconds(60);

    private readonly IDnsResolver _dns;
    private readonly Random _random;

    /// <summary>Creates a resolver over the given DNS resolver (default: <see cref="DnsClientResolver"/> with system servers).</summary>
    /// <param name="dns">The DNS resolver.</param>
    /// <param name="random">The randomness for <c>srvMaxHosts</c> selection (default: shared).</param>
    public SrvResolver(IDnsResolver? dns = null, Random? random = null)
    {
        _dns = dns ?? new DnsClientResolver();
        _random = random ?? Random.Shared;
    }

    /// <summary>The DNS resolver in use.</summary>
    public IDnsResolver Dns => _dns;

    /// <summary>Resolves a <c>mongodb+srv</c> URL into a URL whose hosts are the seeds and whose options include the TXT record's.</summary>
    public MongoUrl Resolve(MongoUrl url, CancellationToken cancellationToken = default) =>
        ResolveUrlCore(url, async: false, cancellationToken).GetAwaiter().GetResult();

    /// <summary>Resolves a <c>mongodb+srv</c> URL into a URL whose hosts are the seeds and whose options include the TXT record's.</summary>
    public Task<MongoUrl> ResolveAsync(MongoUrl url, CancellationToken cancellationToken = default) =>
        ResolveUrlCore(url, async: true, cancellationToken);

    /// <summary>
    /// Resolves settings with scheme <see cref="ConnectionStringScheme.MongoDBPlusSrv"/> into a copy with the seeds as
    /// servers; TXT options apply only where the settings do not set them.
    /// </summary>
    public MongoClientSettings Resolve(MongoClientSettings settings, CancellationToken cancellationToken = default) =>
        ResolveSettingsCore(settings, async: false, cancellationToken).GetAwaiter().GetResult();

    /// <summary>Resolves settings asynchronously; see <see cref="Resolve(MongoClientSettings, CancellationToken)"/>.</summary>
    public Task<MongoClientSettings> ResolveAsync(MongoClientSettings settings, CancellationToken cancellationToken = default) =>
        ResolveSettingsCore(settings, async: true, cancellationToken);

    /// <summary>Looks up and validates the SRV and TXT records of an SRV host name.</summary>
    /// <param name="srvHost">The host name of the connection string.</param>
    /// <param name="serviceName">The SRV service name (<c>mongodb</c> by default).</param>
    /// <param name="srvMaxHosts">The maximum number of seeds (0 for all).</param>
    /// <param name="timeout">The bound of the whole lookup (<c>connectTimeoutMS</c>); infinite or zero for none.</param>
    /// <param name="cancellationToken">Cancels the lookup.</param>
    public Task<SrvResolution> ResolveHostAsync(string srvHost, string serviceName, int srvMaxHosts, TimeSpan timeout,
        CancellationToken cancellationToken = default) =>
        ResolveHostCore(srvHost, serviceName, srvMaxHosts, timeout, lookupTxt: true, async: true, cancellationToken);

    /// <summary>Looks up and validates the SRV and TXT records of an SRV host name (synchronously).</summary>
    public SrvResolution ResolveHost(string srvHost, string serviceName, int srvMaxHosts, TimeSpan timeout,
        CancellationToken cancellationToken = default) =>
        ResolveHostCore(srvHost, serviceName, srvMaxHosts, timeout, lookupTxt: true, async: false, cancellationToken).GetAwaiter().GetResult();

    private async Task<MongoUrl> ResolveUrlCore(MongoUrl url, bool async, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(url);
        if (!url.IsSrv || url.IsSrvResolved)
        {
            return url;
        }

        var timeout = url.ConnectTimeout ?? TimeSpan.FromSeconds(10);
        var resolution = await ResolveHostCore(url.SrvHost!, url.SrvServiceName ?? "mongodb", url.SrvMaxHosts ?? 0, timeout,
            lookupTxt: true, async, cancellationToken).ConfigureAwait(false);
        return url.WithSrvResolution(resolution.Seeds, resolution.TxtOptions);
    }

    private async Task<MongoClientSettings> ResolveSettingsCore(MongoClientSettings settings, bool async, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (settings.Scheme != ConnectionStringScheme.MongoDBPlusSrv)
        {
            return settings;
        }

        settings.Validate();
        if (settings.DirectConnection == true)
        {
            throw new MongoConfigurationException("Invalid settings: 'directConnection=true' cannot be used with mongodb+srv.");
        }

        string host = settings.Servers[0].Host;
        var resolution = await ResolveHostCore(host, settings.SrvServiceName, settings.SrvMaxHosts, settings.ConnectTimeout,
            lookupTxt: true, async, cancellationToken).ConfigureAwait(false);
        var resolved = settings.Clone();
        bool useTls = settings.UseTls;
        resolved.Scheme = ConnectionStringScheme.MongoDB;
        resolved.Servers = resolution.Seeds;
        resolved.UseTls = useTls;
        foreach (var (key, value) in resolution.TxtOptions)
        {
            switch (key.ToLowerInvariant())
            {
                case "replicaset" when resolved.ReplicaSetName is null:
                    resolved.ReplicaSetName = value;
                    break;
                case "loadbalanced" when !settings.IsLoadBalancedSet:
                    resolved.LoadBalanced = value.Equals("true", StringComparison.OrdinalIgnoreCase) ? true
                        : value.Equals("false", StringComparison.OrdinalIgnoreCase) ? false
                        : throw new MongoConfigurationException($"The TXT record of '{host}' has an invalid value for 'loadBalanced': '{value}'.");
                    break;
                case "authsource" when resolved.Credential is { IsSourceDefaulted: true } credential:
                    resolved.Credential = credential.WithSource(value);
                    break;
            }
        }

        if (resolved.LoadBalanced && resolution.Seeds.Count > 1)
        {
            throw new MongoConfigurationException(
                $"Invalid settings: 'loadBalanced=true' requires exactly one host, but the SRV records of '{host}' list {resolution.Seeds.Count}.");
        }

        resolved.Validate();
        return resolved;
    }

    /// <summary>The time left for the next query; none left is a timeout (reported like the async timer's).</summary>
    private static TimeSpan TimeLeft(Connections.Deadline deadline, string name)
    {
        TimeSpan left = deadline.TimeLeft;
        return left > TimeSpan.Zero ? left : throw new TimeoutException("No time was left to query '" + name + "'.");
    }

    internal async Task<SrvResolution> ResolveHostCore(string srvHost, string serviceName, int srvMaxHosts, TimeSpan timeout,
        bool lookupTxt, bool async, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(srvHost);
        string host = srvHost.ToLowerInvariant();
        string srvName = $"_{serviceName}._tcp.{host}";
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bool bounded = timeout > TimeSpan.Zero && timeout != System.Threading.Timeout.InfiniteTimeSpan;
        if (bounded)
        {
            cts.CancelAfter(timeout);
        }

        IReadOnlyList<DnsSrvRecord> records;
        IReadOnlyList<DnsTxtRecord> txt = [];
        try
        {
            if (async)
            {
                // TXT may be queried in parallel with SRV (spec); both must finish before any connection.
                var srvTask = _dns.ResolveSrvAsync(srvName, cts.Token);
                var txtTask = lookupTxt ? _dns.ResolveTxtAsync(host, cts.Token) : Task.FromResult<IReadOnlyList<DnsTxtRecord>>([]);
                records = await srvTask.ConfigureAwait(false);
                txt = await txtTask.ConfigureAwait(false);
            }
            else if (bounded && _dns is IBoundedDnsResolver boundedDns)
            {
                // A sync lookup cannot be cancelled by the timer above: give the resolver the time left instead.
                var deadline = Connections.Deadline.After(timeout);
                records = boundedDns.ResolveSrv(srvName, TimeLeft(deadline, srvName), cts.Token);
                if (lookupTxt)
                {
                    txt = boundedDns.ResolveTxt(host, TimeLeft(deadline, host), cts.Token);
                }
            }
            else
            {
                records = _dns.ResolveSrv(srvName, cts.Token);
                if (lookupTxt)
                {
                    txt = _dns.ResolveTxt(host, cts.Token);
                }
            }
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new MongoConnectionException($"The DNS lookup for the mongodb+srv host '{host}' timed out after {timeout} (connectTimeoutMS).", ex);
        }
        catch (TimeoutException ex)
        {
            throw new MongoConnectionException($"The DNS lookup for the mongodb+srv host '{host}' timed out: {ex.Message}", ex);
        }
        catch (Exception ex) when (ex is not OperationCanceledException and not MongoException)
        {
            throw new MongoConnectionException($"The DNS lookup for the mongodb+srv host '{host}' failed: {ex.Message}", ex);
        }

        if (records.Count == 0)
        {
            throw new MongoConfigurationException(
                $"The mongodb+srv host '{host}' could not be used to find hosts: DNS has no SRV records for '{srvName}' (the name does not exist or has no SRV records).");
        }

        var hosts = new List<MongoServerAddress>(records.Count);
        var minTtl = TimeSpan.MaxValue;
        foreach (var record in records)
        {
            if (!SrvHostRules.IsValidTarget(host, record.Target))
            {
                throw new MongoConfigurationException(
                    $"The SRV record of '{host}' points to '{record.Target.TrimEnd('.')}', which is not under the domain of '{host}'; refusing to connect.");
            }

            var address = new MongoServerAddress(SrvHostRules.NormalizeTarget(record.Target), record.Port);
            if (!hosts.Contains(address))
            {
                hosts.Add(address);
            }

            minTtl = record.TimeToLive < minTtl ? record.TimeToLive : minTtl;
        }

        if (txt.Count > 1)
        {
            throw new MongoConfigurationException($"The mongodb+srv host '{host}' has {txt.Count} TXT records; at most one is allowed.");
        }

        var txtOptions = txt.Count == 1 ? SrvHostRules.ParseTxtOptions(host, string.Concat(txt[0].Strings)) : [];
        var seeds = SrvHostRules.SelectRandom(hosts, srvMaxHosts, _random);
        var interval = minTtl < MinimumRescanInterval ? MinimumRescanInterval : minTtl;
        return new SrvResolution(seeds, hosts, txtOptions, interval);
    }
}
