using Microsoft.Extensions.Logging;
using Mongo.Driver.Srv;

namespace Mongo.Driver.Topology;

/// <summary>
/// mongodb+srv seed discovery (initial-dns-seedlist-discovery spec) as part of starting the topology: the client's
/// constructor does no DNS. The SRV and TXT lookups run in the background (each attempt bounded by connectTimeoutMS);
/// operations wait for the seeds in server selection, bounded by serverSelectionTimeoutMS or timeoutMS like any wait
/// for a server. Records that cannot be used (none, a target outside the domain, a bad TXT record) fail every
/// selection at once with a <see cref="MongoConfigurationException"/>; a DNS failure or timeout is retried every
/// heartbeat and shows in the selection timeout's message. Once the seeds are in, SRV polling starts.
/// </summary>
internal sealed partial class Cluster
{
    private readonly CancellationTokenSource _srvStop = new();
    private Exception? _srvFailure;
    private SrvPoller? _srvPoller;

    /// <summary>The last SRV resolution failure while the seeds are still missing (a configuration error is final).</summary>
    internal Exception? SrvFailure => Volatile.Read(ref _srvFailure);

    /// <summary>The SRV poller once the seeds are in (null for a listed seed list or a load-balanced topology).</summary>
    internal SrvPoller? SrvPoller => Volatile.Read(ref _srvPoller);

    private void StartSrvResolution(MongoClientSettings source)
    {
        CancellationToken stop = _srvStop.Token;
        _ = Task.Run(() => ResolveSeedsAsync(source, stop), CancellationToken.None);
    }

    private async Task ResolveSeedsAsync(MongoClientSettings source, CancellationToken stop)
    {
        var resolver = new SrvResolver(Settings.DnsResolver);
        while (!stop.IsCancellationRequested)
        {
            MongoClientSettings resolved;
            try
            {
                resolved = await resolver.ResolveAsync(source, stop).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                // In the background, possibly with no operation waiting: the log is where it shows first.
                if (source.LoggerFactory?.CreateLogger(Util.ConfigurationLog.Category) is { } logger)
                {
                    Util.ConfigurationLog.SrvResolutionFailed(logger, source.Servers[0].Host, ex.Message);
                }

                ReportSrvFailure(ex);
                if (ex is MongoConfigurationException)
                {
                    return;
                }

                try
                {
                    await Task.Delay(Settings.HeartbeatFrequency, stop).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                continue;
            }

            ClusterSettings current = Settings;
            ClusterSettings next = ClusterSettings.From(resolved, current.Events);
            next.StartMonitors = current.StartMonitors;
            Volatile.Write(ref _srvFailure, null);
            Seed(next);
            StartSrvPolling(source, resolved, current.DnsResolver);
            return;
        }
    }

    /// <summary>Records a failed attempt and wakes server selection so that it can fail fast or report it.</summary>
    private void ReportSrvFailure(Exception error)
    {
        TaskCompletionSource changed;
        lock (_lock)
        {
            if (_disposed)
            {
                return;
            }

            Volatile.Write(ref _srvFailure, error);
            changed = _changed;
            _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        changed.TrySetResult();
    }

    /// <summary>
    /// Not load-balanced (after the TXT record): rescan the SRV records so that mongos added or removed in DNS join or
    /// leave the topology; the poller itself only acts while the topology is Unknown or Sharded.
    /// </summary>
    private void StartSrvPolling(MongoClientSettings source, MongoClientSettings resolved, IDnsResolver? dns)
    {
        if (resolved.LoadBalanced)
        {
            return;
        }

        // Each rescan is bounded by connectTimeoutMS like the initial lookup (an infinite connect timeout keeps the poller's default).
        TimeSpan connect = source.ConnectTimeout;
        TimeSpan? lookupTimeout = connect > TimeSpan.Zero && connect != Timeout.InfiniteTimeSpan ? connect : null;
        var poller = new SrvPoller(dns ?? new DnsClientResolver(), source.Servers[0].Host, source.SrvServiceName, source.SrvMaxHosts,
            source.HeartbeatFrequency, SrvResolver.MinimumRescanInterval, this,
            logger: source.LoggerFactory?.CreateLogger(Util.ConfigurationLog.Category), lookupTimeout: lookupTimeout);
        lock (_lock)
        {
            if (_disposed)
            {
                poller.Dispose();
                return;
            }

            Volatile.Write(ref _srvPoller, poller);
            poller.Start(); // under the lock, so that a concurrent dispose cannot stop it before it starts
        }
    }

    /// <summary>On dispose: stops a resolution in progress and the poller.</summary>
    private void StopSrv()
    {
        _srvStop.Cancel();
        _srvStop.Dispose();
        Volatile.Read(ref _srvPoller)?.Dispose();
    }
}
