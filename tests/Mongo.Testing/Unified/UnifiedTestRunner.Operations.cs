using Mongo.Bson;
using Mongo.Driver;

namespace Mongo.Testing.Unified;

public sealed partial class UnifiedTestRunner
{
    private async Task RunOperationAsync(BsonDocument operation)
    {
        CheckOperationKeys(operation);
        var name = operation["name"].AsString;
        var target = operation["object"].AsString;
        var arguments = operation.GetValueOrDefault("arguments") as BsonDocument ?? [];
        BsonValue? result = null;
        Exception? error = null;
        _createdEntity = null;
        try
        {
            result = target == "testRunner" ? await RunTestRunnerOperationAsync(name, arguments) : await RunEntityOperationAsync(_entities[target], name, arguments);
        }
        catch (UnifiedSkipException)
        {
            throw;
        }
        catch (UnifiedAssertionException)
        {
            throw;
        }
        catch (Exception ex)
        {
            error = ex;
        }

        if (operation.GetValueOrDefault("ignoreResultAndError")?.ToBoolean() == true)
        {
            return;
        }

        if (operation.GetValueOrDefault("expectError") is BsonDocument expectError)
        {
            if (error is null)
            {
                throw new UnifiedAssertionException($"{name}: expected an error, got result {result}");
            }

            CheckError(name, expectError, error);
            if (_callbackDepth > 0)
            {
                // Inside withTransaction's callback the expected error still is the callback's error, as in the official
                // runners: withTransaction decides what it means (abort, retry on TransientTransactionError, time out).
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(error);
            }

            return;
        }

        if (error is not null)
        {
            if (_callbackDepth > 0)
            {
                // Inside withTransaction's callback an unexpected error is the callback's error: withTransaction decides what it means.
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(error);
            }

            throw new UnifiedAssertionException($"{name}: unexpected {error.GetType().Name}: {error.Message}");
        }

        if (operation.TryGetValue("expectResult", out var expected))
        {
            if (expected is BsonArray expectedArray && result is BsonArray actualArray && expectedArray.Count == actualArray.Count)
            {
                // Documents of a result list (find, aggregate, distinct) are each root-level documents.
                for (int i = 0; i < expectedArray.Count; i++)
                {
                    _matcher.AssertMatches(expectedArray[i], actualArray[i], isRoot: true, name + " result." + i);
                }
            }
            else
            {
                _matcher.AssertMatches(expected, result ?? BsonNull.Value, isRoot: true, name + " result");
            }
        }

        if (operation.GetValueOrDefault("saveResultAsEntity") is BsonString saveAs)
        {
            _entities[saveAs.Value] = _createdEntity ?? result ?? BsonNull.Value;
        }
    }

    private void CheckError(string name, BsonDocument expectError, Exception error)
    {
        var outer = error;
        if (error is ClientBulkWriteException { Error: { } topLevel })
        {
            // A client bulk write wraps the error that stopped it; code, reply and kind are that error's.
            error = topLevel;
        }
        else if (error is MongoBulkWriteException { Error: { } stoppedBy })
        {
            // A collection bulk write stopped by an error after write errors: likewise that error's.
            error = stoppedBy;
        }

        // "Client error" in the unified format means not derived from a server response: validation errors and
        // network errors alike.
        bool isClientError = error is not MongoServerException;
        foreach (var element in expectError)
        {
            switch (element.Name)
            {
                case "isError":
                    break;
                case "isClientError":
                    if (isClientError != element.Value.ToBoolean())
                    {
                        throw new UnifiedAssertionException($"{name}: isClientError {element.Value} but got {error.GetType().Name}: {error.Message}");
                    }

                    break;
                case "isTimeoutError":
                    // The client-side operations timeout spec's "timeout error" (only raised when timeoutMS is set).
                    if ((error is MongoOperationTimeoutException) != element.Value.ToBoolean())
                    {
                        throw new UnifiedAssertionException($"{name}: isTimeoutError {element.Value} but got {error.GetType().Name}");
                    }

                    break;
                case "errorContains":
                    if (!error.Message.Contains(element.Value.AsString, StringComparison.OrdinalIgnoreCase))
                    {
                        throw new UnifiedAssertionException($"{name}: error message '{error.Message}' does not contain '{element.Value.AsString}'");
                    }

                    break;
                case "errorCode":
                    if (error is not MongoServerException { } server || server.Code != element.Value.ToInt32())
                    {
                        throw new UnifiedAssertionException($"{name}: expected error code {element.Value}, got {error.GetType().Name} {(error as MongoServerException)?.Code}: {error.Message}");
                    }

                    break;
                case "errorCodeName":
                    if (error is not MongoServerException { } named || named.CodeName != element.Value.AsString)
                    {
                        throw new UnifiedAssertionException($"{name}: expected code name {element.Value}, got {(error as MongoServerException)?.CodeName}");
                    }

                    break;
                case "errorLabelsContain":
                    foreach (var label in element.Value.AsArray)
                    {
                        if (outer is not MongoException labelled || !labelled.HasErrorLabel(label.AsString))
                        {
                            throw new UnifiedAssertionException($"{name}: error lacks label {label}");
                        }
                    }

                    break;
                case "errorLabelsOmit":
                    foreach (var label in element.Value.AsArray)
                    {
                        if (outer is MongoException labelled && labelled.HasErrorLabel(label.AsString))
                        {
                            throw new UnifiedAssertionException($"{name}: error has label {label}");
                        }
                    }

                    break;
                case "errorResponse":
                    // The server's reply, on the error itself or on one it wraps (outer: a client bulk write's too).
                    var reply = ServerReplyOf(outer) ?? throw new UnifiedAssertionException($"{name}: errorResponse expected but {error.GetType().Name} (and what it wraps) carries no server reply: {error.Message}");
                    _matcher.AssertMatches(element.Value, reply, isRoot: true, name + " errorResponse");
                    break;
                case "expectResult":
                    BsonValue? partial = outer switch
                    {
                        MongoBulkWriteException bulk => BulkResult(bulk.Result),
                        // A collection bulk write stopped by a top-level error: the error as is, with what was applied.
                        MongoException { PartialBulkWriteResult: { } applied } => BulkResult(applied),
                        ClientBulkWriteException clientBulk => clientBulk.PartialResult is { } r ? ClientBulkResult(r) : null,
                        _ => throw new UnifiedAssertionException($"{name}: expected a partial result, got {outer.GetType().Name}"),
                    };
                    _matcher.AssertMatches(element.Value, partial, isRoot: true, name + " partial result");
                    break;
                case "writeErrors":
                    CheckClientWriteErrors(name, element.Value.AsDocument, outer);
                    break;
                case "writeConcernErrors":
                    CheckClientWriteConcernErrors(name, element.Value.AsArray, outer);
                    break;
                default:
                    throw new UnifiedAssertionException("Unsupported expectError field " + element.Name);
            }
        }
    }

    private Task<BsonValue?> RunEntityOperationAsync(object target, string name, BsonDocument sessionArguments)
    {
        var (entity, arguments) = BindSession(target, name, sessionArguments);
        (entity, arguments) = ApplyOperationTimeout(entity, name, arguments);
        return RunBoundOperationAsync(entity, name, arguments);
    }

    /// <summary>
    /// An operation's <c>timeoutMS</c> (client-side operations timeout): the call runs on a copy of the collection, database or
    /// bucket handle with that timeout (handles are cheap), or passes it in the call's options; anything else fails the test.
    /// </summary>
    private static (object Entity, BsonDocument Arguments) ApplyOperationTimeout(object entity, string name, BsonDocument arguments)
    {
        if (arguments.GetValueOrDefault("timeoutMS") is not { } ms)
        {
            return (entity, arguments);
        }

        if (entity is MongoSession || (entity is ClientEntity or SessionClient && name is "listDatabases" or "listDatabaseObjects" or "listDatabaseNames" or "clientBulkWrite")
            || (entity is CursorEntity && name == "close"))
        {
            // These calls take their timeout in their options or arguments (CommitTransactionOptions, AbortTransactionOptions,
            // TransactionOptions, ListDatabasesOptions, ClientBulkWriteOptions, MongoCursor.Close(timeout)).
            return (entity, arguments);
        }

        var timeout = TimeSpan.FromMilliseconds(ms.ToInt64());
        object bound = entity switch
        {
            MongoCollection<BsonDocument> collection => collection.WithTimeout(timeout),
            MongoDatabase database => database.WithTimeout(timeout),
            Mongo.GridFS.GridFSBucket bucket => bucket.WithTimeout(timeout),
            _ => throw new UnifiedAssertionException("argument timeoutMS of " + name + " on an unsupported entity " + entity.GetType().Name),
        };
        var rest = new BsonDocument();
        foreach (var argument in arguments)
        {
            if (argument.Name != "timeoutMS")
            {
                rest.Add(argument.Name, argument.Value);
            }
        }

        return (bound, rest);
    }

    /// <summary>listDatabases' options: its <c>timeoutMS</c> argument, or null.</summary>
    private static ListDatabasesOptions? ListDatabasesOptionsOf(BsonDocument arguments) =>
        arguments.GetValueOrDefault("timeoutMS") is { } ms ? new ListDatabasesOptions { Timeout = TimeSpan.FromMilliseconds(ms.ToInt64()) } : null;

    /// <summary>The <c>timeoutMode</c> argument of cursor-creating operations.</summary>
    private static CursorTimeoutMode? TimeoutMode(BsonDocument arguments) =>
        arguments.GetValueOrDefault("timeoutMode")?.AsString switch
        {
            null => null,
            "cursorLifetime" => CursorTimeoutMode.CursorLifetime,
            "iteration" => CursorTimeoutMode.Iteration,
            var other => throw new UnifiedAssertionException("Unknown timeoutMode " + other),
        };

    private Task<BsonValue?> RunBoundOperationAsync(object entity, string name, BsonDocument arguments) => entity switch
    {
        MongoSession session => SessionOperationAsync(session, name, arguments),
        SessionClient bound => ClientOperationAsync(bound.Client, name, arguments, bound.Session),
        MongoCollection<BsonDocument> collection => CollectionOperationAsync(collection, name, arguments),
        MongoDatabase database => DatabaseOperationAsync(database, name, arguments),
        ClientEntity client => ClientOperationAsync(client.Client, name, arguments, session: null),
        CursorEntity cursor => CursorOperationAsync(cursor, name, arguments),
        Mongo.GridFS.GridFSBucket bucket => BucketOperationAsync(bucket, name, arguments),
        _ => throw new UnifiedAssertionException("Operation " + name + " on an unsupported entity " + entity.GetType().Name),
    };

    private async Task<BsonValue?> ClientOperationAsync(MongoClient client, string name, BsonDocument arguments, MongoSession? session)
    {
        switch (name)
        {
            case "listDatabaseNames":
                CheckArguments(arguments, "timeoutMS");
                var namesOptions = ListDatabasesOptionsOf(arguments);
                var names = session is null
                    ? (_async ? await client.ListDatabaseNamesAsync(namesOptions) : client.ListDatabaseNames(namesOptions))
                    : (_async ? await client.ListDatabaseNamesAsync(session, namesOptions) : client.ListDatabaseNames(session, namesOptions));
                return new BsonArray(names.Select(n => (BsonValue)n));
            case "listDatabases":
            case "listDatabaseObjects":
                // The driver's ListDatabases already returns the documents, so the "objects" variant is the same call.
                CheckArguments(arguments, "filter", "timeoutMS");
                var listOptions = ListDatabasesOptionsOf(arguments);
                if (session is not null)
                {
                    return new BsonArray(_async ? await client.ListDatabasesAsync(session, FilterOrNull(arguments), listOptions) : client.ListDatabases(session, FilterOrNull(arguments), listOptions));
                }

                return new BsonArray(_async ? await client.ListDatabasesAsync(FilterOrNull(arguments), listOptions) : client.ListDatabases(FilterOrNull(arguments), listOptions));
            case "dropDatabase":
                CheckArguments(arguments, "databaseName");
                var dropped = arguments["databaseName"].AsString;
                if (session is not null)
                {
                    await Run(() => client.DropDatabase(session, dropped), () => client.DropDatabaseAsync(session, dropped));
                    return null;
                }

                await Run(() => client.DropDatabase(dropped), () => client.DropDatabaseAsync(dropped));
                return null;
            case "clientBulkWrite":
                return await ClientBulkWriteAsync(client, arguments, session);
            case "close":
                CheckArguments(arguments);
                await Run(client.Dispose, () => client.DisposeAsync().AsTask());
                return null;
            default:
                throw new UnifiedAssertionException("Unsupported client operation " + name);
        }
    }

    private async Task<BsonValue?> DatabaseOperationAsync(MongoDatabase database, string name, BsonDocument arguments)
    {
        switch (name)
        {
            case "createCollection":
                return await CreateCollectionAsync(database, arguments);
            case "modifyCollection":
                return await ModifyCollectionAsync(database, arguments);
            case "dropCollection":
                CheckArguments(arguments, "collection");
                await Run(() => database.DropCollection(arguments["collection"].AsString), () => database.DropCollectionAsync(arguments["collection"].AsString));
                return null;
            case "listCollectionNames":
                CheckArguments(arguments, "filter");
                return new BsonArray((_async ? await database.ListCollectionNamesAsync(Filter(arguments)) : database.ListCollectionNames(Filter(arguments))).Select(n => (BsonValue)n));
            case "listCollections":
            case "listCollectionObjects":
                CheckArguments(arguments, "filter", "timeoutMode", "batchSize");
                var listCollections = new ListCollectionsOptions { TimeoutMode = TimeoutMode(arguments), BatchSize = arguments.GetValueOrDefault("batchSize")?.ToInt32() };
                var collections = _async ? await database.ListCollectionsAsync(FilterOrNull(arguments), listCollections) : database.ListCollections(FilterOrNull(arguments), listCollections);
                return new BsonArray(_async ? await collections.ToListAsync() : collections.ToList());
            case "runCursorCommand":
            case "createCommandCursor":
                return await RunCursorCommandAsync(database, name, arguments);
            case "runCommand":
                // commandName is informational (the command document's first key names the command).
                CheckArguments(arguments, "command", "commandName", "readPreference");
                var readPreference = arguments.GetValueOrDefault("readPreference") is BsonDocument rp ? ParseReadPreference(rp) : null;
                return _async ? await database.RunCommandAsync(arguments["command"].AsDocument, readPreference) : database.RunCommand(arguments["command"].AsDocument, readPreference);
            case "aggregate":
                var pipeline = arguments["pipeline"].AsArray.Select(s => s.AsDocument).ToList();
                var aggregateOptions = AggregateOptions(arguments);
                var cursor = _async ? await database.AggregateAsync(pipeline, aggregateOptions) : database.Aggregate(pipeline, aggregateOptions);
                return new BsonArray(_async ? await cursor.ToListAsync() : cursor.ToList());
            default:
                throw new UnifiedAssertionException("Unsupported database operation " + name);
        }
    }

    private async Task Run(Action sync, Func<Task> async)
    {
        if (_async)
        {
            await async();
        }
        else
        {
            sync();
        }
    }

    private static FilterDefinition? FilterOrNull(BsonDocument arguments) =>
        arguments.GetValueOrDefault("filter") is BsonDocument filter ? (FilterDefinition)filter : null;

    private static FilterDefinition Filter(BsonDocument arguments) =>
        arguments.GetValueOrDefault("filter") is BsonDocument filter ? filter : FilterDefinition.Empty;

    private static AggregateOptions AggregateOptions(BsonDocument arguments)
    {
        CheckArguments(arguments, "pipeline", "allowDiskUse", "batchSize", "bypassDocumentValidation", "collation", "comment", "rawData", "hint", "let", "maxTimeMS", "timeoutMode", "maxAwaitTimeMS");
        if (arguments.Contains("maxAwaitTimeMS"))
        {
            throw new UnifiedSkipException("aggregate maxAwaitTimeMS: the driver's aggregate opens no tailable cursor (change streams are not implemented)");
        }

        return new AggregateOptions
        {
            AllowDiskUse = arguments.GetValueOrDefault("allowDiskUse")?.ToBoolean(),
            BatchSize = arguments.GetValueOrDefault("batchSize")?.ToInt32(),
            BypassDocumentValidation = arguments.GetValueOrDefault("bypassDocumentValidation")?.ToBoolean(),
            Collation = arguments.GetValueOrDefault("collation") as BsonDocument,
            Comment = arguments.GetValueOrDefault("comment"),
            RawData = Bool(arguments, "rawData") == true,
            Hint = arguments.GetValueOrDefault("hint"),
            Let = arguments.GetValueOrDefault("let") as BsonDocument,
            MaxTime = MaxTime(arguments),
            TimeoutMode = TimeoutMode(arguments),
        };
    }

    private static TimeSpan? MaxTime(BsonDocument arguments) =>
        arguments.GetValueOrDefault("maxTimeMS") is { } ms ? TimeSpan.FromMilliseconds(ms.ToInt64()) : null;

    /// <summary>Fails loudly on an argument the runner would otherwise silently ignore.</summary>
    private static void CheckArguments(BsonDocument arguments, params string[] known)
    {
        foreach (var name in arguments.Names)
        {
            if (Array.IndexOf(known, name) < 0)
            {
                throw new UnifiedAssertionException("Unsupported argument '" + name + "'");
            }
        }
    }

    internal static BsonDocument BulkResult(BulkWriteResult result)
    {
        var insertedIds = new BsonDocument();
        foreach (var pair in result.InsertedIds.OrderBy(p => p.Key))
        {
            insertedIds.Add(pair.Key.ToString(System.Globalization.CultureInfo.InvariantCulture), pair.Value);
        }

        var upsertedIds = new BsonDocument();
        foreach (var upsert in result.Upserts)
        {
            upsertedIds.Add(upsert.Index.ToString(System.Globalization.CultureInfo.InvariantCulture), upsert.Id);
        }

        return new BsonDocument
        {
            { "deletedCount", result.DeletedCount },
            { "insertedCount", result.InsertedCount },
            { "insertedIds", insertedIds },
            { "matchedCount", result.MatchedCount },
            { "modifiedCount", result.ModifiedCount },
            { "upsertedCount", result.UpsertedCount },
            { "upsertedIds", upsertedIds },
        };
    }
}
