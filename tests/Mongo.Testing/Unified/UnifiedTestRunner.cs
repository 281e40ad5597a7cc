using Mongo.Bson;
using Mongo.Driver;
using Mongo.Driver.Operations;

namespace Mongo.Testing.Unified;

/// <summary>
/// Runs one test of a file in MongoDB's unified test format: checks runOnRequirements, loads initialData,
/// creates entities, runs the operations (sync or async API), and checks expectResult/expectError,
/// expectEvents and outcome. Throws <see cref="UnifiedSkipException"/> when a test cannot run here (with the
/// reason) and <see cref="UnifiedAssertionException"/> when an expectation fails.
/// </summary>
public sealed partial class UnifiedTestRunner : IAsyncDisposable
{
    private readonly string _connectionString;
    private readonly bool _inMemory;
    private readonly MongoClient _admin;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, object> _entities = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ClientEntity> _clients = new(StringComparer.Ordinal);
    private readonly List<(MongoClient Client, BsonDocument Command, MongoServerAddress? Server)> _failPoints = [];
    private readonly Dictionary<string, BsonDocument> _sessionLsids = new(StringComparer.Ordinal);
    private readonly UnifiedMatcher _matcher;
    private bool _async;

    // withTransaction callbacks being run (an unexpected error inside one propagates as is).
    private int _callbackDepth;

    /// <summary>
    /// Whether clients of tests that configure fail points (and name neither heartbeatFrequencyMS nor
    /// serverMonitoringMode) poll instead of streaming: for suites about retries and transactions, not monitoring, where
    /// each state-change error would otherwise cost a heartbeatFrequencyMS wait before the retry finds the server again.
    /// </summary>
    public bool PollingMonitorsInFailPointTests { get; init; }

    /// <summary>Creates a runner for the server at <paramref name="connectionString"/>; <paramref name="inMemory"/> applies <see cref="UnifiedSkips.InMemoryLimitations"/>.</summary>
    public UnifiedTestRunner(string connectionString, bool inMemory)
    {
        _connectionString = connectionString;
        _inMemory = inMemory;
        // The runner's own client (initial data, outcome, session cleanup) never appears in a test's traces.
        var adminSettings = MongoClientSettings.FromConnectionString(connectionString);
        adminSettings.TracingEnabled = false;
        _admin = new MongoClient(adminSettings);
        _matcher = new UnifiedMatcher(id => _sessionLsids.TryGetValue(id, out var lsid) ? lsid : _entities.TryGetValue(id, out var e) ? e as BsonValue : null);
    }

    /// <summary>The test cases of every file in a folder: (relative file path, test index, description).</summary>
    public static IEnumerable<object[]> Cases(string specFolder)
    {
        var root = SpecData.Folder(specFolder);
        if (root is null)
        {
            yield return [specFolder + " (spec data missing)", -1, SpecData.Root is null ? SpecData.MissingReason
                : "the spec data at " + SpecData.Root + " has no " + specFolder + " folder (MONGO_SPECS_DIR may point at a copy that has it)"];
            yield break;
        }

        foreach (var file in Directory.GetFiles(root, "*.json").Order(StringComparer.Ordinal))
        {
            var document = BsonDocument.Parse(File.ReadAllText(file));
            var tests = document["tests"].AsArray;
            for (int i = 0; i < tests.Count; i++)
            {
                yield return [Path.Combine(specFolder, Path.GetFileName(file)), i, tests[i].AsDocument["description"].AsString];
            }
        }
    }

    /// <summary>Runs one test; <paramref name="async"/> picks the driver's async or sync API.</summary>
    public Task RunAsync(string relativeFile, int index, bool async) =>
        RunFileAsync(Path.Combine(SpecData.Root ?? throw new UnifiedSkipException(SpecData.MissingReason), relativeFile), index, async);

    /// <summary>Runs test <paramref name="index"/> of the unified test file at <paramref name="path"/> (any folder).</summary>
    public async Task RunFileAsync(string path, int index, bool async)
    {
        _async = async;
        var relativeFile = Path.GetFileName(path);
        var file = BsonDocument.Parse(await File.ReadAllTextAsync(path));
        var test = file["tests"].AsArray[index].AsDocument;
        var key = Path.GetFileName(relativeFile) + ": " + test["description"].AsString;
        CheckFileKeys(file);
        CheckSchemaVersion(file.GetValueOrDefault("schemaVersion"));
        if (UnifiedSkips.Files.TryGetValue(Path.GetFileName(relativeFile), out var listed) || UnifiedSkips.Tests.TryGetValue(key, out listed))
        {
            throw new UnifiedSkipException(listed);
        }

        if (_inMemory && (UnifiedSkips.InMemoryLimitations.TryGetValue(Path.GetFileName(relativeFile), out listed) || UnifiedSkips.InMemoryLimitations.TryGetValue(key, out listed)))
        {
            throw new UnifiedSkipException(listed);
        }

        if (test.TryGetValue("skipReason", out var skipReason))
        {
            throw new UnifiedSkipException("the test file says: " + skipReason.AsString);
        }

        CheckTestKeys(test);
        CheckRequirementKeys(file.GetValueOrDefault("runOnRequirements") as BsonArray);
        CheckRequirementKeys(test.GetValueOrDefault("runOnRequirements") as BsonArray);
        _usesFailPoints = UsesFailPoints(test["operations"].AsArray);

        var server = await ServerInfo.GetAsync(_admin);
        _topology = server.Topology;
        server.CheckRequirements(file.GetValueOrDefault("runOnRequirements") as BsonArray, "file", _admin);
        server.CheckRequirements(test.GetValueOrDefault("runOnRequirements") as BsonArray, "test", _admin);
        foreach (var operation in test["operations"].AsArray)
        {
            var name = operation.AsDocument["name"].AsString;
            if (UnifiedSkips.Operations.TryGetValue(name, out var reason))
            {
                throw new UnifiedSkipException("operation " + name + ": " + reason);
            }

            // testRunner operations take their own arguments (waitForPrimaryChange's timeoutMS is not CSOT's).
            if (operation.AsDocument["object"].AsString != "testRunner" && operation.AsDocument.GetValueOrDefault("arguments") is BsonDocument arguments)
            {
                foreach (var argument in arguments.Names)
                {
                    if (UnifiedSkips.Arguments.TryGetValue(argument, out reason))
                    {
                        throw new UnifiedSkipException("argument " + argument + ": " + reason);
                    }
                }
            }
        }

        try
        {
            await KillAllSessionsAsync();
            if (file.GetValueOrDefault("initialData") is BsonArray initialData)
            {
                await LoadInitialDataAsync(initialData);
            }
            else
            {
                await DropEntityCollectionsAsync(file.GetValueOrDefault("createEntities") as BsonArray);
            }

            CreateEntities(file.GetValueOrDefault("createEntities") as BsonArray);
            StartTracing(test);
            try
            {
                foreach (var operation in test["operations"].AsArray)
                {
                    await RunOperationAsync(operation.AsDocument);
                }
            }
            finally
            {
                StopTracing();
            }

            foreach (var client in _clients.Values)
            {
                client.Recorder.Enabled = false;
                if (client.Logs is { } logs)
                {
                    logs.Enabled = false;
                }
            }

            if (test.GetValueOrDefault("expectEvents") is BsonArray expectEvents)
            {
                CheckEvents(expectEvents);
            }

            if (test.GetValueOrDefault("expectLogMessages") is BsonArray expectLogMessages)
            {
                CheckLogMessages(expectLogMessages);
            }

            if (test.GetValueOrDefault("expectTracingMessages") is { } expectTracingMessages)
            {
                CheckTracingMessages(expectTracingMessages);
            }

            if (test.GetValueOrDefault("outcome") is BsonArray outcome)
            {
                await CheckOutcomeAsync(outcome);
            }
        }
        finally
        {
            await DisableFailPointsAsync();
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await StopThreadsAsync();
        foreach (var cursor in _entities.Values.OfType<CursorEntity>())
        {
            try
            {
                await cursor.DisposeAsync();
            }
            catch (MongoException)
            {
                // Best effort: closing the client below releases what the server still holds.
            }
        }

        foreach (var session in _entities.Values.OfType<MongoSession>())
        {
            await session.DisposeAsync();
        }

        foreach (var client in _clients.Values)
        {
            await client.Client.DisposeAsync();
        }

        await _admin.DisposeAsync();
    }

    /// <summary>
    /// Files without initialData (e.g. insertOne-rawdata.json) assume a collection that no earlier run has written to.
    /// Against a real server each test runs once, but this runner runs every test twice (sync and async) on one server,
    /// so the first run's inserts would collide with the second's: start those files from empty collections.
    /// </summary>
    private async Task DropEntityCollectionsAsync(BsonArray? entities)
    {
        var databases = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var entity in entities ?? [])
        {
            if (entity.AsDocument.GetValueOrDefault("database") is BsonDocument database)
            {
                databases[database["id"].AsString] = database["databaseName"].AsString;
            }
            else if (entity.AsDocument.GetValueOrDefault("collection") is BsonDocument collection
                && databases.TryGetValue(collection["database"].AsString, out var databaseName)
                && databaseName is not ("admin" or "config" or "local"))
            {
                await _admin.GetDatabase(databaseName).WithWriteConcern(WriteConcern.WMajority).DropCollectionAsync(collection["collectionName"].AsString);
            }
        }
    }

    private async Task LoadInitialDataAsync(BsonArray? initialData)
    {
        if (initialData is null)
        {
            return;
        }

        foreach (var item in initialData)
        {
            var data = item.AsDocument;
            CheckArguments(data, "collectionName", "databaseName", "documents", "createOptions");
            var database = _admin.GetDatabase(data["databaseName"].AsString).WithWriteConcern(WriteConcern.WMajority);
            var name = data["collectionName"].AsString;
            await database.DropCollectionAsync(name);
            var createOptions = data.GetValueOrDefault("createOptions") as BsonDocument;
            var documents = data["documents"].AsArray;
            if (documents.Count == 0 || createOptions is not null)
            {
                await database.CreateCollectionAsync(name, createOptions is null ? null : new CreateCollectionOptions { Extra = createOptions });
            }

            if (documents.Count > 0)
            {
                await database.GetCollection(name).InsertManyAsync(documents.Select(d => d.AsDocument.DeepClone().AsDocument));
            }
        }
    }

    private void CreateEntities(BsonArray? entities)
    {
        if (entities is null)
        {
            return;
        }

        foreach (var item in entities)
        {
            var element = item.AsDocument.GetElement(0);
            var spec = element.Value.AsDocument;
            CheckEntityKeys(element.Name, spec);
            var id = spec["id"].AsString;
            switch (element.Name)
            {
                case "client":
                    var client = CreateClient(spec);
                    _clients[id] = client;
                    _entities[id] = client;
                    break;
                case "database":
                    var owner = _clients[spec["client"].AsString];
                    var database = owner.Client.GetDatabase(spec["databaseName"].AsString);
                    if (spec.GetValueOrDefault("databaseOptions") is BsonDocument databaseOptions)
                    {
                        database = ApplyOptions(database, databaseOptions);
                    }

                    _entities[id] = database;
                    break;
                case "collection":
                    var parent = (MongoDatabase)_entities[spec["database"].AsString];
                    var collection = parent.GetCollection(spec["collectionName"].AsString);
                    if (spec.GetValueOrDefault("collectionOptions") is BsonDocument collectionOptions)
                    {
                        collection = ApplyOptions(collection, collectionOptions);
                    }

                    _entities[id] = collection;
                    break;
                case "session":
                    _entities[id] = CreateSession(spec);
                    _sessionLsids[id] = ((MongoSession)_entities[id]).Id;
                    break;
                case "bucket":
                    _entities[id] = CreateBucket((MongoDatabase)_entities[spec["database"].AsString], spec.GetValueOrDefault("bucketOptions") as BsonDocument);
                    break;
                case "thread":
                    _entities[id] = new ThreadEntity(id);
                    break;
                default:
                    throw UnifiedSkips.Entities.TryGetValue(element.Name, out var reason)
                        ? new UnifiedSkipException("entity " + element.Name + ": " + reason)
                        : new UnifiedAssertionException("Unknown entity type " + element.Name);
            }
        }
    }

    private ClientEntity CreateClient(BsonDocument spec)
    {
        CheckClientKeys(spec);
        CheckMultipleMongoses(spec);
        var connectionString = SingleMongosUnlessAsked(spec, _connectionString);
        if (spec.GetValueOrDefault("uriOptions") is BsonDocument uriOptions)
        {
            foreach (var option in uriOptions)
            {
                var value = option.Value switch
                {
                    BsonBoolean b => b.Value ? "true" : "false",
                    BsonString s => s.Value,
                    var other => other.ToString(),
                };
                connectionString += (connectionString.Contains('?', StringComparison.Ordinal) ? "&" : connectionString.EndsWith('/') ? "?" : "/?") + option.Name + "=" + Uri.EscapeDataString(value ?? "");
            }
        }

        if (spec.Contains("serverApi"))
        {
            throw new UnifiedSkipException("client serverApi options are not supported by this runner");
        }

        var settings = MongoClientSettings.FromConnectionString(connectionString);

        // The SDAM spec lets test runners lower minHeartbeatFrequencyMS: tests that mark a server Unknown (state-change
        // errors, network errors) would otherwise wait half a second each for the monitor to rediscover it.
        settings.MinHeartbeatFrequency = TimeSpan.FromMilliseconds(20);
        if (_usesFailPoints && (spec.GetValueOrDefault("uriOptions") as BsonDocument)?.Contains("heartbeatFrequencyMS") != true)
        {
            // The unified format lets runners lower heartbeatFrequencyMS for tests that configure fail points, unless the
            // client names it: a streaming monitor otherwise meets a fail point on hello only when its current awaitable
            // hello ends, up to 10 s later (500 ms is the least the SDAM spec permits).
            settings.HeartbeatFrequency = TimeSpan.FromMilliseconds(500);
            if (PollingMonitorsInFailPointTests && (spec.GetValueOrDefault("uriOptions") as BsonDocument)?.Contains("serverMonitoringMode") != true)
            {
                // A streaming monitor ignores the check a state-change error requests and sees the server again only at
                // its next pushed reply, heartbeatFrequencyMS later: half a second per such error. Suites that are not
                // about monitoring opt in to polling monitors, whose requested check runs after minHeartbeatFrequencyMS.
                settings.ServerMonitoringMode = ServerMonitoringMode.Poll;
            }
        }

        ObserveTracingMessages(spec["id"].AsString, settings, spec.GetValueOrDefault("observeTracingMessages"));
        var recorder = new ClientEventRecorder(settings);
        var logs = ObserveLogMessages(settings, spec.GetValueOrDefault("observeLogMessages") as BsonDocument);
        var observe = new HashSet<string>(StringComparer.Ordinal);
        if (spec.GetValueOrDefault("observeEvents") is BsonArray events)
        {
            foreach (var name in events)
            {
                observe.Add(name.AsString);
            }
        }

        var ignore = new HashSet<string>(StringComparer.Ordinal);
        if (spec.GetValueOrDefault("ignoreCommandMonitoringEvents") is BsonArray ignored)
        {
            foreach (var name in ignored)
            {
                ignore.Add(name.AsString);
            }
        }

        bool observeSensitive = spec.GetValueOrDefault("observeSensitiveCommands")?.ToBoolean() ?? false;
        var entity = new ClientEntity(new MongoClient(settings), recorder, observe, ignore, observeSensitive) { Logs = logs };
        if (spec.GetValueOrDefault("awaitMinPoolSizeMS") is { } awaitMinPoolSize)
        {
            AwaitMinPoolSize(entity.Client, settings.MinPoolSize, TimeSpan.FromMilliseconds(awaitMinPoolSize.ToInt64()));
        }

        return entity;
    }

    /// <summary>
    /// awaitMinPoolSizeMS: waits until the pool of every data-bearing server the client knows holds minPoolSize connections
    /// (filled in the background), and fails the test when that takes longer than the given time.
    /// </summary>
    private static void AwaitMinPoolSize(MongoClient client, int minPoolSize, TimeSpan limit)
    {
        var cluster = ((Mongo.Driver.Operations.OperationExecutor)client.Executor).Cluster;
        var deadline = DateTime.UtcNow + limit;
        while (true)
        {
            var servers = cluster.Servers.Where(server => server.Description.IsDataBearing).ToList();
            if (servers.Count > 0 && servers.All(server => server.Pool.Counts.Total >= minPoolSize))
            {
                return;
            }

            if (DateTime.UtcNow >= deadline)
            {
                throw new UnifiedAssertionException("awaitMinPoolSizeMS: the pools did not reach minPoolSize " + minPoolSize + " within " + limit.TotalMilliseconds + " ms");
            }

            Thread.Sleep(10);
        }
    }

    private static MongoDatabase ApplyOptions(MongoDatabase database, BsonDocument options)
    {
        foreach (var option in options)
        {
            database = option.Name switch
            {
                "readConcern" => database.WithReadConcern(ParseReadConcern(option.Value.AsDocument)),
                "writeConcern" => database.WithWriteConcern(ParseWriteConcern(option.Value.AsDocument)),
                "readPreference" => database.WithReadPreference(ParseReadPreference(option.Value.AsDocument)),
                "timeoutMS" => database.WithTimeout(TimeSpan.FromMilliseconds(option.Value.ToInt64())),
                _ => throw new UnifiedAssertionException("Unsupported database option " + option.Name),
            };
        }

        return database;
    }

    private static MongoCollection<BsonDocument> ApplyOptions(MongoCollection<BsonDocument> collection, BsonDocument options)
    {
        foreach (var option in options)
        {
            collection = option.Name switch
            {
                "readConcern" => collection.WithReadConcern(ParseReadConcern(option.Value.AsDocument)),
                "writeConcern" => collection.WithWriteConcern(ParseWriteConcern(option.Value.AsDocument)),
                "readPreference" => collection.WithReadPreference(ParseReadPreference(option.Value.AsDocument)),
                "timeoutMS" => collection.WithTimeout(TimeSpan.FromMilliseconds(option.Value.ToInt64())),
                _ => throw new UnifiedAssertionException("Unsupported collection option " + option.Name),
            };
        }

        return collection;
    }

    internal static ReadConcern ParseReadConcern(BsonDocument document) =>
        new(document.GetValueOrDefault("level")?.AsString);

    internal static WriteConcern ParseWriteConcern(BsonDocument document)
    {
        WriteConcernW? w = document.GetValueOrDefault("w") switch
        {
            null => (WriteConcernW?)null,
            BsonString s => WriteConcernW.FromMode(s.Value),
            var n => WriteConcernW.FromNumber(n.ToInt32()),
        };
        TimeSpan? timeout = document.GetValueOrDefault("wtimeoutMS") is { } t ? TimeSpan.FromMilliseconds(t.ToInt64()) : null;
        bool? journal = document.GetValueOrDefault("journal") is { } j ? j.ToBoolean() : null;
        return new WriteConcern(w, timeout, journal);
    }

    internal static ReadPreference ParseReadPreference(BsonDocument document)
    {
        var modeName = document["mode"].AsString;
        if (!ReadPreference.TryParseMode(modeName, out var mode))
        {
            throw new UnifiedAssertionException("Unknown read preference mode " + modeName);
        }

        List<TagSet>? tagSets = null;
        if (document.GetValueOrDefault("tagSets") is BsonArray sets)
        {
            tagSets = sets.Select(set => new TagSet(set.AsDocument.Select(tag => new ReadPreferenceTag(tag.Name, tag.Value.AsString)))).ToList();
        }

        TimeSpan? maxStaleness = document.GetValueOrDefault("maxStalenessSeconds") is { IsNumeric: true } seconds && seconds.ToInt64() > 0
            ? TimeSpan.FromSeconds(seconds.ToInt64())
            : null;
        return new ReadPreference(mode, tagSets, maxStaleness);
    }

    private void CheckEvents(BsonArray expectEvents)
    {
        foreach (var item in expectEvents)
        {
            var expectation = item.AsDocument;
            CheckArguments(expectation, "client", "events", "eventType", "ignoreExtraEvents");
            var eventType = expectation.GetValueOrDefault("eventType")?.AsString ?? "command";
            var client = _clients[expectation["client"].AsString];
            var actual = client.Observed(eventType);
            var expected = expectation["events"].AsArray;
            bool ignoreExtra = expectation.GetValueOrDefault("ignoreExtraEvents")?.ToBoolean() ?? false;
            if (ignoreExtra ? actual.Count < expected.Count : actual.Count != expected.Count)
            {
                throw new UnifiedAssertionException($"expected {expected.Count} {eventType} events, got {actual.Count}: " + string.Join(", ", actual.Select(e => e.Name + (e.CommandName is null ? "" : ":" + e.CommandName))));
            }

            for (int i = 0; i < expected.Count; i++)
            {
                var failure = EventMismatch(expected[i].AsDocument, actual[i]);
                if (failure is not null)
                {
                    throw new UnifiedAssertionException($"{eventType} event {i}: {failure}");
                }
            }
        }
    }

    /// <summary>Null when <paramref name="actual"/> matches the expected event document (<c>{ eventName: { fields } }</c>), otherwise why not.</summary>
    private string? EventMismatch(BsonDocument expected, UnifiedEvent actual)
    {
        var expectedEvent = expected.GetElement(0);
        if (expectedEvent.Name != actual.Name)
        {
            return $"expected {expectedEvent.Name}, got {actual.Name}" + (actual.CommandName is null ? "" : " (" + actual.CommandName + ")");
        }

        foreach (var field in expectedEvent.Value.AsDocument)
        {
            actual.Fields.TryGetValue(field.Name, out var value);
            if (value is null && field.Name is "command" or "reply")
            {
                // Sensitive commands are published with an empty body; a missing one matches like an empty document.
                value = new BsonDocument();
            }

            // A command and a reply are root documents (extra fields allowed), and so are SDAM descriptions, whose fields
            // (type) are each optional; every other field matches exactly.
            var failure = _matcher.Match(field.Value, value, isRoot: field.Name is "command" or "reply" or "previousDescription" or "newDescription", field.Name);
            if (failure is not null)
            {
                return failure + " | expected " + field.Value + " | actual " + (value?.ToString() ?? "(missing)");
            }
        }

        return null;
    }

    private async Task CheckOutcomeAsync(BsonArray outcome)
    {
        foreach (var item in outcome)
        {
            var data = item.AsDocument;
            CheckArguments(data, "collectionName", "databaseName", "documents");
            var collection = _admin.GetDatabase(data["databaseName"].AsString).GetCollection(data["collectionName"].AsString).WithReadConcern(ReadConcern.Local);
            var actual = await collection.Find(FilterDefinition.Empty).Sort(Sort.Ascending("_id")).ToListAsync();
            var expected = data["documents"].AsArray;
            if (expected.Count != actual.Count)
            {
                throw new UnifiedAssertionException($"outcome {data["collectionName"]}: expected {expected.Count} documents, got {actual.Count}: {new BsonArray(actual)}");
            }

            for (int i = 0; i < expected.Count; i++)
            {
                _matcher.AssertMatches(expected[i], actual[i], isRoot: false, $"outcome[{i}]");
            }
        }
    }

    private async Task DisableFailPointsAsync()
    {
        foreach (var (client, command, server) in _failPoints)
        {
            try
            {
                var off = new BsonDocument { { "configureFailPoint", command["configureFailPoint"] }, { "mode", "off" } };
                await RunAdminCommandAsync(client, off, server);
            }
            catch (MongoException)
            {
                // Best effort: the next test's failPoint replaces it anyway.
            }
        }

        _failPoints.Clear();
    }

    private sealed record ClientEntity(MongoClient Client, ClientEventRecorder Recorder, HashSet<string> Observe, HashSet<string> Ignore, bool ObserveSensitive)
    {
        /// <summary>The client's captured log messages (observeLogMessages); null when the test observes none.</summary>
        public Monitoring.LogCapture? Logs { get; init; }

        /// <summary>The client's events of one category that the test observes (observeEvents, ignoreCommandMonitoringEvents, observeSensitiveCommands).</summary>
        public List<UnifiedEvent> Observed(string category) => Recorder.Events
            .Where(e => e.Category == category && Observe.Contains(e.Name))
            .Where(e => e.CommandName is not { } command || (!Ignore.Contains(command) && (ObserveSensitive || !e.Sensitive) && command != "configureFailPoint"))
            .ToList();
    }
}
