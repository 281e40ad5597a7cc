using Mongo.Bson;
using Mongo.InMemory.Engine.Collation;
using Mongo.InMemory.Engine.Pipeline;

namespace Mongo.InMemory.Engine;

/// <summary>Views: where reads resolve them, and the checks a definition passes before it is stored.</summary>
internal sealed partial class Storage
{
    /// <summary>How deep views may resolve through views (and through the collections their pipelines read), as on the server.</summary>
    public const int MaxViewDepth = 20;

    // Views being computed by the reads in progress: a view's pipeline may read another view ($lookup, $unionWith), so
    // this bounds the nesting even if a definition slipped past the cycle check. Guarded by Sync like everything else.
    private int _viewDepth;

    /// <summary>
    /// Opens a namespace for reading. A collection reads directly; a view follows <c>viewOn</c> down to the collection at
    /// the bottom (missing reads as empty) and runs each view's pipeline over copies of its documents, innermost first.
    /// This is the only place reads meet views: find, count, distinct, aggregate and $lookup-style stages all come here.
    /// </summary>
    public ReadSource OpenForRead(string database, string name)
    {
        Observer?.Using(database, name);
        if (!_databases.TryGetValue(database, out var db)) return ReadSource.Missing;
        if (db.Get(name) is { } collection) return ReadSource.Of(collection);
        if (db.GetView(name) is null) return ReadSource.Missing;

        var chain = new List<ViewData>();
        var source = name;
        while (db.GetView(source) is { } view)
        {
            chain.Add(view);
            if (_viewDepth + chain.Count > MaxViewDepth) throw DepthExceeded();
            source = view.ViewOn;
        }

        var underlying = db.Get(source);
        var documents = underlying is null ? [] : ReadSource.Of(underlying).TakeAll();
        _viewDepth += chain.Count;
        try
        {
            for (var i = chain.Count - 1; i >= 0; i--)
            {
                var context = new PipelineContext { Storage = this, Database = database, Collator = chain[i].Collator };
                documents = AggregationPipeline.Run(chain[i].Pipeline, documents, context);
            }
        }
        finally
        {
            _viewDepth -= chain.Count;
        }

        return ReadSource.OfView(documents, underlying);
    }

    /// <summary>
    /// The collation a read of <paramref name="name"/> runs with: the operation's own, else the default of the view or
    /// collection. A view's reads cannot override its default (the server answers OptionNotSupportedOnView).
    /// </summary>
    public Collator? ReadCollator(string database, string name, BsonDocument operation)
    {
        var given = operation.TryGetValue("collation", out var spec);
        var requested = given ? Collator.Parse(spec!) : null;
        var db = GetDatabase(database);
        if (db?.GetView(name) is { } view)
        {
            if (given && !Collator.Same(requested, view.Collator))
                throw Errors.OptionNotSupportedOnView("Cannot override a view's default collation");
            return view.Collator;
        }
        return given ? requested : db?.Get(name)?.DefaultCollator;
    }

    /// <summary>
    /// Checks a view definition as the server does on create and collMod: stages that parse and do not write, and a
    /// graph of what views read (viewOn and the collections their pipelines name) with no cycle through this view and
    /// no deeper than <see cref="MaxViewDepth"/>, whose views all share this view's collation. The new definition
    /// stands in for the view's current one.
    /// </summary>
    public void ValidateViewDefinition(string database, string name, string viewOn, BsonArray pipeline, Collator? collator)
    {
        var ns = database + "." + name;
        for (var i = 0; i < pipeline.Count; i++)
        {
            if (pipeline[i] is not BsonDocument stage) continue; // reported by the parse below
            var stageName = stage.ElementCount == 1 ? stage.GetElement(0).Name : "";
            if (stageName is "$out" or "$merge")
                throw Errors.OptionNotSupportedOnView("Invalid pipeline for view " + ns + " :: caused by :: The aggregation stage " + stageName + " in location " + i +
                    " of the pipeline cannot be used in the view definition of " + ns + " because it writes to disk");
            if (stageName == "$changeStream")
                throw Errors.OptionNotSupportedOnView("Invalid pipeline for view " + ns + " :: caused by :: $changeStream cannot be used in a view definition");
        }
        CheckNestedWrites(pipeline);

        // Parse every stage by running the pipeline over no documents, against an empty catalog so that whatever a
        // stage would read is not touched.
        AggregationPipeline.Run(pipeline, [], new PipelineContext { Storage = new Storage(), Database = database, Collator = collator });

        var db = GetDatabase(database);
        foreach (var target in Reads(viewOn, pipeline))
        {
            if (target != name && db?.GetView(target) is { } other && !Collator.Same(other.Collator, collator))
                throw Errors.OptionNotSupportedOnView("View " + ns + " has conflicting collation with view " + other.FullName);
        }

        var path = new List<string> { name };
        var cleared = new HashSet<string>(StringComparer.Ordinal);
        Visit(viewOn, pipeline);

        void Visit(string source, BsonArray stages)
        {
            foreach (var target in Reads(source, stages))
            {
                if (target == name)
                {
                    path.Add(target);
                    throw Errors.GraphContainsCycle("View cycle detected: " + string.Join(" => ", path.Select(p => database + "." + p)));
                }
                if (db?.GetView(target) is not { } view || cleared.Contains(target)) continue;
                path.Add(target);
                if (path.Count > MaxViewDepth) throw DepthExceeded();
                Visit(view.ViewOn, view.Pipeline);
                path.RemoveAt(path.Count - 1);
                cleared.Add(target);
            }
        }
    }

    private static Commands.CommandException DepthExceeded() =>
        Errors.ViewDepthLimitExceeded("View depth too deep or view cycle detected. Maximum depth is " + MaxViewDepth);

    /// <summary>The names a view reads in its own database: its source and what its stages look up or union with.</summary>
    private static IEnumerable<string> Reads(string viewOn, BsonArray pipeline)
    {
        yield return viewOn;
        foreach (var name in StageReads(pipeline)) yield return name;
    }

    private static IEnumerable<string> StageReads(BsonArray pipeline)
    {
        foreach (var value in pipeline)
        {
            if (value is not BsonDocument stage || stage.ElementCount != 1) continue;
            var (stageName, spec) = stage.GetElement(0);
            switch (stageName, spec)
            {
                case ("$lookup" or "$graphLookup", BsonDocument d):
                    if (d.GetValueOrDefault("from") is BsonString from) yield return from.Value;
                    if (d.GetValueOrDefault("pipeline") is BsonArray inner)
                        foreach (var n in StageReads(inner)) yield return n;
                    break;
                case ("$unionWith", BsonString coll):
                    yield return coll.Value;
                    break;
                case ("$unionWith", BsonDocument d):
                    if (d.GetValueOrDefault("coll") is BsonString c) yield return c.Value;
                    if (d.GetValueOrDefault("pipeline") is BsonArray unionPipeline)
                        foreach (var n in StageReads(unionPipeline)) yield return n;
                    break;
                case ("$facet", BsonDocument facets):
                    foreach (var (_, facet) in facets)
                        if (facet is BsonArray facetPipeline)
                            foreach (var n in StageReads(facetPipeline)) yield return n;
                    break;
            }
        }
    }

    /// <summary>$out and $merge inside a sub-pipeline, with the errors the server gives for each container.</summary>
    private static void CheckNestedWrites(BsonArray pipeline)
    {
        foreach (var value in pipeline)
        {
            if (value is not BsonDocument stage || stage.ElementCount != 1) continue;
            var (stageName, spec) = stage.GetElement(0);
            switch (stageName, spec)
            {
                case ("$lookup", BsonDocument d) when d.GetValueOrDefault("pipeline") is BsonArray inner:
                    if (WriteStage(inner) is { } lookupWrite) throw Errors.Location(51047, lookupWrite + " is not allowed within a $lookup's sub-pipeline");
                    CheckNestedWrites(inner);
                    break;
                case ("$unionWith", BsonDocument d) when d.GetValueOrDefault("pipeline") is BsonArray inner:
                    if (WriteStage(inner) is { } unionWrite) throw Errors.Location(31441, unionWrite + " is not allowed within a $unionWith's sub-pipeline");
                    CheckNestedWrites(inner);
                    break;
                case ("$facet", BsonDocument facets):
                    foreach (var (_, facet) in facets)
                    {
                        if (facet is not BsonArray facetPipeline) continue;
                        if (WriteStage(facetPipeline) is { } facetWrite) throw Errors.Location(40600, facetWrite + " is not allowed to be used within a $facet stage");
                        CheckNestedWrites(facetPipeline);
                    }
                    break;
            }
        }
    }

    private static string? WriteStage(BsonArray pipeline)
    {
        foreach (var value in pipeline)
            if (value is BsonDocument { ElementCount: 1 } stage && stage.GetElement(0).Name is "$out" or "$merge") return stage.GetElement(0).Name;
        return null;
    }
}
