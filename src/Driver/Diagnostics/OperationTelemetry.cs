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
    private readonly string? _sensitiveCommand; // the sensitive command an operation sent (its error is redacted); null for others

    private OperationTelemetry(Activity? activity, bool measure, string operation, string database, string? collection, string? sensitiveCommand = null)
    {
        _activity = activity;
        _measure = measure;
        _sensitiveCommand = sensitiveCommand;
        _start = measure ? Stopwatch.GetTimestamp() : 0;
        _operation = operation;
        _database = database;
        _collection = collection;
    }

    /// <summary>The operation's or command's span; null when no listener samples it.</summary>
    public Activity? Activity => _activity;

    /// <summary>
    /// Starts the telemetry of an operation (<paramref name="isCommand"/> false: a span and the operation duration) or
    /// of one command sent for it (a child span, named after the command, under <see cref="Activity.Current"/>). A sensitive
    /// command (command monitoring's list: authentication, user management, hello with speculativeAuthenticate) gets no
    /// command span at all (MongoDB OpenTelemetry specification), and its operation span never shows its error's details.
    /// An operation is named <paramref name="operationName"/> when given (<see cref="RunCommandOperation"/>), else after the
    /// driver operation the command implements (<see cref="OperationName"/>). Nothing traces when the client's
    /// <see cref="EventPublisher.Tracing"/> is off.
    /// </summary>
    public static OperationTelemetry Start(string operation, string database, BsonDocument body, bool isCommand, EventPublisher events, int batchSize = 0,
        string? operationName = null)
    {
        bool trace = events.Tracing && DriverInstruments.Source.HasListeners();
        bool measure = !isCommand && DriverInstruments.OperationDuration.Enabled;
        if (!trace && !measure)
        {
            return default;
        }

        bool sensitive = EventPublisher.IsSensitive(operation, body);
        if (isCommand && sensitive)
        {
            return default;
        }

        // A command's span is named after the command; an operation's after the driver operation (dropCollection for drop).
        string? collection = operationName == RunCommandOperation ? null : CollectionName(operation, body);
        string name = isCommand ? operation : operationName ?? OperationName(operation);
        Activity? activity = null;
        if (trace)
        {
            activity = DriverInstruments.Source.StartActivity(isCommand ? operation : SpanName(name, database, collection), ActivityKind.Client);
            if (activity is { IsAllDataRequested: true })
            {
                SetOperationTags(activity, name, database, collection, batchSize);
                if (!isCommand)
                {
                    SetOperationSummary(activity, name, database, collection);
                }
                else
                {
                    // Per the MongoDB OpenTelemetry specification: the command's own name and its "command db.collection" summary.
                    activity.SetTag("db.command.name", operation);
                    activity.SetTag("db.query.summary", operation + " " + (collection is null ? database : database + "." + collection));
                    if (CursorIdSent(operation, body) is { } cursorId)
                    {
                        activity.SetTag("db.mongodb.cursor_id", cursorId);
                    }
                }

                // db.query.text, db.mongodb.lsid and db.mongodb.txn_number come from the command as sent, which only the
                // connection has (Connection.TagSentCommand).
            }
        }

        return new OperationTelemetry(activity, measure, name, database, collection, sensitive ? operation : null);
    }

    /// <summary>The operation name of a command sent as given by <c>RunCommand</c> (MongoDB OpenTelemetry specification: <c>runCommand db</c>).</summary>
    public const string RunCommandOperation = "runCommand";

    /// <summary>
    /// The driver operation a command implements, where the two names differ (MongoDB OpenTelemetry specification, "covered
    /// operations": dropCollection sends drop, createCollection sends create); otherwise the command's name.
    /// </summary>
    internal static string OperationName(string command) => command switch
    {
        "drop" => "dropCollection",
        "create" => "createCollection",
        _ => command,
    };

    /// <summary>The cursor a getMore or killCursors uses (the specification's <c>db.mongodb.cursor_id</c>); null for other commands.</summary>
    private static long? CursorIdSent(string command, BsonDocument body)
    {
        if (command == "getMore" && body.ElementCount > 0 && body.GetElement(0).Value is { IsInt64: true } id)
        {
            return id.AsInt64;
        }

        if (command == "killCursors" && body.GetValueOrDefault("cursors") is BsonArray { Count: > 0 } cursors && cursors[0] is { IsInt64: true } first)
        {
            return first.AsInt64;
        }

        return null;
    }

    /// <summary>
    /// The cursor a reply created (<c>cursor.id</c>, non-zero: the server keeps it open), as <c>db.mongodb.cursor_id</c> of the
    /// command span. Reads the reply only when the span records attributes.
    /// </summary>
    public void CursorCreated(Connections.CommandReply reply)
    {
        if (_activity is { IsAllDataRequested: true } && _activity.GetTagItem("db.mongodb.cursor_id") is null
            && new Mongo.Bson.RawBsonDocument(reply.Bytes).TryGetRawDocument("cursor", out var cursor)
            && cursor.TryGetValue("id", out BsonValue? id) && id.IsInt64 && id.AsInt64 != 0)
        {
            _activity.SetTag("db.mongodb.cursor_id", id.AsInt64);
        }
    }

    /// <summary>
    /// Starts the telemetry of an operation that sends several commands (a cursor's getMores, a bulk write's batches, a
    /// commit's retry), before any of them: its span is a child of <paramref name="parent"/> (an open transaction's span)
    /// when given, else of <see cref="Activity.Current"/>, and does not stay current (<see cref="OperationSpan.Enter"/>
    /// makes it current while a command of it runs).
    /// </summary>
    public static OperationTelemetry StartOperation(string operation, string database, string? collection, Activity? parent, int batchSize = 0, bool tracing = true)
    {
        bool trace = tracing && DriverInstruments.Source.HasListeners();
        bool measure = DriverInstruments.OperationDuration.Enabled;
        if (!trace && !measure)
        {
            return default;
        }

        Activity? activity = null;
        if (trace)
        {
            Activity? previous = Activity.Current;
            if (parent is { IsStopped: false })
            {
                Activity.Current = parent;
            }

            activity = DriverInstruments.Source.StartActivity(SpanName(operation, database, collection), ActivityKind.Client);
            Activity.Current = previous;
            if (activity is { IsAllDataRequested: true })
            {
                SetOperationTags(activity, operation, database, collection, batchSize);
                SetOperationSummary(activity, operation, database, collection);
            }
        }

        return new OperationTelemetry(activity, measure, operation, database, collection);
    }

    /// <summary>Starts an operation-less span (the <c>transaction</c> span the operations of a transaction nest under); it does not become current.</summary>
    public static Activity? StartGrouping(string name, bool tracing = true)
    {
        if (!tracing || !DriverInstruments.Source.HasListeners())
        {
            return null;
        }

        Activity? previous = Activity.Current;
        Activity? activity = DriverInstruments.Source.StartActivity(name, ActivityKind.Client);
        Activity.Current = previous;
        activity?.SetTag("db.system.name", "mongodb");
        return activity;
    }

    /// <summary>Stops a span started with <see cref="StartGrouping"/>, leaving the application's current activity as it is.</summary>
    public static void StopGrouping(Activity span)
    {
        Activity? current = Activity.Current;
        span.Dispose();
        if (current != span)
        {
            Activity.Current = current is { IsStopped: false } ? current : null;
        }
    }

    // MongoDB OpenTelemetry specification: "operation db.collection", or "operation db" when no collection is involved.
    private static string SpanName(string operation, string database, string? collection) =>
        collection is null ? operation + " " + database : operation + " " + database + "." + collection;

    // MongoDB OpenTelemetry specification: an operation span's db.operation.summary is "operation db.collection" (or "operation db").
    private static void SetOperationSummary(Activity activity, string operation, string database, string? collection) =>
        activity.SetTag("db.operation.summary", operation + " " + (collection is null ? database : database + "." + collection));

    private static void SetOperationTags(Activity activity, string operation, string database, string? collection, int batchSize)
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
    }

    /// <summary>The server the operation (or command) went to.</summary>
    public void Server(MongoServerAddress address)
    {
        if (_activity is { IsAllDataRequested: true })
        {
            _activity.SetTag("server.address", address.Host);
            _activity.SetTag("server.port", (long)address.Port); // int64, as the specification's attribute table says
        }
    }

    /// <summary>The connection the command went over (<c>network.peer.*</c>, <c>network.transport</c>, the connection ids).</summary>
    public void Peer(Connections.Connection? connection)
    {
        if (_activity is not { IsAllDataRequested: true } || connection is null)
        {
            return;
        }

        System.Net.EndPoint? endPoint = connection.RemoteEndPoint;
        if (endPoint is System.Net.IPEndPoint ip)
        {
            _activity.SetTag("network.transport", "tcp");
            _activity.SetTag("network.peer.address", ip.Address.ToString());
            _activity.SetTag("network.peer.port", ip.Port);
        }
        else if (endPoint is System.Net.Sockets.UnixDomainSocketEndPoint)
        {
            _activity.SetTag("network.transport", "unix");
        }

        _activity.SetTag("db.mongodb.driver_connection_id", connection.Id);
        if (connection.Description?.ServerConnectionId is { } serverConnectionId)
        {
            _activity.SetTag("db.mongodb.server_connection_id", serverConnectionId);
        }
    }

    /// <summary>Ends the span (status and error attributes when <paramref name="error"/> is set) and records the duration (unless <paramref name="measure"/> is false).</summary>
    public void Stop(Exception? error, MongoServerAddress? server = null, bool measure = true)
    {
        if (_activity is null && !_measure)
        {
            return; // nothing listens: an error costs no code string either
        }

        string? status = error is MongoServerException serverError ? serverError.Code.ToString(CultureInfo.InvariantCulture) : null;
        string? errorType = error is null ? null : ErrorType(error);
        if (_activity is not null)
        {
            if (error is not null)
            {
                string message = _sensitiveCommand is not null ? RedactedMessage(_sensitiveCommand, status) : error.Message;
                _activity.SetStatus(ActivityStatusCode.Error, message);
                _activity.SetTag("error.type", errorType);
                if (status is not null)
                {
                    _activity.SetTag("db.response.status_code", status);
                }

                if (_activity.IsAllDataRequested)
                {
                    RecordException(_activity, error, _sensitiveCommand is not null ? message : null);
                }
            }

            // Stopping makes the span's parent current; an operation span that is not current (a cursor's, ended by its
            // last getMore or by a transaction's commit) must leave the application's current activity as it is.
            Activity? current = Activity.Current;
            _activity.Dispose();
            if (current != _activity)
            {
                Activity.Current = current is { IsStopped: false } ? current : null;
            }
        }

        if (measure && _measure && _operation is not null)
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

    /// <summary>Ends the span with an error status and <c>error.type</c> but no exception: the application ended the operation early (an aborted upload).</summary>
    public void StopUnfinished(string errorType, string description)
    {
        if (_activity is { IsAllDataRequested: true })
        {
            _activity.SetStatus(ActivityStatusCode.Error, description);
            _activity.SetTag("error.type", errorType);
        }

        // Not measured: the duration would be the application's, not the database's.
        Stop(null, measure: false);
    }

    /// <summary>
    /// The OpenTelemetry exception convention: an <c>exception</c> event with <c>exception.type</c>,
    /// <c>exception.message</c> and <c>exception.stacktrace</c> (the BCL's own <c>AddException</c> where it exists, so
    /// listeners' exception recorders hear of it too). A sensitive command's error keeps its type and loses its message and
    /// its text (the server's message may quote what was sent, a password included).
    /// </summary>
    private static void RecordException(Activity activity, Exception error, string? redacted)
    {
        if (redacted is not null)
        {
            activity.AddEvent(new ActivityEvent("exception", tags: new ActivityTagsCollection
            {
                { "exception.type", error.GetType().FullName },
                { "exception.message", redacted },
            }));
            return;
        }

#if NET9_0_OR_GREATER
        activity.AddException(error);
#else
        activity.AddEvent(new ActivityEvent("exception", tags: new ActivityTagsCollection
        {
            { "exception.type", error.GetType().FullName },
            { "exception.message", error.Message },
            { "exception.stacktrace", error.ToString() },
        }));
#endif
    }

    private static string RedactedMessage(string? operation, string? code) =>
        operation + " failed" + (code is null ? "" : " with code " + code) + " (details redacted: sensitive command).";

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
    internal static string? CollectionName(string operation, BsonDocument body)
    {
        if (operation == "getMore")
        {
            return body.TryGetValue("collection", out BsonValue? named) && named.IsString ? named.AsString : null;
        }

        return s_collectionCommands.Contains(operation) && body.ElementCount > 0 && body.GetElement(0).Value is { IsString: true } first ? first.AsString : null;
    }
}
