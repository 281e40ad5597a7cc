using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using Mongo.Driver.Pooling;

namespace Mongo.Driver.Diagnostics;

/// <summary>
/// The driver's <see cref="ActivitySource"/> and <see cref="Meter"/> with the instruments of the OpenTelemetry database
/// client conventions. Process-wide, as the BCL's and Npgsql's are: listeners filter by name, and attributes
/// (server, pool name) tell clients apart. Pool gauges are observable, read from the live pools only when a collector
/// asks, so the checkout path pays nothing for them.
/// </summary>
internal static class DriverInstruments
{
    // MongoDB OpenTelemetry specification ("Tracer Attributes"): the version formatted as the handshake's client.driver.version.
    private static readonly string s_version = Connections.ClientMetadata.DriverVersion;

    public static readonly ActivitySource Source = new(MongoTelemetry.ActivitySourceName, s_version);

    public static readonly Meter Meter = new(MongoTelemetry.MeterName, s_version);

#if NET9_0_OR_GREATER
    // Semantic conventions' recommended buckets for db.client.* durations (seconds); .NET 8 has no instrument advice.
    private static readonly double[] s_operationBuckets = [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 10];
#endif

    private static readonly ConcurrentDictionary<ConnectionPool, byte> s_pools = new();

    public static readonly Histogram<double> OperationDuration = Duration("db.client.operation.duration", "Duration of database client operations.");

    public static readonly Histogram<double> ConnectionCreateTime = Duration("db.client.connection.create_time", "The time it took to create a new connection.");

    public static readonly Histogram<double> ConnectionWaitTime = Duration("db.client.connection.wait_time", "The time it took to obtain an open connection from the pool.");

    public static readonly Histogram<double> ConnectionUseTime = Duration("db.client.connection.use_time", "The time between borrowing a connection and returning it to the pool.");

    public static readonly Counter<long> ConnectionTimeouts = Meter.CreateCounter<long>(
        "db.client.connection.timeouts", "{timeout}", "The number of connection timeouts that have occurred trying to obtain a connection from the pool.");

    static DriverInstruments()
    {
        Meter.CreateObservableUpDownCounter("db.client.connection.count", ObserveCounts, "{connection}",
            "The number of connections that are currently in the state described by the state attribute.");
        Meter.CreateObservableUpDownCounter("db.client.connection.idle.max", () => Observe(p => p.MaxPoolSizeOrNull), "{connection}",
            "The maximum number of idle open connections allowed.");
        Meter.CreateObservableUpDownCounter("db.client.connection.idle.min", () => Observe(p => p.Settings.MinPoolSize), "{connection}",
            "The minimum number of idle open connections allowed.");
        Meter.CreateObservableUpDownCounter("db.client.connection.max", () => Observe(p => p.MaxPoolSizeOrNull), "{connection}",
            "The maximum number of open connections allowed.");
        Meter.CreateObservableUpDownCounter("db.client.connection.pending_requests", () => Observe(p => p.Counts.Waiting), "{request}",
            "The number of current pending requests for an open connection.");
    }

    private static long s_poolNumber;

    /// <summary>
    /// A pool's name for metrics: its address, with a number appended when another live pool (another client) already
    /// reports under that address, so the two pools' series stay apart.
    /// </summary>
    public static string PoolName(MongoServerAddress address)
    {
        string name = address.ToString();
        foreach (ConnectionPool pool in s_pools.Keys)
        {
            if (pool.MetricsName == name)
            {
                return name + "#" + Interlocked.Increment(ref s_poolNumber).ToString(System.Globalization.CultureInfo.InvariantCulture);
            }
        }

        return name;
    }

    /// <summary>A pool takes part in the observable gauges from creation to disposal.</summary>
    public static void Register(ConnectionPool pool) => s_pools.TryAdd(pool, 0);

    public static void Unregister(ConnectionPool pool) => s_pools.TryRemove(pool, out _);

    /// <summary>The pool attributes every connection instrument carries.</summary>
    public static TagList PoolTags(ConnectionPool pool) => new()
    {
        { "db.client.connection.pool.name", pool.MetricsName },
        { "server.address", pool.Address.Host },
        { "server.port", pool.Address.Port },
    };

    private static Histogram<double> Duration(string name, string description) =>
#if NET9_0_OR_GREATER
        Meter.CreateHistogram<double>(name, "s", description, tags: null, new InstrumentAdvice<double> { HistogramBucketBoundaries = s_operationBuckets });
#else
        Meter.CreateHistogram<double>(name, "s", description);
#endif

    private static IEnumerable<Measurement<int>> ObserveCounts()
    {
        foreach (ConnectionPool pool in s_pools.Keys)
        {
            var counts = pool.Counts;
            TagList idle = PoolTags(pool);
            idle.Add("db.client.connection.state", "idle");
            yield return new Measurement<int>(counts.Available, idle);
            TagList used = PoolTags(pool);
            used.Add("db.client.connection.state", "used");
            yield return new Measurement<int>(counts.InUse, used);
        }
    }

    private static IEnumerable<Measurement<int>> Observe(Func<ConnectionPool, int?> value)
    {
        foreach (ConnectionPool pool in s_pools.Keys)
        {
            if (value(pool) is { } v)
            {
                yield return new Measurement<int>(v, PoolTags(pool));
            }
        }
    }
}
