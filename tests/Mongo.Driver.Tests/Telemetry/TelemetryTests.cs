using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using Mongo.Bson;
using Mongo.Driver.Diagnostics;
using Mongo.InMemory;
using Xunit;

namespace Mongo.Driver.Tests.Telemetry;

/// <summary>
/// The driver's spans (ActivitySource "Mongo.Driver") and metrics (Meter "Mongo.Driver") as a tracing or metrics SDK
/// sees them. Listeners are process-wide, so every test filters what it saw by its own database or server.
/// </summary>
[Collection(TelemetryCollection.Name)]
public sealed class TelemetryTests
{
    private sealed class Spans : IDisposable
    {
        private readonly ActivityListener _listener;

        public Spans()
        {
            _listener = new ActivityListener
            {
                ShouldListenTo = source => source.Name == MongoTelemetry.ActivitySourceName,
                Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
                ActivityStopped = Stopped.Enqueue,
            };
            ActivitySource.AddActivityListener(_listener);
        }

        public ConcurrentQueue<Activity> Stopped { get; } = new();

        public List<Activity> In(string database) => Stopped.Where(a => (string?)a.GetTagItem("db.namespace") == database).ToList();

        public void Dispose() => _listener.Dispose();
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Each_operation_is_a_client_span_with_a_child_span_per_command_and_the_database_attributes(bool async)
    {
        await using InMemoryMongoServer server = await InMemoryMongoServer.StartAsync();
        using var spans = new Spans();
        string database = "telemetry_spans_" + async;
        await using (var client = new MongoClient(server.ConnectionString))
        {
            MongoCollection<BsonDocument> people = client.GetDatabase(database).GetCollection("people");
            BsonDocument[] documents = Enumerable.Range(0, 5).Select(i => new BsonDocument("_id", i)).ToArray();
            if (async)
            {
                await people.InsertManyAsync(documents);
                Assert.Equal(5, (await people.Find(FilterDefinition.Empty).BatchSize(2).ToListAsync()).Count);
            }
            else
            {
                people.InsertMany(documents);
                Assert.Equal(5, people.Find(FilterDefinition.Empty).BatchSize(2).ToList().Count);
            }
        }

        List<Activity> seen = spans.In(database);
        Activity insert = Assert.Single(seen, a => a.DisplayName == "insert " + database + ".people" && a.Parent?.Source.Name != MongoTelemetry.ActivitySourceName);
        Assert.Equal(ActivityKind.Client, insert.Kind);
        Assert.Equal("mongodb", insert.GetTagItem("db.system.name"));
        Assert.Equal("people", insert.GetTagItem("db.collection.name"));
        Assert.Equal("insert", insert.GetTagItem("db.operation.name"));
        Assert.Equal(5, insert.GetTagItem("db.operation.batch.size"));
        Assert.Equal("127.0.0.1", insert.GetTagItem("server.address"));
        Assert.Equal((long)server.Port, insert.GetTagItem("server.port")); // int64, as the MongoDB OpenTelemetry specification says
        Assert.Equal(ActivityStatusCode.Unset, insert.Status);

        // The command sent for it is a child span named after the command, with the peer the connection reached.
        Activity command = Assert.Single(seen, a => a.Parent == insert);
        Assert.Equal("insert", command.DisplayName);
        Assert.Equal("insert", command.GetTagItem("db.command.name"));
        Assert.Equal("127.0.0.1", command.GetTagItem("network.peer.address"));
        Assert.Equal(server.Port, command.GetTagItem("network.peer.port"));

        // A cursor's getMores (batch size 2 over 5 documents) are children of the find's operation span, not operations.
        Activity find = Assert.Single(seen, a => a.DisplayName == "find " + database + ".people" && a.Parent?.Source.Name != MongoTelemetry.ActivitySourceName);
        Assert.Equal(2, seen.Count(a => a.DisplayName == "getMore" && a.Parent == find));
        Assert.DoesNotContain(seen, a => a.DisplayName.StartsWith("getMore", StringComparison.Ordinal) && a.Parent?.Source.Name != MongoTelemetry.ActivitySourceName);
    }

    [Fact]
    public async Task A_failed_command_sets_the_span_status_the_error_type_and_the_servers_code()
    {
        await using InMemoryMongoServer server = await InMemoryMongoServer.StartAsync();
        using var spans = new Spans();
        await using (var client = new MongoClient(server.ConnectionString))
        {
            await Assert.ThrowsAsync<MongoCommandException>(() => client.GetDatabase("telemetry_errors").RunCommandAsync(new BsonDocument("noSuchCommand", 1)));
        }

        Activity failed = Assert.Single(spans.In("telemetry_errors"), a => a.Parent?.Source.Name != MongoTelemetry.ActivitySourceName);
        Assert.Equal("runCommand telemetry_errors", failed.DisplayName); // MongoDB OpenTelemetry specification: RunCommand is "runCommand db"
        Assert.Equal(ActivityStatusCode.Error, failed.Status);
        Assert.Equal("59", failed.GetTagItem("db.response.status_code"));
        Assert.Equal("CommandNotFound", failed.GetTagItem("error.type"));
    }

    [Fact]
    public async Task Operation_duration_and_connection_metrics_are_recorded_with_the_pool_and_server_attributes()
    {
        await using InMemoryMongoServer server = await InMemoryMongoServer.StartAsync();
        var measurements = new ConcurrentQueue<(string Instrument, double Value, Dictionary<string, object?> Tags)>();
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == MongoTelemetry.MeterName)
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        void Record<T>(Instrument instrument, T value, ReadOnlySpan<KeyValuePair<string, object?>> tags, object? state)
        {
            var map = new Dictionary<string, object?>();
            foreach (var tag in tags)
            {
                map[tag.Key] = tag.Value;
            }

            if (Equals(map.GetValueOrDefault("server.port"), server.Port))
            {
                measurements.Enqueue((instrument.Name, Convert.ToDouble(value, System.Globalization.CultureInfo.InvariantCulture), map));
            }
        }

        listener.SetMeasurementEventCallback<double>(Record);
        listener.SetMeasurementEventCallback<long>(Record);
        listener.SetMeasurementEventCallback<int>(Record);
        listener.Start();

        await using (var client = new MongoClient(server.ConnectionString + "?maxPoolSize=7&minPoolSize=0"))
        {
            MongoCollection<BsonDocument> collection = client.GetDatabase("telemetry_metrics").GetCollection("c");
            await collection.InsertOneAsync(new BsonDocument("_id", 1));
            Assert.Single(await collection.Find(FilterDefinition.Empty).ToListAsync());

            // Gauges are read when a collector asks: one connection idle in the pool now, none used.
            listener.RecordObservableInstruments();
            Assert.Contains(measurements, m => m.Instrument == "db.client.connection.count" && (string?)m.Tags["db.client.connection.state"] == "idle" && m.Value >= 1);
            Assert.Contains(measurements, m => m.Instrument == "db.client.connection.count" && (string?)m.Tags["db.client.connection.state"] == "used" && m.Value == 0);
            Assert.Contains(measurements, m => m.Instrument == "db.client.connection.max" && m.Value == 7);
            Assert.Contains(measurements, m => m.Instrument == "db.client.connection.pending_requests" && m.Value == 0);
        }

        var insert = Assert.Single(measurements, m => m.Instrument == "db.client.operation.duration" && (string?)m.Tags["db.operation.name"] == "insert");
        Assert.Equal("telemetry_metrics", insert.Tags["db.namespace"]);
        Assert.Equal("c", insert.Tags["db.collection.name"]);
        Assert.Equal("mongodb", insert.Tags["db.system.name"]);
        Assert.InRange(insert.Value, 0, 60);
        Assert.Contains(measurements, m => m.Instrument == "db.client.connection.create_time" && (string?)m.Tags["db.client.connection.pool.name"] == "127.0.0.1" + ":" + server.Port);
        Assert.True(measurements.Count(m => m.Instrument == "db.client.connection.wait_time") >= 2);
        Assert.True(measurements.Count(m => m.Instrument == "db.client.connection.use_time") >= 2);
    }

    [Fact]
    public async Task A_checkout_that_times_out_counts_a_connection_timeout()
    {
        await using InMemoryMongoServer server = await InMemoryMongoServer.StartAsync();
        long timeouts = 0;
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == MongoTelemetry.MeterName && instrument.Name == "db.client.connection.timeouts")
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (tag.Key == "server.port" && Equals(tag.Value, server.Port))
                {
                    Interlocked.Add(ref timeouts, value);
                }
            }
        });
        listener.Start();

        await using var client = new MongoClient(server.ConnectionString + "?maxPoolSize=1&waitQueueTimeoutMS=200&appName=telemetry-timeouts");
        var admin = client.GetDatabase("admin");
        await admin.RunCommandAsync(new BsonDocument
        {
            { "configureFailPoint", "failCommand" }, { "mode", new BsonDocument("times", 1) },
            { "data", new BsonDocument { { "failCommands", new BsonArray { "ping" } }, { "blockConnection", true }, { "blockTimeMS", 3000 }, { "appName", "telemetry-timeouts" } } },
        });

        // The blocked ping holds the only connection; the second operation's checkout gives up after 200 ms.
        Task blocked = admin.RunCommandAsync(new BsonDocument("ping", 1));
        await Task.Delay(500);
        await Assert.ThrowsAsync<MongoTimeoutException>(() => admin.RunCommandAsync(new BsonDocument("ping", 1)));
        await blocked;
        Assert.Equal(1, Interlocked.Read(ref timeouts));
    }
}
