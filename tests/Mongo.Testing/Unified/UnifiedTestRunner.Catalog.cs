using Mongo.Bson;
using Mongo.Driver;

namespace Mongo.Testing.Unified;

/// <summary>
/// The unified format's collection-management operations: createCollection with its options, modifyCollection and
/// rename. The driver has helpers for creating collections; collMod and renameCollection have none, so those two run
/// as the commands the format describes (the events the tests expect are those commands).
/// </summary>
public sealed partial class UnifiedTestRunner
{
    /// <summary>createCollection options passed to the server as they are (the driver's CreateCollectionOptions.Extra).</summary>
    private static readonly string[] s_createCollectionPassThrough =
    [
        "capped", "size", "max", "timeseries", "expireAfterSeconds", "clusteredIndex", "changeStreamPreAndPostImages",
        "validationLevel", "validationAction", "storageEngine", "indexOptionDefaults", "encryptedFields",
    ];

    private async Task<BsonValue?> CreateCollectionAsync(MongoDatabase database, BsonDocument arguments)
    {
        CheckArguments(arguments, [.. s_createCollectionPassThrough, "collection", "viewOn", "pipeline", "validator", "collation"]);
        var extra = new BsonDocument();
        foreach (var name in s_createCollectionPassThrough)
        {
            if (arguments.GetValueOrDefault(name) is { } value)
            {
                extra.Add(name, value);
            }
        }

        var options = new CreateCollectionOptions
        {
            ViewOn = arguments.GetValueOrDefault("viewOn")?.AsString,
            Pipeline = (arguments.GetValueOrDefault("pipeline") as BsonArray)?.Select(s => s.AsDocument).ToList(),
            Validator = arguments.GetValueOrDefault("validator") as BsonDocument,
            Collation = arguments.GetValueOrDefault("collation") as BsonDocument,
            Extra = extra.ElementCount > 0 ? extra : null,
        };
        var collectionName = arguments["collection"].AsString;
        await Run(() => database.CreateCollection(collectionName, options), () => database.CreateCollectionAsync(collectionName, options));
        // The format's createCollection returns the new collection: saveResultAsEntity names a collection entity.
        _createdEntity = database.GetCollection(collectionName);
        return null;
    }

    /// <summary>modifyCollection: collMod with the given options (validator, index changes, expireAfterSeconds...).</summary>
    private async Task<BsonValue?> ModifyCollectionAsync(MongoDatabase database, BsonDocument arguments)
    {
        CheckArguments(arguments, "collection", "validator", "validationLevel", "validationAction", "index", "expireAfterSeconds",
            "changeStreamPreAndPostImages", "timeseries", "viewOn", "pipeline");
        var command = new BsonDocument("collMod", arguments["collection"].AsString);
        foreach (var element in arguments)
        {
            if (element.Name != "collection")
            {
                command.Add(element.Name, element.Value);
            }
        }

        return _async ? await database.RunCommandAsync(command) : database.RunCommand(command);
    }

    /// <summary>rename: renameCollection on the admin database, to another name in the same database.</summary>
    private async Task<BsonValue?> RenameCollectionAsync(MongoCollection<BsonDocument> collection, BsonDocument arguments)
    {
        CheckArguments(arguments, "to", "dropTarget");
        var command = new BsonDocument
        {
            { "renameCollection", collection.Namespace },
            { "to", collection.Database.DatabaseName + "." + arguments["to"].AsString },
        };
        if (arguments.GetValueOrDefault("dropTarget") is { } dropTarget)
        {
            command.Add("dropTarget", dropTarget.ToBoolean());
        }

        var admin = collection.Database.Client.GetDatabase("admin");
        return _async ? await admin.RunCommandAsync(command) : admin.RunCommand(command);
    }
}
