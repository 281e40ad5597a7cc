namespace Mongo.Driver.Diagnostics;

/// <summary>
/// The names under which the driver publishes OpenTelemetry-compatible traces (<see cref="System.Diagnostics.ActivitySource"/>)
/// and metrics (<see cref="System.Diagnostics.Metrics.Meter"/>). Subscribe with
/// <c>tracing.AddSource(MongoTelemetry.ActivitySourceName)</c> and <c>metrics.AddMeter(MongoTelemetry.MeterName)</c>;
/// nothing is recorded, and nothing allocated, while no listener is attached.
/// </summary>
public static class MongoTelemetry
{
    /// <summary>The activity source of the driver's spans: one per operation, with a child per command sent.</summary>
    public const string ActivitySourceName = "Mongo.Driver";

    /// <summary>The meter of the driver's metrics (<c>db.client.operation.duration</c> and the <c>db.client.connection.*</c> family).</summary>
    public const string MeterName = "Mongo.Driver";
}
