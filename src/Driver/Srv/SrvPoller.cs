using Microsoft.Extensions.Logging;
using Mongo.Driver.Util;

namespace Mongo.Driver.Srv;

/// <summary>What SRV polling updates: the topology's host list. Topology code implements it.</summary>
internal interface ISrvPollingTarget
{
    /// <summary>
    /// Whether polling applies now: only for topology types Sharded and Unknown (never Single, replica set or
    /// LoadBalanced; polling spec).
    /// </summary>
    bool IsPollingAllowed { get; }

    /// <summary>The hosts currently in the topology.</summary>
    IReadOnlyList<MongoServerAddress> CurrentHosts { get; }

    /// <summary>Replaces the host list: hosts not listed are removed, new ones added as Unknown, the rest left alone.</summary>
    void UpdateHosts(IReadOnlyList<MongoServerAddress> hosts);
}

/// <summary>
/// Periodic SRV rescanning for mongos discovery (polling-srv-records-for-mongos-discovery spec). It waits
/// rescanSRVIntervalMS (the lowest TTL of the last answer, at least 60 s; heartbeatFrequencyMS after a failed scan)
/// from the end of the previous scan, then looks the SRV records up again. Invalid hosts are skipped and logged;
/// failures, timeouts and empty answers change nothing and never raise. Time comes from a <see cref="TimeProvider"/>
/// so tests can drive it.
/// </summary>
internal sealed class SrvPoller : IDisposable
{
    private readonly IDnsResolver _dns;
    private readonly string _srvHost;
    private readonly string _srvName;
    private readonly int _srvMaxHosts;
    private readonly TimeSpan _heartbeatFrequency;
    private readonly TimeSpan _lookupTimeout;
    private readonly ISrvPollingTarget _target;
    private readonly TimeProvider _time;
    private readonly Random _random;
    private readonly ILogger? _logger;
    private readonly CancellationTokenSource _stop = new();
    private Task? _loop;

    public SrvPoller(IDnsResolver dns, string srvHost, string serviceName, int srvMaxHosts, TimeSpan heartbeatFrequency,
        TimeSpan initialInterval, ISrvPollingTarget target, TimeProvider? timeProvider = null, Random? random = null,
        ILogger? logger = null, TimeSpan? lookupTimeout = null)
    {
        _dns = dns;
        _srvHost = srvHost.ToLowerInvariant();
        _srvName = $"_{serviceName}._tcp.{_srvHost}";
        _srvMaxHosts = srvMaxHosts;
        _heartbeatFrequency = heartbeatFrequency;
        _target = target;
        _time = timeProvider ?? TimeProvider.System;
        _random = random ?? Random.Shared;
        _logger = logger;
        _lookupTimeout = lookupTimeout ?? TimeSpan.FromSeconds(10);
        RescanInterval = initialInterval < SrvResolver.MinimumRescanInterval ? SrvResolver.MinimumRescanInterval : initialInterval;
    }

    /// <summary>The current rescanSRVIntervalMS.</summary>
    public TimeSpan RescanInterval { get; private set; }

    /// <summary>How many scans ran (for diagnostics and tests).</summary>
    public int ScanCount { get; private set; }

    /// <summary>Starts the background loop (idempotent).</summary>
    public void Start() => _loop ??= Task.Run(() => RunAsync(_stop.Token));

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                await Task.Delay(RescanInterval, _time, cancellationToken).ConfigureAwait(false);
                if (_target.IsPollingAllowed)
                {
                    await ScanOnceAsync(cancellationToken).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>One rescan; returns whether the topology's hosts were changed. Never throws except on cancellation.</summary>
    public async Task<bool> ScanOnceAsync(CancellationToken cancellationToken = default)
    {
        ScanCount++;
        IReadOnlyList<DnsSrvRecord> records;
        using (var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
        {
            cts.CancelAfter(_lookupTimeout);
            try
            {
                records = await _dns.ResolveSrvAsync(_srvName, cts.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
            {
                return Failed(ex is OperationCanceledException ? "the lookup timed out" : ex.Message);
            }
        }

        var valid = new List<MongoServerAddress>(records.Count);
        var minTtl = TimeSpan.MaxValue;
        foreach (var record in records)
        {
            if (!SrvHostRules.IsValidTarget(_srvHost, record.Target))
            {
                Log($"ignoring '{record.Target}', which is not under the domain of '{_srvHost}'");
                continue;
            }

            var address = new MongoServerAddress(SrvHostRules.NormalizeTarget(record.Target), record.Port);
            if (!valid.Contains(address))
            {
                valid.Add(address);
            }

            minTtl = record.TimeToLive < minTtl ? record.TimeToLive : minTtl;
        }

        if (valid.Count == 0)
        {
            return Failed(records.Count == 0 ? $"no SRV records for '{_srvName}'" : "no valid hosts in the SRV records");
        }

        RescanInterval = minTtl < SrvResolver.MinimumRescanInterval ? SrvResolver.MinimumRescanInterval : minTtl;
        var current = _target.CurrentHosts;
        var next = Merge(current, valid, _srvMaxHosts, _random);
        if (_logger is not null)
        {
            ConfigurationLog.SrvPollingResult(_logger, _srvHost, valid.Count, RescanInterval);
        }

        if (next.Count == current.Count && next.All(current.Contains))
        {
            return false;
        }

        _target.UpdateHosts(next);
        return true;
    }

    private bool Failed(string reason)
    {
        // Until a verified record arrives, poll at the heartbeat frequency (polling spec).
        RescanInterval = _heartbeatFrequency;
        Log(reason);
        return false;
    }

    private void Log(string reason)
    {
        if (_logger is not null)
        {
            ConfigurationLog.SrvPollingProblem(_logger, _srvHost, reason);
        }
    }

    /// <summary>
    /// The new host list: hosts no longer listed are dropped, unchanged ones kept in place, and new ones added —
    /// all of them, or with <paramref name="srvMaxHosts"/> a random selection until the list has that many.
    /// </summary>
    public static List<MongoServerAddress> Merge(IReadOnlyList<MongoServerAddress> current, IReadOnlyList<MongoServerAddress> valid,
        int srvMaxHosts, Random random)
    {
        var result = current.Where(valid.Contains).ToList();
        var candidates = valid.Where(v => !result.Contains(v)).ToList();
        if (srvMaxHosts <= 0 || srvMaxHosts >= valid.Count)
        {
            result.AddRange(candidates);
        }
        else if (srvMaxHosts > result.Count)
        {
            result.AddRange(SrvHostRules.SelectRandom(candidates, srvMaxHosts - result.Count, random));
        }

        return result;
    }

    /// <summary>Stops the loop.</summary>
    public void Dispose()
    {
        _stop.Cancel();
        _stop.Dispose();
    }
}
