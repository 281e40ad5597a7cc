using Mongo.Bson;
using Mongo.Driver;

namespace Mongo.Testing.Unified;

/// <summary>Session entities, the <c>session</c> operation argument and the session assertions of the unified format.</summary>
public sealed partial class UnifiedTestRunner
{
    /// <summary>A client entity bound to a session by an operation's <c>session</c> argument (clientBulkWrite takes one).</summary>
    private sealed record SessionClient(MongoClient Client, MongoSession Session);

    private MongoSession CreateSession(BsonDocument spec)
    {
        var client = _clients[spec["client"].AsString].Client;
        var options = spec.GetValueOrDefault("sessionOptions") as BsonDocument ?? [];
        foreach (var option in options.Names)
        {
            switch (option)
            {
                case "causalConsistency" or "snapshot" or "defaultTransactionOptions" or "defaultTimeoutMS" or "snapshotTime":
                    break;
                default:
                    throw new UnifiedAssertionException("Unsupported session option " + option);
            }
        }

        return client.StartSession(new SessionOptions
        {
            CausalConsistency = options.GetValueOrDefault("causalConsistency")?.ToBoolean(),
            Snapshot = options.GetValueOrDefault("snapshot")?.ToBoolean() ?? false,
            DefaultTransactionOptions = options.GetValueOrDefault("defaultTransactionOptions") is BsonDocument defaults ? ParseTransactionOptions(defaults) : null,
            DefaultTimeout = options.GetValueOrDefault("defaultTimeoutMS") is { } timeout ? TimeSpan.FromMilliseconds(timeout.ToInt64()) : null,
            SnapshotTime = options.GetValueOrDefault("snapshotTime") is { } time ? SavedTimestamp(time) : null,
        });
    }

    /// <summary>A sessionOptions <c>snapshotTime</c>: the name of an entity a getSnapshotTime saved (or a timestamp given as is).</summary>
    private BsonTimestamp SavedTimestamp(BsonValue value) => value switch
    {
        BsonTimestamp timestamp => timestamp,
        BsonString name when _entities.TryGetValue(name.Value, out object? entity) => entity as BsonTimestamp
            ?? throw new UnifiedAssertionException($"snapshotTime entity {name.Value} is a {entity.GetType().Name}, not a timestamp"),
        BsonString name => throw new UnifiedAssertionException("snapshotTime names no saved entity: " + name.Value),
        _ => throw new UnifiedAssertionException("snapshotTime is neither an entity name nor a timestamp: " + value),
    };

    /// <summary>TransactionOptions from startTransaction's or withTransaction's arguments (or defaultTransactionOptions).</summary>
    private static TransactionOptions ParseTransactionOptions(BsonDocument arguments, params string[] others)
    {
        CheckArguments(arguments, [.. others, "readConcern", "writeConcern", "readPreference", "maxCommitTimeMS", "timeoutMS"]);
        return new TransactionOptions
        {
            ReadConcern = arguments.GetValueOrDefault("readConcern") is BsonDocument rc ? ParseReadConcern(rc) : null,
            WriteConcern = arguments.GetValueOrDefault("writeConcern") is BsonDocument wc ? ParseWriteConcern(wc) : null,
            ReadPreference = arguments.GetValueOrDefault("readPreference") is BsonDocument rp ? ParseReadPreference(rp) : null,
            MaxCommitTime = arguments.GetValueOrDefault("maxCommitTimeMS") is { } ms ? TimeSpan.FromMilliseconds(ms.ToInt64()) : null,
            Timeout = arguments.GetValueOrDefault("timeoutMS") is { } timeout ? TimeSpan.FromMilliseconds(timeout.ToInt64()) : null,
        };
    }

    /// <summary>The <c>session</c> argument: the entity bound to that session (WithSession), and the other arguments.</summary>
    private (object Entity, BsonDocument Arguments) BindSession(object entity, string name, BsonDocument arguments)
    {
        if (arguments.GetValueOrDefault("session") is not BsonString sessionId)
        {
            return (entity, arguments);
        }

        var session = (MongoSession)_entities[sessionId.Value];
        var rest = new BsonDocument();
        foreach (var argument in arguments)
        {
            if (argument.Name != "session")
            {
                rest.Add(argument.Name, argument.Value);
            }
        }

        object bound = entity switch
        {
            MongoCollection<BsonDocument> collection => collection.WithSession(session),
            MongoDatabase database => database.WithSession(session),
            ClientEntity client when name is "clientBulkWrite" or "listDatabases" or "listDatabaseObjects" or "listDatabaseNames" or "dropDatabase" => new SessionClient(client.Client, session),
            _ => throw new UnifiedSkipException($"operation {name} with a session: the driver binds sessions to databases and collections (WithSession) and takes one in client bulk writes, listDatabases and dropDatabase; {entity.GetType().Name}.{name} takes none"),
        };
        return (bound, rest);
    }

    private async Task<BsonValue?> SessionOperationAsync(MongoSession session, string name, BsonDocument arguments)
    {
        switch (name)
        {
            case "endSession":
                CheckArguments(arguments);
                await Run(session.Dispose, () => session.DisposeAsync().AsTask());
                return null;
            case "startTransaction":
                session.StartTransaction(arguments.ElementCount == 0 ? null : ParseTransactionOptions(arguments));
                return null;
            case "commitTransaction":
                CheckArguments(arguments, "timeoutMS");
                var commit = new CommitTransactionOptions { Timeout = CallTimeout(arguments) };
                await Run(() => session.CommitTransaction(commit), () => session.CommitTransactionAsync(commit));
                return null;
            case "abortTransaction":
                CheckArguments(arguments, "timeoutMS");
                var abort = new AbortTransactionOptions { Timeout = CallTimeout(arguments) };
                await Run(() => session.AbortTransaction(abort), () => session.AbortTransactionAsync(abort));
                return null;
            case "withTransaction":
                await WithTransactionAsync(session, arguments);
                return null;
            case "getSnapshotTime":
                CheckArguments(arguments);
                return session.SnapshotTime;
            default:
                throw new UnifiedAssertionException("Unsupported session operation " + name);
        }
    }

    /// <summary>A session call's own <c>timeoutMS</c> argument, or null.</summary>
    private static TimeSpan? CallTimeout(BsonDocument arguments) =>
        arguments.GetValueOrDefault("timeoutMS") is { } ms ? TimeSpan.FromMilliseconds(ms.ToInt64()) : null;

    /// <summary>withTransaction: the callback runs the listed operations; an error one of them does not expect propagates to withTransaction as is.</summary>
    private async Task WithTransactionAsync(MongoSession session, BsonDocument arguments)
    {
        var callback = arguments["callback"].AsArray.Select(o => o.AsDocument).ToList();
        var options = ParseTransactionOptions(arguments, "callback");
        bool hasOptions = arguments.ElementCount > 1;
        async Task RunCallbackAsync()
        {
            _callbackDepth++;
            try
            {
                foreach (var operation in callback)
                {
                    await RunOperationAsync(operation);
                }
            }
            finally
            {
                _callbackDepth--;
            }
        }

        if (_async)
        {
            await session.WithTransactionAsync((_, _) => RunCallbackAsync(), hasOptions ? options : null);
        }
        else
        {
            session.WithTransaction((_, _) => RunCallbackAsync().GetAwaiter().GetResult(), hasOptions ? options : null);
        }
    }

    /// <summary>Runs the testRunner operations about sessions; false when <paramref name="name"/> is not one.</summary>
    private bool TryRunSessionAssertion(string name, BsonDocument arguments)
    {
        switch (name)
        {
            case "assertSessionDirty":
            case "assertSessionNotDirty":
                var session = (MongoSession)_entities[arguments["session"].AsString];
                if (session.IsDirty != (name == "assertSessionDirty"))
                {
                    throw new UnifiedAssertionException(name + " failed: the session is " + (session.IsDirty ? "dirty" : "not dirty"));
                }

                return true;
            case "assertSameLsidOnLastTwoCommands":
            case "assertDifferentLsidOnLastTwoCommands":
                var started = _clients[arguments["client"].AsString].Observed("command").Where(e => e.Name == "commandStartedEvent").ToList();
                if (started.Count < 2)
                {
                    throw new UnifiedAssertionException(name + ": fewer than two commandStartedEvents");
                }

                var last = started[^1].Fields["command"].AsDocument.GetValueOrDefault("lsid");
                var previous = started[^2].Fields["command"].AsDocument.GetValueOrDefault("lsid");
                bool same = last is not null && last.Equals(previous);
                if (same != (name == "assertSameLsidOnLastTwoCommands"))
                {
                    throw new UnifiedAssertionException($"{name} failed: {previous} then {last}");
                }

                return true;
            case "assertSessionTransactionState":
                var inState = (MongoSession)_entities[arguments["session"].AsString];
                var actual = inState.TransactionState switch
                {
                    TransactionState.None => "none",
                    TransactionState.Starting => "starting",
                    TransactionState.InProgress => "in_progress",
                    TransactionState.Committed => "committed",
                    TransactionState.Aborted => "aborted",
                    var other => other.ToString(),
                };
                if (actual != arguments["state"].AsString)
                {
                    throw new UnifiedAssertionException($"assertSessionTransactionState: expected {arguments["state"]}, the session is {actual}");
                }

                return true;
            case "assertSessionPinned":
            case "assertSessionUnpinned":
                var pinned = ((MongoSession)_entities[arguments["session"].AsString]).PinnedServer;
                if ((pinned is not null) != (name == "assertSessionPinned"))
                {
                    throw new UnifiedAssertionException(name + " failed: the session is " + (pinned is null ? "not pinned" : "pinned to " + pinned));
                }

                return true;
            default:
                return false;
        }
    }
}
