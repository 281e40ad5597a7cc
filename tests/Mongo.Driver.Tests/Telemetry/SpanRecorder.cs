using System.Collections.Concurrent;
using System.Diagnostics;
using Mongo.Driver.Diagnostics;
using Xunit;

namespace Mongo.Driver.Tests.Telemetry;

/// <summary>
/// The driver's spans as a tracing SDK sees them: every span started and stopped. Listeners are process-wide, so tests
/// look only at the spans of their own database (or trace).
/// </summary>
internal sealed class SpanRecorder : IDisposable
{
    /// <summary>An application's own source, for tests whose operations run inside an application span.</summary>
    public const string AppSourceName = "Mongo.Driver.Tests.App";

    private readonly ActivityListener _listener;

    public SpanRecorder()
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name is MongoTelemetry.ActivitySourceName or AppSourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStarted = Started.Enqueue,
            ActivityStopped = Stopped.Enqueue,
        };
        ActivitySource.AddActivityListener(_listener);
    }

    public ConcurrentQueue<Activity> Started { get; } = new();

    public ConcurrentQueue<Activity> Stopped { get; } = new();

    /// <summary>The stopped spans of <paramref name="database"/>.</summary>
    public List<Activity> In(string database) => Stopped.Where(a => (string?)a.GetTagItem("db.namespace") == database).ToList();

    /// <summary>The stopped operation spans of <paramref name="database"/>: those whose parent is not one of the driver's operation or command spans.</summary>
    public List<Activity> Operations(string database) =>
        In(database).Where(a => a.GetTagItem("db.command.name") is null).ToList();

    /// <summary>The stopped spans whose parent is <paramref name="parent"/>, in start order.</summary>
    public List<Activity> ChildrenOf(Activity parent) =>
        Stopped.Where(a => ReferenceEquals(a.Parent, parent)).OrderBy(a => a.StartTimeUtc).ToList();

    /// <summary>Asserts that <paramref name="child"/> is a command span (named after its command) under <paramref name="operation"/>.</summary>
    public static void AssertCommandOf(Activity operation, Activity child, string command)
    {
        Assert.Equal(command, child.DisplayName);
        Assert.Equal(command, child.GetTagItem("db.command.name"));
        Assert.Same(operation, child.Parent);
        Assert.Equal(ActivityKind.Client, child.Kind);
    }

    public void Dispose() => _listener.Dispose();
}

/// <summary>
/// The tests that attach listeners to the driver's process-wide source and meter, or change <c>OperationSpan.IdleLimit</c>:
/// run one at a time and apart from the other collections, so each sees only its own spans and the allocation check
/// sees no listener.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TelemetryCollection
{
    public const string Name = "Telemetry";
}
