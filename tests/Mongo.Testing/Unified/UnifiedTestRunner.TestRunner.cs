using System.Diagnostics;
using Mongo.Bson;
using Mongo.Driver;

namespace Mongo.Testing.Unified;

public sealed partial class UnifiedTestRunner
{
    /// <summary>How long waitForEvent waits before failing (the spec suggests 10 seconds).</summary>
    private static readonly TimeSpan s_waitForEventTimeout = TimeSpan.FromSeconds(10);

    /// <summary>The special operations whose object is <c>testRunner</c>.</summary>
    private async Task<BsonValue?> RunTestRunnerOperationAsync(string name, BsonDocument arguments)
    {
        switch (name)
        {
            case "failPoint":
                CheckArguments(arguments, "client", "failPoint");
                var entity = _clients[arguments["client"].AsString];
                var command = arguments["failPoint"].AsDocument;

                // Its command events are filtered out (ClientEntity.Observed); its CMAP events count, as in other runners
                // (handshakeError.json expects the failPoint's own checkout among connectionCheckOutStartedEvents).
                await entity.Client.GetDatabase("admin").RunCommandAsync(command);
                _failPoints.Add((entity.Client, command, null));
                return null;
            case "targetedFailPoint":
                // On the mongos the session is pinned to (unified format: an unpinned session is an error in the test).
                CheckArguments(arguments, "session", "failPoint");
                var session = (MongoSession)_entities[arguments["session"].AsString];
                var server = session.PinnedServer ?? throw new UnifiedAssertionException("targetedFailPoint: the session is not pinned to a server");
                var targeted = arguments["failPoint"].AsDocument;
                await RunAdminCommandAsync(session.Client, targeted, server);
                _failPoints.Add((session.Client, targeted, server));
                return null;
            case "createEntities":
                CheckArguments(arguments, "entities");
                CreateEntities(arguments["entities"].AsArray);
                return null;
            case "assertNumberConnectionsCheckedOut":
                CheckArguments(arguments, "client", "connections");
                var checkedOut = _clients[arguments["client"].AsString].Recorder.CheckedOut;
                if (checkedOut != arguments["connections"].ToInt32())
                {
                    throw new UnifiedAssertionException($"expected {arguments["connections"]} connections checked out, got {checkedOut}");
                }

                return null;
            case "waitForEvent":
                CheckArguments(arguments, "client", "event", "count");
                await WaitForEventAsync(_clients[arguments["client"].AsString], arguments["event"].AsDocument, arguments["count"].ToInt32());
                return null;
            case "assertEventCount":
                CheckArguments(arguments, "client", "event", "count");
                var count = CountEvents(_clients[arguments["client"].AsString], arguments["event"].AsDocument);
                if (count != arguments["count"].ToInt32())
                {
                    throw new UnifiedAssertionException($"expected {arguments["count"]} {arguments["event"]} events, got {count}");
                }

                return null;
            case "assertCollectionExists":
            case "assertCollectionNotExists":
                CheckArguments(arguments, "databaseName", "collectionName");
                var names = await _admin.GetDatabase(arguments["databaseName"].AsString).ListCollectionNamesAsync();
                if (names.Contains(arguments["collectionName"].AsString) != (name == "assertCollectionExists"))
                {
                    throw new UnifiedAssertionException($"{name} failed for {arguments["databaseName"]}.{arguments["collectionName"]}: the collections are [{string.Join(", ", names)}]");
                }

                return null;
            case "assertIndexExists":
            case "assertIndexNotExists":
                CheckArguments(arguments, "databaseName", "collectionName", "indexName");
                var collection = _admin.GetDatabase(arguments["databaseName"].AsString).GetCollection(arguments["collectionName"].AsString);
                List<BsonDocument> indexes;
                try
                {
                    indexes = await collection.ListIndexesAsync();
                }
                catch (MongoServerException ex) when (ex.Code == 26)
                {
                    indexes = []; // NamespaceNotFound: no collection, so no index
                }

                bool exists = indexes.Any(i => i.GetValueOrDefault("name") is BsonString { } indexName && indexName.Value == arguments["indexName"].AsString);
                if (exists != (name == "assertIndexExists"))
                {
                    throw new UnifiedAssertionException($"{name} failed for index {arguments["indexName"]} of {arguments["collectionName"]}: the indexes are [{string.Join(", ", indexes.Select(i => i.GetValueOrDefault("name")))}]");
                }

                return null;
            default:
                if (TryRunSessionAssertion(name, arguments) || await TryRunSdamOperationAsync(name, arguments))
                {
                    return null;
                }

                throw new UnifiedSkipException("testRunner operation " + name + " is not supported by this runner");
        }
    }

    /// <summary>An admin command sent to one server (the fail points of targetedFailPoint) or, without one, as runCommand sends it.</summary>
    private static async Task RunAdminCommandAsync(MongoClient client, BsonDocument command, MongoServerAddress? server)
    {
        if (server is null)
        {
            await client.GetDatabase("admin").RunCommandAsync(command);
            return;
        }

        var message = new Mongo.Driver.Operations.RunCommand("admin", command, readPreference: null) { PinnedServer = server };
        var response = await client.Executor.ExecuteAsync(async: true, message, CancellationToken.None);
        response.Session?.Release();
    }

    private async Task WaitForEventAsync(ClientEntity client, BsonDocument expected, int count)
    {
        var waited = Stopwatch.StartNew();
        while (CountEvents(client, expected) < count)
        {
            if (waited.Elapsed > s_waitForEventTimeout)
            {
                throw new UnifiedAssertionException($"waitForEvent: fewer than {count} {expected} events after {s_waitForEventTimeout.TotalSeconds} s");
            }

            await Task.Delay(10);
        }
    }

    /// <summary>Events of any category matching <paramref name="expected"/>; waitForEvent and assertEventCount see every event, observed or not.</summary>
    private int CountEvents(ClientEntity client, BsonDocument expected) =>
        client.Recorder.Events.Count(e => EventMismatch(expected, e) is null);
}
