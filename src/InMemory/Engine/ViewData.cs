using Mongo.Bson;
using Mongo.InMemory.Engine.Collation;

namespace Mongo.InMemory.Engine;

/// <summary>
/// A read-only view: a name for the result of a pipeline over another collection or view of the same database.
/// Only the definition is stored; reads compute the documents (see <see cref="Storage.OpenForRead"/>).
/// </summary>
internal sealed class ViewData(DatabaseData database, string name, string viewOn, BsonArray pipeline, Collator? collator)
{
    public DatabaseData Database { get; } = database;

    public string Name { get; } = name;

    public string FullName => Database.Name + "." + Name;

    /// <summary>The source's name in the same database (a collection, a view, or nothing yet: it reads as empty).</summary>
    public string ViewOn { get; set; } = viewOn;

    public BsonArray Pipeline { get; set; } = pipeline;

    /// <summary>
    /// The view's default collation, fixed at creation (null: simple). Its pipeline runs with it, and reads through
    /// the view may not ask for another (views do not inherit their source's default).
    /// </summary>
    public Collator? Collator { get; } = collator;

    /// <summary>The options listCollections reports, as the server stores them: viewOn, pipeline, collation when given.</summary>
    public BsonDocument Options()
    {
        var options = new BsonDocument { { "viewOn", ViewOn }, { "pipeline", Pipeline.DeepClone() } };
        if (Collator is not null) options.Add("collation", Collator.Spec.DeepClone());
        return options;
    }
}
