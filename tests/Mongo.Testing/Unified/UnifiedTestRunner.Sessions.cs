using Mongo.Bson;
using Mongo.Driver;

namespace Mongo.Testing.Unified;

/// <summary>Session entities, the <c>session</c> operation argument and the session assertions of the unified format.</summary>
public sealed partial class UnifiedTestRunner
{
    private MongoSession CreateSession(BsonDocument spec)
    {
        var client = _clients[spec["client"].AsString].Client;
        var options = spec.GetValueOrDefault("sessionOptions") as BsonDocument ?? [];
        foreach (var option in options.Names)
        {
            switch (option)
            {
                case "causalConsistency" or "snapshot":
                    break;
                case "defaultTransactionOptions":
                    throw new UnifiedSkipException("session option defaultTransactionOptions: transactions are not implemented");
                case "snapshotTime":
                    throw new UnifiedSkipException("session option snapshotTime: the driver does not let a snapshot session start at a chosen time");
                default:
                    throw new UnifiedAssertionException("Unsupported session option " + option);
            }
        }

        return client.StartSession(new SessionOptions
        {
            CausalConsistency = options.GetValueOrDefault("causalConsistency")?.ToBoolean(),
            Snapshot = options.GetValueOrDefault("snapshot")?.ToBoolean() ?? false,
        });
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
            _ => throw new UnifiedSkipException($"operation {name} with a session: the driver binds sessions to databases and collections (WithSession); {entity.GetType().Name} operations take none"),
        };
        return (bound, rest);
    }

    private Task<BsonValue?> SessionOperationAsync(MongoSession session, string name)
    {
        switch (name)
        {
            case "endSession":
                session.Dispose();
                return Task.FromResult<BsonValue?>(null);
            case "startTransaction" or "commitTransaction" or "abortTransaction" or "withTransaction":
                throw new UnifiedSkipException("operation " + name + ": transactions are not implemented");
            case "getSnapshotTime":
                throw new UnifiedSkipException("operation getSnapshotTime: the driver does not expose a snapshot session's time");
            default:
                throw new UnifiedAssertionException("Unsupported session operation " + name);
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
            case "assertSessionPinned":
            case "assertSessionUnpinned":
                throw new UnifiedSkipException("testRunner operation " + name + ": transactions are not implemented");
            default:
                return false;
        }
    }
}
