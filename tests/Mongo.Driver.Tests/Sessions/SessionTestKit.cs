using Mongo.Bson;
using Mongo.Driver.Events;
using Mongo.InMemory;
using Mongo.Testing.Monitoring;

namespace Mongo.Driver.Tests.Sessions;

/// <summary>What the implicit- and explicit-session tests share: an in-memory server, a client whose commands are recorded, sync/async writes.</summary>
internal static class SessionTestKit
{
    public static async Task<InMemoryMongoServer> StartAsync(bool replicaSet) =>
        await InMemoryMongoServer.StartAsync(replicaSet ? new InMemoryMongoServerOptions { ReplicaSetName = "rs0" } : new InMemoryMongoServerOptions());

    /// <summary>A client publishing its command events to <paramref name="recorder"/>; <paramref name="options"/> are extra URI options.</summary>
    public static MongoClient Client(InMemoryMongoServer server, EventRecorder recorder, string options = "")
    {
        string url = server.ConnectionString;
        if (options.Length > 0)
        {
            url += (url.Contains('?', StringComparison.Ordinal) ? "&" : "?") + options;
        }

        MongoClientSettings settings = MongoClientSettings.FromConnectionString(url);
        settings.EventSubscribers = [recorder];
        return new MongoClient(settings);
    }

    public static EventRecorder Recorder() => new(t => t == typeof(CommandStartedEvent));

    /// <summary>The commands of this name that were started, in order.</summary>
    public static List<BsonDocument> Started(EventRecorder recorder, string name) =>
        recorder.Events.OfType<CommandStartedEvent>().Where(e => e.CommandName == name).Select(e => e.Command).ToList();

    public static async Task InsertAsync(MongoCollection<BsonDocument> collection, bool async, BsonDocument document, InsertOneOptions? options = null)
    {
        if (async)
        {
            await collection.InsertOneAsync(document, options);
        }
        else
        {
            collection.InsertOne(document, options);
        }
    }
}
