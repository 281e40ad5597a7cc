using System.Diagnostics;
using Mongo.Bson;
using Mongo.Driver.Diagnostics;
using Mongo.InMemory;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using Xunit;

namespace Mongo.Driver.Tests.Telemetry;

/// <summary>The driver's spans and metrics as the OpenTelemetry SDK exports them (its in-memory exporter).</summary>
[Collection(TelemetryCollection.Name)]
public sealed class OpenTelemetrySdkTests
{
    [Fact]
    public async Task The_sdk_exports_the_operation_spans_and_the_duration_histogram()
    {
        await using InMemoryMongoServer server = await InMemoryMongoServer.StartAsync();
        var spans = new List<Activity>();
        var metrics = new List<Metric>();
        using (TracerProvider tracing = Sdk.CreateTracerProviderBuilder().AddSource(MongoTelemetry.ActivitySourceName).AddInMemoryExporter(spans).Build())
        using (MeterProvider meters = Sdk.CreateMeterProviderBuilder().AddMeter(MongoTelemetry.MeterName).AddInMemoryExporter(metrics).Build())
        {
            MongoClientSettings settings = MongoClientSettings.FromConnectionString(server.ConnectionString);
            settings.TraceQueryText = true;
            await using (var client = new MongoClient(settings))
            {
                MongoCollection<BsonDocument> orders = client.GetDatabase("telemetry_sdk").GetCollection("orders");
                await orders.InsertOneAsync(new BsonDocument { { "_id", 1 }, { "sku", "A-1" } });
                Assert.Single(await orders.Find(new BsonDocument("sku", "A-1")).ToListAsync());
            }

            tracing.ForceFlush();
            meters.ForceFlush();
        }

        Activity find = Assert.Single(spans, s => s.DisplayName == "find telemetry_sdk.orders" && (string?)s.GetTagItem("db.namespace") == "telemetry_sdk" && s.Parent is null);
        Assert.Equal("mongodb", find.GetTagItem("db.system.name"));

        // The command sent carries the query text (MongoDB OpenTelemetry specification: on command spans, when opted in).
        Activity command = Assert.Single(spans, s => s.ParentSpanId == find.SpanId && s.DisplayName == "find");
        Assert.Null(find.GetTagItem("db.query.text"));
        string text = Assert.IsType<string>(command.GetTagItem("db.query.text"));
        Assert.Equal(new BsonDocument("sku", "A-1"), BsonDocument.Parse(text)["filter"].AsDocument);

        // ForceFlush exports once and disposing the provider once more (cumulative): the first export has it all.
        Metric duration = metrics.First(m => m.Name == "db.client.operation.duration");
        Assert.Equal("s", duration.Unit);
        Assert.Equal(MetricType.Histogram, duration.MetricType);
        long finds = 0;
        foreach (ref readonly MetricPoint point in duration.GetMetricPoints())
        {
            var tags = new Dictionary<string, object?>();
            foreach (var tag in point.Tags)
            {
                tags[tag.Key] = tag.Value;
            }

            if ((string?)tags.GetValueOrDefault("db.namespace") == "telemetry_sdk" && (string?)tags.GetValueOrDefault("db.operation.name") == "find")
            {
                finds += point.GetHistogramCount();

                // The conventions' recommended bucket boundaries (instrument advice, .NET 9+).
                var bounds = new List<double>();
                foreach (HistogramBucket bucket in point.GetHistogramBuckets())
                {
                    bounds.Add(bucket.ExplicitBound);
                }

                Assert.Equal([0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 10, double.PositiveInfinity], bounds);
            }
        }

        Assert.Equal(1, finds);
    }

    [Fact]
    public async Task Query_text_is_off_by_default_and_never_shows_a_sensitive_command()
    {
        await using InMemoryMongoServer server = await InMemoryMongoServer.StartAsync();
        var spans = new List<Activity>();
        using (TracerProvider tracing = Sdk.CreateTracerProviderBuilder().AddSource(MongoTelemetry.ActivitySourceName).AddInMemoryExporter(spans).Build())
        {
            await using (var client = new MongoClient(server.ConnectionString))
            {
                await client.GetDatabase("telemetry_text_off").RunCommandAsync(new BsonDocument("ping", 1));
            }

            MongoClientSettings settings = MongoClientSettings.FromConnectionString(server.ConnectionString);
            settings.TraceQueryText = true;
            await using (var client = new MongoClient(settings))
            {
                await client.GetDatabase("telemetry_text_on").RunCommandAsync(new BsonDocument { { "createUser", "eve" }, { "pwd", "hunter2-secret" }, { "roles", new BsonArray() } });
            }

            tracing.ForceFlush();
        }

        Activity ping = Assert.Single(spans, s => (string?)s.GetTagItem("db.namespace") == "telemetry_text_off" && s.Parent is null);
        Assert.Null(ping.GetTagItem("db.query.text"));
        Activity createUser = Assert.Single(spans, s => (string?)s.GetTagItem("db.namespace") == "telemetry_text_on" && s.Parent is null);
        Assert.Equal("runCommand telemetry_text_on", createUser.DisplayName);
        Assert.Null(createUser.GetTagItem("db.query.text"));
        Assert.DoesNotContain(spans, s => s.TagObjects.Any(t => t.Value?.ToString()?.Contains("hunter2", StringComparison.Ordinal) == true));
    }
}
