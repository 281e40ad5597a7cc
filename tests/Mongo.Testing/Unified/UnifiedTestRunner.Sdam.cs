using System.Diagnostics;
using Mongo.Bson;
using Mongo.Driver;
using Mongo.Driver.Events;

namespace Mongo.Testing.Unified;

/// <summary>
/// What the SDAM unified tests need beyond CRUD: thread entities (runOnThread/waitForThread), topology description
/// entities (recordTopologyDescription, assertTopologyType, waitForPrimaryChange), wait, closing a client, and the
/// checks that make the runner fail on test or client fields it does not understand instead of ignoring them.
/// </summary>
public sealed partial class UnifiedTestRunner
{
    /// <summary>How long waitForThread and waitForPrimaryChange wait by default (the format suggests 10 seconds).</summary>
    private static readonly TimeSpan s_waitForThreadTimeout = TimeSpan.FromSeconds(10);

    private static readonly HashSet<string> s_testKeys = new(StringComparer.Ordinal)
    {
        "description", "runOnRequirements", "skipReason", "operations", "expectEvents", "expectLogMessages", "expectTracingMessages", "outcome",
    };

    private static readonly HashSet<string> s_clientKeys = new(StringComparer.Ordinal)
    {
        "id", "uriOptions", "useMultipleMongoses", "observeEvents", "ignoreCommandMonitoringEvents", "observeSensitiveCommands", "observeLogMessages",
        "awaitMinPoolSizeMS", "observeTracingMessages",
    };

    /// <summary>Client entity fields this runner knowingly does not support, with the reason (the test is skipped).</summary>
    private static readonly Dictionary<string, string> s_unsupportedClientKeys = new(StringComparer.Ordinal)
    {
        ["serverApi"] = "client serverApi options are not supported by this runner",
        ["autoEncryptOpts"] = "client-side field level encryption is not implemented",
        ["storeEventsAsEntities"] = "storeEventsAsEntities is not supported by this runner",
    };

    /// <summary>Whether the running test configures fail points (the format then lets the runner lower heartbeatFrequencyMS).</summary>
    private bool _usesFailPoints;

    /// <summary>The deployment's unified-format topology (single, replicaset, sharded, load-balanced).</summary>
    private string? _topology;

    /// <summary>
    /// useMultipleMongoses: true on a sharded cluster must connect to several mongos hosts (the format says to assert it);
    /// a deployment with one router cannot, so the test is skipped rather than run against one.
    /// </summary>
    private void CheckMultipleMongoses(BsonDocument spec)
    {
        if (_topology == "sharded" && spec.GetValueOrDefault("useMultipleMongoses")?.ToBoolean() == true
            && MongoClientSettings.FromConnectionString(_connectionString).Servers.Count < 2)
        {
            throw new UnifiedSkipException("useMultipleMongoses: the deployment has a single mongos");
        }
    }

    /// <summary>
    /// The unified format: without useMultipleMongoses: true, a client of a sharded cluster uses a single mongos (the
    /// first host of the connection string), so fail points and pinning meet the router the test set them on.
    /// </summary>
    private string SingleMongosUnlessAsked(BsonDocument spec, string connectionString)
    {
        if (_topology != "sharded" || spec.GetValueOrDefault("useMultipleMongoses")?.ToBoolean() == true)
        {
            return connectionString;
        }

        const string Scheme = "mongodb://";
        if (!connectionString.StartsWith(Scheme, StringComparison.Ordinal))
        {
            return connectionString; // mongodb+srv: resolved by the driver; left as is
        }

        int hostsStart = Scheme.Length;
        int end = connectionString.IndexOfAny(['/', '?'], hostsStart);
        end = end < 0 ? connectionString.Length : end;
        int at = connectionString.LastIndexOf('@', end - 1, end - hostsStart);
        if (at >= 0)
        {
            hostsStart = at + 1; // user:password@ stays as it is
        }

        int comma = connectionString.IndexOf(',', hostsStart, end - hostsStart);
        return comma < 0 ? connectionString : connectionString[..comma] + connectionString[end..];
    }

    /// <summary>
    /// The unified format's cleanup before a test: killAllSessions on the primary of a replica set, or on each mongos of a
    /// sharded cluster, so that a transaction an earlier test left open (every abort of it failed on purpose, or its router
    /// was unreachable) holds nothing the next test must wait for (otherwise until transactionLifetimeLimitSeconds, 60 s,
    /// reaps it). Interrupted (11601) is the server saying it killed this very command's session.
    /// </summary>
    private async Task KillAllSessionsAsync()
    {
        if (_topology == "replicaset")
        {
            try
            {
                await RunAdminCommandAsync(_admin, new BsonDocument("killAllSessions", new BsonArray()), server: null);
            }
            catch (MongoServerException ex) when (ex.Code == 11601)
            {
                // Interrupted: expected.
            }

            return;
        }

        if (_topology != "sharded")
        {
            return;
        }

        foreach (var router in MongoClientSettings.FromConnectionString(_connectionString).Servers)
        {
            try
            {
                await RunAdminCommandAsync(_admin, new BsonDocument("killAllSessions", new BsonArray()), router);
            }
            catch (MongoServerException ex) when (ex.Code == 11601)
            {
                // Interrupted: expected.
            }
        }
    }

    private static void CheckTestKeys(BsonDocument test)
    {
        foreach (var key in test.Names)
        {
            if (!s_testKeys.Contains(key))
            {
                throw new UnifiedAssertionException("Unsupported test field " + key);
            }
        }
    }

    private static void CheckClientKeys(BsonDocument spec)
    {
        foreach (var key in spec.Names)
        {
            if (s_unsupportedClientKeys.TryGetValue(key, out var reason))
            {
                throw new UnifiedSkipException(reason);
            }

            if (!s_clientKeys.Contains(key))
            {
                throw new UnifiedAssertionException("Unsupported client entity field " + key);
            }
        }
    }

    private static bool UsesFailPoints(BsonArray operations) => operations.Any(o =>
        o.AsDocument["name"].AsString is "failPoint" or "targetedFailPoint"
        || (o.AsDocument.GetValueOrDefault("arguments") is BsonDocument { } arguments && arguments.GetValueOrDefault("operation") is BsonDocument nested && UsesFailPoints([nested])));

    /// <summary>The SDAM-related testRunner operations; null when <paramref name="name"/> is not one of them.</summary>
    private async Task<bool> TryRunSdamOperationAsync(string name, BsonDocument arguments)
    {
        switch (name)
        {
            case "wait":
                await Task.Delay(TimeSpan.FromMilliseconds(arguments["ms"].ToInt64()));
                return true;
            case "runOnThread":
                RunOnThread((ThreadEntity)_entities[arguments["thread"].AsString], arguments["operation"].AsDocument);
                return true;
            case "waitForThread":
                await WaitForThreadAsync((ThreadEntity)_entities[arguments["thread"].AsString]);
                return true;
            case "recordTopologyDescription":
                _entities[arguments["id"].AsString] = _clients[arguments["client"].AsString].Recorder.Topology
                    ?? throw new UnifiedAssertionException("recordTopologyDescription: the client has published no topology description");
                return true;
            case "assertTopologyType":
                var description = (MongoTopologyDescription)_entities[arguments["topologyDescription"].AsString];
                if (description.Type.ToString() != arguments["topologyType"].AsString)
                {
                    throw new UnifiedAssertionException($"assertTopologyType: expected {arguments["topologyType"]}, got {description.Type} ({description})");
                }

                return true;
            case "waitForPrimaryChange":
                await WaitForPrimaryChangeAsync(
                    _clients[arguments["client"].AsString],
                    (MongoTopologyDescription)_entities[arguments["priorTopologyDescription"].AsString],
                    arguments.GetValueOrDefault("timeoutMS") is { } ms ? TimeSpan.FromMilliseconds(ms.ToInt64()) : s_waitForThreadTimeout);
                return true;
            default:
                return false;
        }
    }

    /// <summary>Queues an operation on a thread entity; it runs after the thread's earlier operations, concurrently with the test.</summary>
    private void RunOnThread(ThreadEntity thread, BsonDocument operation)
    {
        var previous = thread.Tail;
        thread.Tail = Task.Run(async () =>
        {
            await previous;
            try
            {
                await RunOperationAsync(operation);
            }
            catch (Exception ex)
            {
                thread.Errors.Enqueue(ex);
            }
        });
    }

    /// <summary>Waits for a thread's queued operations; fails with the first error one of them raised.</summary>
    private static async Task WaitForThreadAsync(ThreadEntity thread)
    {
        try
        {
            await thread.Tail.WaitAsync(s_waitForThreadTimeout + s_waitForThreadTimeout);
        }
        catch (TimeoutException)
        {
            throw new UnifiedAssertionException($"waitForThread: thread {thread.Id} still busy after {(s_waitForThreadTimeout + s_waitForThreadTimeout).TotalSeconds} s");
        }

        if (thread.Errors.TryDequeue(out var error))
        {
            if (error is UnifiedSkipException)
            {
                throw error;
            }

            throw new UnifiedAssertionException($"thread {thread.Id}: {error.GetType().Name}: {error.Message}");
        }
    }

    /// <summary>Lets threads still running finish (bounded) before the runner closes the clients they use.</summary>
    private async Task StopThreadsAsync()
    {
        foreach (var thread in _entities.Values.OfType<ThreadEntity>())
        {
            try
            {
                await thread.Tail.WaitAsync(s_waitForThreadTimeout);
            }
            catch (TimeoutException)
            {
                // Reported by waitForThread when the test asked; closing the client ends the operation.
            }
        }
    }

    /// <summary>Waits until the client knows a primary other than the one <paramref name="prior"/> knew (or one where it knew none).</summary>
    private static async Task WaitForPrimaryChangeAsync(ClientEntity client, MongoTopologyDescription prior, TimeSpan timeout)
    {
        var priorPrimary = Primary(prior);
        var waited = Stopwatch.StartNew();
        while (true)
        {
            var current = client.Recorder.Topology;
            if (current is not null && Primary(current) is { } primary && primary != priorPrimary)
            {
                return;
            }

            if (waited.Elapsed > timeout)
            {
                throw new UnifiedAssertionException($"waitForPrimaryChange: the primary is still {priorPrimary?.ToString() ?? "unknown"} after {timeout.TotalMilliseconds} ms ({current})");
            }

            await Task.Delay(10);
        }
    }

    private static MongoServerAddress? Primary(MongoTopologyDescription topology) =>
        topology.Servers.FirstOrDefault(s => s.Type == MongoServerType.RSPrimary)?.Address;

    /// <summary>A thread entity: operations queued by runOnThread run one after another, beside the test's own.</summary>
    private sealed class ThreadEntity(string id)
    {
        public string Id { get; } = id;

        public Task Tail { get; set; } = Task.CompletedTask;

        public System.Collections.Concurrent.ConcurrentQueue<Exception> Errors { get; } = new();
    }
}
