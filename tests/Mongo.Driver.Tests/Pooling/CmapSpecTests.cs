using System.Collections.Concurrent;
using System.Text.Json;
using Mongo.Bson;
using Mongo.Driver.Connections;
using Mongo.Driver.Diagnostics;
using Mongo.Driver.Events;
using Mongo.Driver.Pooling;
using Mongo.Driver.Tests.Connections;
using Mongo.InMemory;
using Mongo.Testing;
using Mongo.Testing.Monitoring;
using Xunit;

namespace Mongo.Driver.Tests.Pooling;

/// <summary>
/// Runs the CMAP spec's cmap-format tests: "unit" style against <see cref="FakeConnection"/>s, "integration" style
/// against Mongo.InMemory (real connections, failCommand fail points on the handshake). Events are observed through the
/// public <see cref="IEventSubscriber"/> API only.
/// </summary>
public sealed class CmapSpecTests
{
    private const string Folder = "connection-monitoring-and-pooling/tests/cmap-format";

    /// <summary>Every test we deliberately do not run, with the reason (empty today).</summary>
    private static readonly Dictionary<string, string> Skipped = new(StringComparer.Ordinal);

    public static TheoryData<string> Files()
    {
        var data = new TheoryData<string>();
        IReadOnlyList<string> files = SpecData.Files(Folder);
        if (files.Count == 0)
        {
            data.Add("(spec data absent)");
        }

        foreach (string file in files)
        {
            data.Add(Path.GetFileName(file));
        }

        return data;
    }

    [SkippableTheory]
    [MemberData(nameof(Files))]
    public async Task Run(string file)
    {
        Skip.If(SpecData.Root is null, SpecData.MissingReason);
        Skip.If(Skipped.TryGetValue(file, out string? reason), reason);
        using JsonDocument json = JsonDocument.Parse(File.ReadAllText(Path.Combine(SpecData.Folder(Folder)!, file)));
        JsonElement test = json.RootElement;
        string style = test.GetProperty("style").GetString()!;
        Assert.True(style is "unit" or "integration", "unknown style " + style);

        InMemoryMongoServer? server = null;
        try
        {
            if (style == "integration")
            {
                server = await InMemoryMongoServer.StartAsync();
                if (test.TryGetProperty("failPoint", out JsonElement failPoint))
                {
                    await ConfigureFailPointAsync(server, failPoint);
                }
            }

            await new Runner(test, server).RunAsync();
        }
        finally
        {
            if (server is not null)
            {
                await server.DisposeAsync();
            }
        }
    }

    private static async Task ConfigureFailPointAsync(InMemoryMongoServer server, JsonElement failPoint)
    {
        using Connection admin = await CoreTestHelpers.OpenAsync(server, true);
        BsonDocument command = BsonDocument.Parse(failPoint.GetRawText());
        await CoreTestHelpers.RunAsync(admin, true, "admin", command);
    }

    private sealed class Runner
    {
        private readonly JsonElement _test;
        private readonly InMemoryMongoServer? _server;
        private readonly EventRecorder _events = new(type => type.Name.StartsWith("Connection", StringComparison.Ordinal));
        private readonly Dictionary<string, IConnection> _connections = new(StringComparer.Ordinal);
        private readonly Dictionary<string, Worker> _threads = new(StringComparer.Ordinal);
        private readonly ConcurrentQueue<Exception> _errors = new();
        private ConnectionPool? _pool;

        public Runner(JsonElement test, InMemoryMongoServer? server)
        {
            _test = test;
            _server = server;
        }

        public async Task RunAsync()
        {
            PoolSettings settings = ReadOptions(_test.TryGetProperty("poolOptions", out JsonElement options) ? options : default, out string? appName);
            MongoServerAddress address = _server is null ? new MongoServerAddress("fake.example", 27017) : CoreTestHelpers.Address(_server);
            var connectionSettings = new ConnectionSettings { ApplicationName = appName, ConnectTimeout = TimeSpan.FromSeconds(10) };
            Func<long, int, IConnection> factory = _server is null
                ? (id, generation) => new FakeConnection(id, generation)
                : (id, generation) => new Connection(id, address, generation, connectionSettings);
            _pool = new ConnectionPool(address, settings, factory, new EventPublisher([_events], null, EventPublisher.DefaultMaxDocumentLength));

            // As SDAM would: a failed establishment clears the pool.
            _pool.ConnectionErrorHandler = (error, _) => _pool.Clear(reason: error);
            try
            {
                foreach (JsonElement operation in _test.GetProperty("operations").EnumerateArray())
                {
                    if (operation.TryGetProperty("thread", out JsonElement thread))
                    {
                        _threads[thread.GetString()!].Enqueue(() => ExecuteAsync(operation));
                    }
                    else
                    {
                        await ExecuteAsync(operation);
                    }
                }

                foreach (Worker worker in _threads.Values)
                {
                    await worker.DrainAsync(TimeSpan.FromSeconds(10));
                }
            }
            finally
            {
                _pool.Dispose();
            }

            CheckError();
            CheckEvents();
        }

        private async Task ExecuteAsync(JsonElement operation)
        {
            string name = operation.GetProperty("name").GetString()!;
            switch (name)
            {
                case "start":
                    _threads[operation.GetProperty("target").GetString()!] = new Worker(_errors);
                    break;
                case "wait":
                    await Task.Delay(operation.GetProperty("ms").GetInt32());
                    break;
                case "waitForThread":
                    await _threads[operation.GetProperty("target").GetString()!].DrainAsync(TimeSpan.FromSeconds(10));
                    break;
                case "waitForEvent":
                    await WaitForEventAsync(operation);
                    break;
                case "checkOut":
                    try
                    {
                        IConnection connection = await _pool!.CheckOutAsync(true, Deadline.Infinite, CancellationToken.None);
                        if (operation.TryGetProperty("label", out JsonElement label))
                        {
                            lock (_connections)
                            {
                                _connections[label.GetString()!] = connection;
                            }
                        }
                    }
                    catch (MongoException ex)
                    {
                        _errors.Enqueue(ex);
                    }

                    break;
                case "checkIn":
                    IConnection toReturn;
                    lock (_connections)
                    {
                        toReturn = _connections[operation.GetProperty("connection").GetString()!];
                    }

                    _pool!.CheckIn(toReturn);
                    break;
                case "clear":
                    bool interrupt = operation.TryGetProperty("interruptInUseConnections", out JsonElement i) && i.GetBoolean();
                    _pool!.Clear(interrupt);
                    break;
                case "close":
                    _pool!.Dispose();
                    break;
                case "ready":
                    _pool!.Ready();
                    break;
                default:
                    throw new InvalidOperationException("Unknown CMAP operation '" + name + "'.");
            }
        }

        private async Task WaitForEventAsync(JsonElement operation)
        {
            string type = EventType(operation.GetProperty("event").GetString()!);
            int count = operation.GetProperty("count").GetInt32();
            int timeout = operation.TryGetProperty("timeout", out JsonElement t) ? t.GetInt32() : 10_000;
            DateTime until = DateTime.UtcNow.AddMilliseconds(timeout);
            while (true)
            {
                int seen = _events.Count(e => EventRecorder.SpecName(e) == type);

                if (seen >= count)
                {
                    return;
                }

                Assert.True(DateTime.UtcNow < until, "Timed out waiting for " + count + " " + type + " events (saw " + seen + ").");
                await Task.Delay(5);
            }
        }

        private void CheckError()
        {
            if (!_test.TryGetProperty("error", out JsonElement expected))
            {
                // Checkouts from a paused/cleared pool fail by design (the events say so); anything else is a bug.
                Exception? unexpected = _errors.FirstOrDefault(e => e is not MongoPoolClearedException);
                Assert.True(unexpected is null, "Unexpected error: " + unexpected);
                return;
            }

            Assert.True(_errors.TryPeek(out Exception? actual), "Expected a " + expected.GetProperty("type").GetString() + " but no operation failed.");
            switch (expected.GetProperty("type").GetString())
            {
                case "WaitQueueTimeoutError":
                    Assert.IsType<MongoTimeoutException>(actual);
                    break;
                case "PoolClosedError":
                    Assert.IsType<MongoClientException>(actual);
                    Assert.Contains("closed", actual!.Message, StringComparison.Ordinal);
                    break;
                case "PoolClearedError":
                    Assert.IsType<MongoPoolClearedException>(actual);
                    break;
                default:
                    throw new InvalidOperationException("Unknown error type " + expected.GetProperty("type").GetString());
            }
        }

        private void CheckEvents()
        {
            var ignore = new HashSet<string>(StringComparer.Ordinal);
            if (_test.TryGetProperty("ignore", out JsonElement ignored))
            {
                foreach (JsonElement name in ignored.EnumerateArray())
                {
                    ignore.Add(EventType(name.GetString()!));
                }
            }

            List<Seen> actual = _events.Events.Select(Seen.From).Where(e => !ignore.Contains(e.Type)).ToList();

            JsonElement[] expected = [.. _test.GetProperty("events").EnumerateArray()];
            string Describe() => string.Join("\n", actual.Select(e => $"{e.Type} id={e.ConnectionId} reason={e.Reason}"));
            Assert.True(actual.Count >= expected.Length, "Expected " + expected.Length + " events, got:\n" + Describe());
            for (int i = 0; i < expected.Length; i++)
            {
                JsonElement e = expected[i];
                Seen a = actual[i];
                Assert.True(EventType(e.GetProperty("type").GetString()!) == a.Type, $"event {i}: expected {e.GetProperty("type")} got:\n{Describe()}");
                if (e.TryGetProperty("connectionId", out JsonElement id) && id.GetInt64() != 42)
                {
                    Assert.True(id.GetInt64() == a.ConnectionId, $"event {i} ({a.Type}): expected connection id {id} but was {a.ConnectionId}");
                }

                if (e.TryGetProperty("reason", out JsonElement reason))
                {
                    Assert.Equal(reason.GetString(), a.Reason);
                }

                if (e.TryGetProperty("interruptInUseConnections", out JsonElement interrupt))
                {
                    Assert.Equal(interrupt.GetBoolean(), a.InterruptInUseConnections);
                }

                if (e.TryGetProperty("options", out JsonElement options) && options.ValueKind == JsonValueKind.Object)
                {
                    ConnectionPoolOptions s = a.Options!.Value;
                    foreach (JsonProperty option in options.EnumerateObject())
                    {
                        int value = option.Value.GetInt32();
                        switch (option.Name)
                        {
                            case "maxPoolSize": Assert.Equal(value, s.MaxPoolSize); break;
                            case "minPoolSize": Assert.Equal(value, s.MinPoolSize); break;
                            case "maxIdleTimeMS": Assert.Equal(value, (int)s.MaxIdleTime.TotalMilliseconds); break;
                            case "waitQueueTimeoutMS": Assert.Equal(value, (int)s.WaitQueueTimeout.TotalMilliseconds); break;
                            default: throw new InvalidOperationException("Unknown pool option in expected event: " + option.Name);
                        }
                    }
                }
            }
        }

        private static PoolSettings ReadOptions(JsonElement options, out string? appName)
        {
            appName = null;
            int maxPoolSize = 100, minPoolSize = 0, maxConnecting = 2;
            TimeSpan waitQueueTimeout = Timeout.InfiniteTimeSpan, maxIdle = Timeout.InfiniteTimeSpan, interval = TimeSpan.FromMilliseconds(100);
            if (options.ValueKind == JsonValueKind.Object)
            {
                foreach (JsonProperty option in options.EnumerateObject())
                {
                    switch (option.Name)
                    {
                        case "maxPoolSize": maxPoolSize = option.Value.GetInt32(); break;
                        case "minPoolSize": minPoolSize = option.Value.GetInt32(); break;
                        case "maxConnecting": maxConnecting = option.Value.GetInt32(); break;
                        case "waitQueueTimeoutMS": waitQueueTimeout = TimeSpan.FromMilliseconds(option.Value.GetInt32()); break;
                        case "maxIdleTimeMS": maxIdle = TimeSpan.FromMilliseconds(option.Value.GetInt32()); break;
                        case "backgroundThreadIntervalMS":
                            int ms = option.Value.GetInt32();
                            interval = ms < 0 ? Timeout.InfiniteTimeSpan : TimeSpan.FromMilliseconds(ms);
                            break;
                        case "appName": appName = option.Value.GetString(); break;
                        default: throw new InvalidOperationException("Unknown pool option " + option.Name);
                    }
                }
            }

            return new PoolSettings
            {
                MaxPoolSize = maxPoolSize,
                MinPoolSize = minPoolSize,
                MaxConnecting = maxConnecting,
                WaitQueueTimeout = waitQueueTimeout,
                MaxIdleTime = maxIdle,
                MaintenanceInterval = interval,
            };
        }

        /// <summary>Validates a spec event name (unknown names fail loudly) and returns it.</summary>
        private static string EventType(string name) => name switch
        {
            "ConnectionPoolCreated" or "ConnectionPoolReady" or "ConnectionPoolCleared" or "ConnectionPoolClosed" or "ConnectionCreated" or "ConnectionReady"
                or "ConnectionClosed" or "ConnectionCheckOutStarted" or "ConnectionCheckOutFailed" or "ConnectionCheckedOut" or "ConnectionCheckedIn" => name,
            _ => throw new InvalidOperationException("Unknown CMAP event " + name),
        };
    }

    /// <summary>A public CMAP event reduced to the fields the spec tests compare.</summary>
    private sealed record Seen(string Type, long ConnectionId, string? Reason, bool InterruptInUseConnections, ConnectionPoolOptions? Options)
    {
        public static Seen From(object e) => e switch
        {
            ConnectionPoolCreatedEvent c => new(EventRecorder.SpecName(e), 0, null, false, c.Options),
            ConnectionPoolClearedEvent c => new(EventRecorder.SpecName(e), 0, null, c.InterruptInUseConnections, null),
            ConnectionCreatedEvent c => new(EventRecorder.SpecName(e), c.ConnectionId, null, false, null),
            ConnectionReadyEvent c => new(EventRecorder.SpecName(e), c.ConnectionId, null, false, null),
            ConnectionClosedEvent c => new(EventRecorder.SpecName(e), c.ConnectionId, EventRecorder.SpecReason(c.Reason), false, null),
            ConnectionCheckOutFailedEvent c => new(EventRecorder.SpecName(e), 0, EventRecorder.SpecReason(c.Reason), false, null),
            ConnectionCheckedOutEvent c => new(EventRecorder.SpecName(e), c.ConnectionId, null, false, null),
            ConnectionCheckedInEvent c => new(EventRecorder.SpecName(e), c.ConnectionId, null, false, null),
            _ => new(EventRecorder.SpecName(e), 0, null, false, null),
        };
    }

    /// <summary>A spec "thread": runs its operations in order on its own task.</summary>
    private sealed class Worker
    {
        private readonly ConcurrentQueue<Exception> _errors;
        private Task _tail = Task.CompletedTask;

        public Worker(ConcurrentQueue<Exception> errors) => _errors = errors;

        public void Enqueue(Func<Task> operation)
        {
            _tail = _tail.ContinueWith(async _ =>
            {
                try
                {
                    await operation();
                }
                catch (Exception ex)
                {
                    _errors.Enqueue(ex);
                }
            }, TaskScheduler.Default).Unwrap();
        }

        public async Task DrainAsync(TimeSpan timeout) => await _tail.WaitAsync(timeout);
    }
}
