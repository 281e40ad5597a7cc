using System.Diagnostics;
using System.Globalization;
using Mongo.Bson;

namespace Mongo.Driver.Diagnostics;

/// <summary>
/// The span and duration measurement of one operation or one command, per the OpenTelemetry database conventions
/// (<c>db.system.name</c>, <c>db.namespace</c>, <c>db.collection.name</c>, <c>db.operation.name</c>, server and error
/// attributes). A default instance does nothing: when no listener is attached, <see cref="Start"/> returns one without
/// allocating, so the hot path is unchanged.
/// </summary>
internal readonly struct OperationTelemetry
{
    private readonly Activity? _activity;
    private readonly long _start;
    private readonly string? _operation;
    private readonly string? _database;
    private readonly string? _collection;
    private readonly bool _measure;

    private OperationTelemetry(Activity? activity, bool measure, string operation, string database, string? collection)
    {
        _activity = activity;
        _measure = measure;
        _start = measure ? Stopwatch.GetTimestamp() : 0;
        _operation = operation;
        _database = database;
        _collection = collection;
    }

    /// <summary>
    /// Starts the telemetry of an operation (<paramref name="isCommand"/> false: a span and the operation duration) or
    /// of one command sent for it (a child span only).
    /// </summary>
    public static OperationTelemetry Start(string operation, string database, BsonDocument body, bool isCommand, EventPublisher events, int batchSize = 0)
    {
        bool trace = DriverInstruments.Source.HasListeners();
        bool measure = !isCommand && DriverInstruments.OperationDuration.Enabled;
        if (!trace && !measure)
        {
            return default;
        }

        string? collection = CollectionName(operation, body);
        Activity? activity = null;
        if (trace)
        {
            string name = collection is null ? operation + " " + database : operation + " " + collection;
            activity = DriverInstruments.Source.StartActivity(name, ActivityKind.Client);
            if (activity is { IsAllDataRequested: true })
            {
                activity.SetTag("db.system.name", "mongodb");
                activity.SetTag("db.namespace", database);
                activity.SetTag("db.operation.name", operation);
                if (collection is not null)
                {
                    activity.SetTag("db.collection.name", collection);
                }

                if (batchSize > 1)
                {
                    activity.SetTag("db.operation.batch.size", batchSize);
                }

                if (events.TraceQueryText && !EventPublisher.IsSensitive(operation, body))
                {
                    activity.SetTag("db.query.text", events.Json(body));
                }
            }
        }

        return new OperationTelemetry(activity, measure, operation, database, collection);
    }

    /// <summary>The server the operation (or command) went to.</summary>
    public void Server(MongoServerAddress address)
    {
        if (_activity is { IsAllDataRequested: true })
        {
            _activity.SetTag("server.address", address.Host);
            _activity.SetTag("server.port", address.Port);
        }
    }

    /// <summary>The connection the command went over (<c>network.peer.*</c>).</summary>
    public void Peer(System.Net.EndPoint? endPoint)
    {
        if (_activity is { IsAllDataRequested: true } && endPoint is System.Net.IPEndPoint ip)
        {
            _activity.SetTag("network.peer.address", ip.Address.ToString());
            _activity.SetTag("network.peer.port", ip.Port);
        }
    }

    /// <summary>Ends the span (status and error attributes when <paramref name="error"/> is set) and records the duration.</summary>
    public void Stop(Exception? error, MongoServerAddress? server = null)
    {
        string? status = error is MongoServerException serverError ? serverError.Code.ToString(CultureInfo.InvariantCulture) : null;
        string? errorType = error is null ? null : ErrorType(error);
        if (_activity is not null)
        {
            if (error is not null)
            {
                _activity.SetStatus(ActivityStatusCode.Error, error.Message);
                _activity.SetTag("error.type", errorType);
                if (status is not null)
                {
                    _activity.SetTag("db.response.status_code", status);
                }
            }

            _activity.Dispose();
        }

        if (_measure && _operation is not null)
        {
            var tags = new TagList
            {
                { "db.system.name", "mongodb" },
                { "db.namespace", _database },
                { "db.operation.name", _operation },
            };
            if (_collection is not null)
            {
                tags.Add("db.collection.name", _collection);
            }

            if (server is not null)
            {
                tags.Add("server.address", server.Host);
                tags.Add("server.port", server.Port);
            }

            if (errorType is not null)
            {
                tags.Add("error.type", errorType);
            }

            if (status is not null)
            {
                tags.Add("db.response.status_code", status);
            }

            DriverInstruments.OperationDuration.Record(Stopwatch.GetElapsedTime(_start).TotalSeconds, tags);
        }
    }

    /// <summary>Low-cardinality error kind: the server's code name when it gave one, else the exception type.</summary>
    private static string ErrorType(Exception error) =>
        error is MongoServerException { CodeName: { Length: > 0 } codeName } ? codeName : error.GetType().FullName ?? error.GetType().Name;

    // Commands whose first value names the collection they act on (others, such as createUser, name something else).
    private static readonly HashSet<string> s_collectionCommands = new(StringComparer.Ordinal)
    {
        "find", "insert", "update", "delete", "aggregate", "count", "distinct", "findAndModify", "createIndexes", "dropIndexes",
        "listIndexes", "create", "drop", "collMod", "killCursors", "validate", "collStats", "mapReduce", "dataSize",
    };

    /// <summary>The collection a command targets (getMore names it in <c>collection</c>); null for database-level commands.</summary>
    private static string? CollectionName(string operation, BsonDocument body)
    {
        if (operation == "getMore")
        {
            return body.TryGetValue("collection", out BsonValue? named) && named.IsString ? named.AsString : null;
        }

        return s_collectionCommands.Contains(operation) && body.ElementCount > 0 && body.GetElement(0).Value is { IsString: true } first ? first.AsString : null;
    }
}
