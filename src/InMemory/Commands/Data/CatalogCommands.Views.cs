using Mongo.Bson;
using Mongo.InMemory.Engine;
using Mongo.InMemory.Engine.Collation;

namespace Mongo.InMemory.Commands.Data;

/// <summary>The view side of create, collMod and listCollections.</summary>
internal static partial class CatalogCommands
{
    /// <summary>Collection options a view cannot take (the server answers InvalidOptions).</summary>
    private static readonly HashSet<string> CollectionOnlyOptions =
    [
        "capped", "size", "max", "validator", "validationLevel", "validationAction", "storageEngine", "indexOptionDefaults",
        "changeStreamPreAndPostImages", "expireAfterSeconds", "flags", "autoIndexId",
    ];

    /// <summary>Whether a field is present with a value other than null (null counts as not given, as for the server's optional fields).</summary>
    private static bool IsGiven(BsonDocument cmd, string field) => cmd.TryGetValue(field, out var v) && v.BsonType != BsonType.Null;

    /// <summary>create with viewOn: validates the options and the definition, then stores the view (nothing is computed yet).</summary>
    private static BsonDocument CreateView(CommandContext context, string name)
    {
        var cmd = context.Command;
        var database = context.DatabaseName;
        var ns = DataCommand.Namespace(context, name);
        var viewOn = ViewOn(cmd);
        var pipeline = Pipeline(cmd) ?? [];
        for (var i = 1; i < cmd.ElementCount; i++)
        {
            var (field, value) = cmd.GetElement(i);
            if (GenericFields.Contains(field) || value.BsonType == BsonType.Null) continue;
            switch (field)
            {
                case "viewOn":
                case "pipeline":
                case "collation":
                    break;
                case "capped" when value is BsonBoolean { Value: false }:
                    break;
                case "idIndex":
                    throw Errors.InvalidOptions("'idIndex' is not allowed with 'viewOn': " + Shell.Format(value));
                case "timeseries":
                    throw Errors.InvalidOptions(ns + ": 'timeseries' is not allowed with 'viewOn'");
                case "clusteredIndex":
                    throw Errors.Location(6026500, "The 'clusteredIndex' option is not supported with views");
                case "encryptedFields":
                    throw Errors.Location(6346401, "Encrypted fields cannot be used with views or timeseries collections");
                default:
                    if (CollectionOnlyOptions.Contains(field)) throw Errors.InvalidOptions("option not supported on a view: " + field);
                    throw Errors.Location(40415, "BSON field 'create." + field + "' is an unknown field.");
            }
        }
        // Kept fully defaulted, as listCollections reports it; {locale: "simple"} is no default at all.
        var collator = IsGiven(cmd, "collation") ? Collator.Parse(cmd["collation"]) : null;
        if (name == "system.views") throw Errors.InvalidNamespace("Cannot create a view called 'system.views': this is a reserved system namespace");
        if (name == "system.profile") throw Errors.IllegalOperation("Cannot create system.profile as a view");
        Storage.ValidateCollectionName(database, name);

        lock (context.Storage.Sync)
        {
            var storage = context.Storage;
            var db = storage.GetOrCreateDatabase(database);
            try
            {
                if (db.Get(name) is not null) throw Errors.NamespaceExists("namespace '" + ns + "' already exists, but is a collection rather than a view");
                if (db.GetView(name) is { } existing)
                {
                    // As the server: creating a view exactly as it already is succeeds; any difference is NamespaceExists.
                    CheckSameView(existing, viewOn, pipeline, collator);
                    return new BsonDocument();
                }
                storage.ValidateViewDefinition(database, name, viewOn, pipeline, collator);
                db.CreateView(name, viewOn, pipeline, collator);
            }
            catch (CommandException)
            {
                storage.RemoveEmptyDatabase(database);
                throw;
            }
        }
        return new BsonDocument();
    }

    private static void CheckSameView(ViewData existing, string viewOn, BsonArray pipeline, Collator? collator)
    {
        var ns = existing.FullName;
        if (existing.ViewOn != viewOn)
            throw Errors.NamespaceExists("namespace '" + ns + "' already exists, but is a view on '" + existing.Database.Name + "." + existing.ViewOn +
                "' rather than '" + existing.Database.Name + "." + viewOn + "'");
        if (BsonOrder.Compare(existing.Pipeline, pipeline) != 0)
            throw Errors.NamespaceExists("namespace '" + ns + "' already exists, but with pipeline " + Shell.Format(existing.Pipeline) + " rather than " + Shell.Format(pipeline));
        if (!Collator.Same(existing.Collator, collator))
            throw Errors.NamespaceExists("namespace '" + ns + "' already exists, but with collation: " + Shell.Format(existing.Collator?.Spec ?? new BsonDocument()) +
                " rather than " + Shell.Format(collator?.Spec ?? new BsonDocument()));
    }

    /// <summary>collMod on a view: only viewOn and pipeline (either may be left out to keep the current one).</summary>
    private static void ModifyView(CommandContext context, ViewData view)
    {
        var cmd = context.Command;
        string? viewOn = null;
        BsonArray? pipeline = null;
        for (var i = 1; i < cmd.ElementCount; i++)
        {
            var (field, value) = cmd.GetElement(i);
            if (GenericFields.Contains(field) || value.BsonType == BsonType.Null) continue;
            switch (field)
            {
                case "viewOn":
                    viewOn = ViewOn(cmd);
                    break;
                case "pipeline":
                    pipeline = Pipeline(cmd);
                    break;
                default:
                    throw Errors.InvalidOptions("option not supported on a view: " + field);
            }
        }
        if (viewOn is null && pipeline is null) return;
        viewOn ??= view.ViewOn;
        pipeline ??= view.Pipeline;
        context.Storage.ValidateViewDefinition(context.DatabaseName, view.Name, viewOn, pipeline, view.Collator);
        view.ViewOn = viewOn;
        view.Pipeline = pipeline;
    }

    /// <summary>The viewOn argument of create or collMod: a non-empty collection name (of the same database).</summary>
    private static string ViewOn(BsonDocument cmd)
    {
        var value = cmd["viewOn"];
        if (value is not BsonString s)
            throw Errors.TypeMismatch("BSON field '" + cmd.GetElement(0).Name + ".viewOn' is the wrong type '" + BsonOrder.TypeName(value) + "', expected type 'string'");
        if (s.Value.Length == 0) throw Errors.BadValue("'viewOn' cannot be empty");
        if (s.Value.Contains('$', StringComparison.Ordinal) || s.Value.Contains('\0', StringComparison.Ordinal))
            throw Errors.InvalidNamespace("invalid name for 'viewOn': " + s.Value);
        return s.Value;
    }

    /// <summary>The pipeline argument of create or collMod: an array of stage documents (a copy the view may keep), or null when not given.</summary>
    private static BsonArray? Pipeline(BsonDocument cmd)
    {
        if (!IsGiven(cmd, "pipeline")) return null;
        var command = cmd.GetElement(0).Name;
        var value = cmd["pipeline"];
        if (value is not BsonArray stages)
            throw Errors.TypeMismatch("BSON field '" + command + ".pipeline' is the wrong type '" + BsonOrder.TypeName(value) + "', expected type 'array'");
        for (var i = 0; i < stages.Count; i++)
        {
            if (stages[i] is not BsonDocument)
                throw Errors.TypeMismatch("BSON field '" + command + ".pipeline." + i + "' is the wrong type '" + BsonOrder.TypeName(stages[i]) + "', expected type 'object'");
        }
        return (BsonArray)stages.DeepClone();
    }

    /// <summary>A view as listCollections reports it: no uuid and no idIndex, and readOnly.</summary>
    internal static BsonDocument ViewEntry(ViewData view) => new()
    {
        { "name", view.Name },
        { "type", "view" },
        { "options", view.Options() },
        { "info", new BsonDocument("readOnly", true) },
    };
}
