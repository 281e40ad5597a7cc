using System.Collections.Concurrent;
using System.Diagnostics;
using Mongo.Bson;
using Mongo.Driver;
using Mongo.Driver.Diagnostics;

namespace Mongo.Testing.Unified;

/// <summary>
/// Tracing expectations (schema 1.27: <c>observeTracingMessages</c> on a client, <c>expectTracingMessages</c> on a test).
/// The driver's spans come from one process-wide <see cref="ActivitySource"/>, so the runner tells a test's spans apart by
/// trace: it runs the test's operations under a root span of its own and records only the driver spans of that trace.
/// Within the test only observing clients trace (the others get <see cref="MongoClientSettings.TracingEnabled"/> false),
/// so a test may have one observing client; a second one fails the test rather than mixing their spans.
/// </summary>
public sealed partial class UnifiedTestRunner
{
    /// <summary>The runner's own source, for the root span a test's operations run under.</summary>
    internal const string TraceRootSourceName = "Mongo.Testing.Unified";

    private static readonly ActivitySource s_traceRootSource = new(TraceRootSourceName);

    private static readonly HashSet<string> s_tracingExpectationKeys = new(StringComparer.Ordinal) { "client", "ignoreExtraSpans", "spans" };
    private static readonly HashSet<string> s_spanKeys = new(StringComparer.Ordinal) { "name", "attributes", "nested" };
    private static readonly HashSet<string> s_observeTracingKeys = new(StringComparer.Ordinal) { "enableCommandPayload" };

    private ActivityListener? _traceListener;
    private Activity? _traceRoot;
    private readonly ConcurrentQueue<Activity> _tracedSpans = new();
    private readonly HashSet<string> _tracingClients = new(StringComparer.Ordinal);

    /// <summary>
    /// observeTracingMessages: the client traces (<c>enableCommandPayload</c> adds <c>db.query.text</c>, uncut so that
    /// <c>$$matchAsDocument</c> can parse it); a client without it does not trace at all.
    /// </summary>
    private void ObserveTracingMessages(string clientId, MongoClientSettings settings, BsonValue? observe)
    {
        if (observe is null)
        {
            settings.TracingEnabled = false;
            return;
        }

        if (observe is not BsonDocument options)
        {
            throw new UnifiedAssertionException("observeTracingMessages must be a document, got " + observe.BsonType);
        }

        CheckKeys(options, s_observeTracingKeys, "observeTracingMessages field");
        settings.TracingEnabled = true;
        settings.TraceQueryTextMaxLength = options.GetValueOrDefault("enableCommandPayload")?.ToBoolean() == true ? 1_000_000 : 0;
        _tracingClients.Add(clientId);
    }

    /// <summary>
    /// Starts recording the driver's spans of this test under a new root span when a client of the file, or one a
    /// createEntities operation of the test creates, observes tracing (the root must be current before the operations run).
    /// </summary>
    private void StartTracing(BsonDocument test)
    {
        if (_tracingClients.Count == 0 && !MentionsTracing(test["operations"]))
        {
            return;
        }

        _traceListener = new ActivityListener
        {
            ShouldListenTo = source => source.Name is MongoTelemetry.ActivitySourceName or TraceRootSourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> options) =>
                options.Source.Name == TraceRootSourceName || (_traceRoot is { } root && options.TraceId == root.TraceId)
                    ? ActivitySamplingResult.AllDataAndRecorded
                    : ActivitySamplingResult.None,
            ActivityStarted = span =>
            {
                if (span.Source.Name == MongoTelemetry.ActivitySourceName && _traceRoot is { } root && span.TraceId == root.TraceId)
                {
                    _tracedSpans.Enqueue(span);
                }
            },
        };
        ActivitySource.AddActivityListener(_traceListener);
        _traceRoot = s_traceRootSource.StartActivity("unified test", ActivityKind.Internal, parentContext: default)
            ?? throw new UnifiedAssertionException("the runner's trace root span was not created");
    }

    private static bool MentionsTracing(BsonValue value) => value switch
    {
        BsonDocument document => document.Any(e => e.Name == "observeTracingMessages" || MentionsTracing(e.Value)),
        BsonArray array => array.Any(MentionsTracing),
        _ => false,
    };

    /// <summary>Ends the test's root span: what runs afterwards (outcome checks, cleanup) is not the test's.</summary>
    private void StopTracing()
    {
        if (_traceRoot is { } root)
        {
            root.Stop();
            Activity.Current = null;
        }

        _traceListener?.Dispose();
        _traceListener = null;
    }

    private void CheckTracingMessages(BsonValue expectations)
    {
        var list = expectations switch
        {
            BsonArray array => array.Select(e => e.AsDocument).ToList(),
            BsonDocument single => [single],
            _ => throw new UnifiedAssertionException("expectTracingMessages must be a document or an array, got " + expectations.BsonType),
        };

        foreach (var expectation in list)
        {
            CheckKeys(expectation, s_tracingExpectationKeys, "expectTracingMessages field");
            var clientId = expectation.GetValueOrDefault("client") is BsonString { Value: var id } ? id
                : throw new UnifiedAssertionException("expectTracingMessages: 'client' must be a string naming a client entity");
            if (expectation.GetValueOrDefault("spans") is not BsonArray { Count: > 0 } expectedSpans)
            {
                throw new UnifiedAssertionException("expectTracingMessages: 'spans' must be a non-empty array");
            }

            if (!_tracingClients.Contains(clientId))
            {
                throw new UnifiedAssertionException($"expectTracingMessages: client {clientId} does not observe tracing messages");
            }

            if (_tracingClients.Count > 1)
            {
                throw new UnifiedAssertionException("expectTracingMessages: several clients observe tracing messages (" + string.Join(", ", _tracingClients)
                    + "); this runner tells spans apart by test, not by client");
            }

            if (_traceRoot is null)
            {
                throw new UnifiedAssertionException("expectTracingMessages: no spans were recorded (the runner started no trace for this test)");
            }

            bool ignoreExtra = expectation.GetValueOrDefault("ignoreExtraSpans") switch
            {
                null => false,
                BsonBoolean flag => flag.Value,
                var other => throw new UnifiedAssertionException("expectTracingMessages: 'ignoreExtraSpans' must be a boolean, got " + other.BsonType),
            };
            var spans = _tracedSpans.ToList();
            var top = spans.Where(s => s.ParentSpanId == _traceRoot.SpanId).ToList();
            var failure = SpansMismatch(expectedSpans, top, spans, ignoreExtra, "spans");
            if (failure is not null)
            {
                throw new UnifiedAssertionException("expectTracingMessages for " + clientId + ": " + failure + " | actual spans:" + Environment.NewLine + DescribeSpans(top, spans, 1));
            }
        }
    }

    /// <summary>
    /// Null when <paramref name="actual"/> (siblings, in start order) matches the expected spans in order. Without
    /// ignoreExtraSpans the counts must be equal at every level; with it, the expected spans must appear in order among
    /// the actual ones (others may come between them, as a fail point's configureFailPoint does).
    /// </summary>
    private string? SpansMismatch(BsonArray expected, List<Activity> actual, List<Activity> all, bool ignoreExtra, string path)
    {
        if (!ignoreExtra && expected.Count != actual.Count)
        {
            return $"{path}: expected {expected.Count} spans ({string.Join(", ", expected.Select(e => e.AsDocument.GetValueOrDefault("name")))}), got {actual.Count} ("
                + string.Join(", ", actual.Select(a => a.DisplayName)) + ")";
        }

        int next = 0;
        for (int i = 0; i < expected.Count; i++)
        {
            var span = expected[i] as BsonDocument ?? throw new UnifiedAssertionException($"{path}[{i}]: a span must be a document");
            CheckKeys(span, s_spanKeys, "span field");
            if (span.GetValueOrDefault("name") is not BsonString || span.GetValueOrDefault("attributes") is not BsonDocument
                || span.GetValueOrDefault("nested") is not (null or BsonArray { Count: > 0 }))
            {
                // The format's schema: name (string) and attributes (document) are required; nested, when present, is a non-empty array.
                throw new UnifiedAssertionException($"{path}[{i}]: a span needs a string 'name', an 'attributes' document and, if any, a non-empty 'nested' array: {span}");
            }

            string? firstFailure = null;
            bool found = false;
            while (next < actual.Count)
            {
                var candidate = actual[next++];
                var failure = SpanMismatch(span, candidate, all, ignoreExtra, $"{path}[{i}]");
                if (failure is null)
                {
                    found = true;
                    break;
                }

                firstFailure ??= failure;
                if (!ignoreExtra)
                {
                    return failure;
                }
            }

            if (!found)
            {
                return firstFailure ?? $"{path}[{i}]: no span '{span.GetValueOrDefault("name")}' among the remaining spans";
            }
        }

        return null;
    }

    private string? SpanMismatch(BsonDocument expected, Activity actual, List<Activity> all, bool ignoreExtra, string path)
    {
        var name = expected["name"].AsString;
        if (actual.DisplayName != name)
        {
            return $"{path}: expected span '{name}', got '{actual.DisplayName}'";
        }

        if (actual.Kind != ActivityKind.Client)
        {
            return $"{path} ({name}): span kind is {actual.Kind}, the specification requires Client";
        }

        // The attributes are matched as a root document: the driver may add attributes of the conventions the test does not list.
        if (_matcher.Match(expected["attributes"].AsDocument, Attributes(actual), isRoot: true, "attributes") is { } failure)
        {
            return $"{path} ({name}): {failure} | actual attributes {Attributes(actual)}";
        }

        var children = all.Where(s => s.ParentSpanId == actual.SpanId && s.TraceId == actual.TraceId).ToList();
        var nested = expected.GetValueOrDefault("nested") as BsonArray ?? [];
        return SpansMismatch(nested, children, all, ignoreExtra, path + "(" + name + ").nested");
    }

    /// <summary>
    /// A span's attributes as a document: its tags, and the attributes of its <c>exception</c> event (the OpenTelemetry
    /// exception convention records <c>exception.type</c>, <c>exception.message</c> and <c>exception.stacktrace</c> on an
    /// event; the specification's tests list them with the span's attributes). <c>db.mongodb.lsid</c>, which the driver
    /// writes as the lsid document's extended JSON, is parsed back so that <c>$$sessionLsid</c> can compare it.
    /// </summary>
    internal static BsonDocument Attributes(Activity span)
    {
        var document = new BsonDocument();
        foreach (var (key, value) in span.TagObjects)
        {
            document.Set(key, key == "db.mongodb.lsid" && value is string lsid ? BsonDocument.Parse(lsid) : ToBson(value));
        }

        foreach (var @event in span.Events)
        {
            if (@event.Name != "exception")
            {
                continue;
            }

            foreach (var (key, value) in @event.Tags)
            {
                if (!document.Contains(key))
                {
                    document.Set(key, ToBson(value));
                }
            }
        }

        return document;
    }

    private static BsonValue ToBson(object? value) => value switch
    {
        null => BsonNull.Value,
        string s => s,
        bool b => b,
        int i => i,
        long l => l,
        short s => (int)s,
        double d => d,
        BsonValue bson => bson,
        _ => value.ToString() ?? "",
    };

    private static string DescribeSpans(List<Activity> spans, List<Activity> all, int depth)
    {
        var text = new System.Text.StringBuilder();
        foreach (var span in spans)
        {
            text.Append(new string(' ', depth * 2)).Append(span.DisplayName).Append(' ').Append(Attributes(span).ToString()).AppendLine();
            text.Append(DescribeSpans(all.Where(s => s.ParentSpanId == span.SpanId && s.TraceId == span.TraceId).ToList(), all, depth + 1));
        }

        return text.ToString();
    }
}
