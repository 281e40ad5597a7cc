using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using Mongo.Driver;
using Mongo.Driver.Diagnostics;
using Mongo.GridFS;
using Mongo.InMemory;

namespace NativeAotSample;

/// <summary>
/// Typed collections in a NativeAOT app: CRUD with typed filters, expression filters and updates, an index and GridFS,
/// against an in-process Mongo.InMemory server, with the client, its configuration, logging and health check wired
/// through Microsoft.Extensions.DependencyInjection, and its spans and metrics observed. With <c>--without-context</c> it leaves the generated context out, so the
/// driver would need reflection, which AOT apps switch off: it must then stop with the error that says what to add.
/// </summary>
public static class Program
{
    /// <summary>Runs the sample; exits 1 when a result is not the expected one.</summary>
    public static async Task<int> Main(string[] args)
    {
        bool withContext = !args.Contains("--without-context");
        await using var server = await InMemoryMongoServer.StartAsync();

        // The client, its database and the health check come from the container, as in a real app: configuration is
        // read without reflection and the client logs through the container's logger factory.
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:mongo"] = server.ConnectionString + "library",
            ["Mongo:ApplicationName"] = "native-aot-sample",
            ["Mongo:MaxPoolSize"] = "10",
        }).Build();
        var services = new ServiceCollection();
        services.AddLogging(b => b.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Warning));
        services.AddMongoClient(configuration, configure: settings =>
        {
            if (withContext)
            {
                settings.SerializerContext = LibraryBson.Default;
            }
        }).AddDatabase();
        services.AddHealthChecks().AddMongo(timeout: TimeSpan.FromSeconds(30));
        await using var provider = services.BuildServiceProvider();

        // Tracing and metrics as an OpenTelemetry SDK would collect them (the BCL listeners it is built on).
        int spans = 0, durations = 0;
        using var tracing = new ActivityListener
        {
            ShouldListenTo = source => source.Name == MongoTelemetry.ActivitySourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllData,
            ActivityStopped = activity => Interlocked.Increment(ref spans),
        };
        ActivitySource.AddActivityListener(tracing);
        using var metrics = new MeterListener
        {
            InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == MongoTelemetry.MeterName && instrument.Name == "db.client.operation.duration")
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            },
        };
        metrics.SetMeasurementEventCallback<double>((_, _, _, _) => Interlocked.Increment(ref durations));
        metrics.Start();

        var database = provider.GetRequiredService<MongoDatabase>();
        try
        {
            bool ok = Check("client from configuration, with the container's logging",
                database.Client.Settings.ApplicationName == "native-aot-sample" && database.Client.Settings.LoggerFactory is not null);
            var health = await provider.GetRequiredService<HealthCheckService>().CheckHealthAsync();
            ok &= Check("health check", health.Status == HealthStatus.Healthy);
            ok &= await RunAsync(database);
            ok &= Check("spans and operation durations", Volatile.Read(ref spans) > 0 && Volatile.Read(ref durations) > 0);
            return ok ? 0 : 1;
        }
        catch (Exception e) when (!withContext)
        {
            // Whatever type the driver throws, the message must say what to add; build.ps1 checks it.
            Console.Error.WriteLine(e.GetType().Name + ": " + e.Message);
            return 2;
        }
    }

    private static async Task<bool> RunAsync(MongoDatabase database)
    {
        var books = database.GetCollection<Book>("books");
        var dune = new Book { Title = "Dune", Author = "Frank Herbert", Year = 1965, Genre = Genre.ScienceFiction, Tags = ["classic"] };
        await books.InsertManyAsync(
        [
            dune,
            new Book { Title = "Emma", Author = "Jane Austen", Year = 1815, Genre = Genre.Fiction, Tags = ["classic", "romance"], Shelf = new Shelf("A", 2) },
            new Book { Title = "Cosmos", Author = "Carl Sagan", Year = 1980, Genre = Genre.NonFiction },
        ]);
        bool ok = Check("id generated and set back", dune.Id != default);

        await books.CreateIndexAsync(Builders<Book>.IndexKeys.Ascending(b => b.Author));
        var modern = await books.Find(Builders<Book>.Filter.Gte(b => b.Year, 1900)).SortBy(b => b.Year).ToListAsync();
        ok &= Check("typed filter and sort", string.Join(",", modern.Select(b => b.Title)) == "Dune,Cosmos");

        var classics = await books.Find(b => b.Tags.Contains("classic") && b.Genre != Genre.NonFiction).ToListAsync();
        ok &= Check("expression filter", classics.Count == 2);

        await books.UpdateOneAsync(b => b.Title == "Dune", Builders<Book>.Update.Inc(b => b.Year, 1).Push(b => b.Tags, "desert"));
        var updated = await books.Find(b => b.Id == dune.Id).FirstOrDefaultAsync();
        ok &= Check("typed update", updated is { Year: 1966 } && updated.Tags.Contains("desert"));

        var shelved = await books.Find(b => b.Shelf != null && b.Shelf.Room == "A").FirstOrDefaultAsync();
        ok &= Check("nested member and record", shelved?.Shelf == new Shelf("A", 2));

        await books.DeleteOneAsync(b => b.Genre == Genre.NonFiction);
        ok &= Check("delete and count", await books.CountDocumentsAsync(Builders<Book>.Filter.Empty) == 2);

        var bucket = new GridFSBucket(database);
        byte[] cover = new byte[300_000];
        new Random(1).NextBytes(cover);
        var id = await bucket.UploadFromBytesAsync("dune-cover.png", cover);
        byte[] back = await bucket.DownloadAsBytesAsync(id);
        ok &= Check("GridFS round trip", back.AsSpan().SequenceEqual(cover));
        return ok;
    }

    private static bool Check(string what, bool passed)
    {
        Console.WriteLine($"{(passed ? "ok  " : "FAIL")} {what}");
        return passed;
    }
}
