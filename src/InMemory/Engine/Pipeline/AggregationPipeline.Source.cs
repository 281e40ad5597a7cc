using Mongo.Bson;
using Mongo.InMemory.Engine.Query;

namespace Mongo.InMemory.Engine.Pipeline;

/// <summary>
/// Where a collection's aggregation reads its input: as mongod does, a leading <c>$match</c> and a <c>$sort</c> after
/// it (or a leading <c>$sort</c>) are answered by the query planner, so an indexed <c>$match</c> reads only the documents
/// its index bounds hold and a sort an index order gives is not done in memory; a <c>$skip</c>/<c>$limit</c> after a
/// sort the index gives (or after a <c>$match</c> alone) stops the read once enough documents matched. Only the
/// documents that pass are copied; the rest of the pipeline runs over them as before.
/// </summary>
internal static partial class AggregationPipeline
{
    /// <summary>What the query layer takes of a pipeline's start.</summary>
    /// <param name="Filter">The leading $match's parsed filter (the empty filter when the pipeline starts with $sort).</param>
    /// <param name="RawFilter">The $match as sent (null without one).</param>
    /// <param name="Sort">The $sort pushed with it (null: none).</param>
    /// <param name="SortAt">The $sort stage's position (-1 without one).</param>
    /// <param name="Enough">How many documents the stages right after the sort consume at most ($skip + $limit), or null when unbounded.</param>
    internal sealed record PushedPrefix(Filter Filter, BsonDocument? RawFilter, BsonDocument? Sort, int SortAt, long? Enough);

    /// <summary>
    /// Runs the aggregate command's pipeline over <paramref name="source"/>: on a collection, its leading stages read
    /// through the query planner (<paramref name="hint"/> names the index to use, as the command's hint does); on a view
    /// or without a prefix the planner can take, over every document as before. <paramref name="counts"/> (explain's
    /// executionStats) receives, per stage run in memory, how many documents it returned.
    /// </summary>
    public static List<BsonDocument> RunOn(ReadSource source, BsonArray stages, PipelineContext context, BsonValue? hint, Dictionary<int, long>? counts = null)
    {
        if (source.Collection is not { } collection || Pushable(stages, context) is not { } prefix)
            return RunFrom(stages, source.TakeAll(), context, 0, counts);
        var plan = collection.PlanQuery(prefix.Filter, prefix.RawFilter, context.Collator, prefix.Sort, hint is BsonNull ? null : hint);
        var sortDone = prefix.Sort is null || plan.ProvidesSort;
        // A $skip/$limit needs only the first documents of the order the result has; unsorted, that is the read's order.
        var enough = sortDone ? prefix.Enough ?? long.MaxValue : long.MaxValue;
        var input = new List<BsonDocument>();
        foreach (var doc in plan.Run(collection))
        {
            Commands.OperationDeadline.Check();
            if (!prefix.Filter.Matches(doc)) continue;
            // The stored document stays untouched: the pipeline gets a copy with what matching attached (a $text score).
            input.Add(DocumentMetadata.Carry(doc, (BsonDocument)doc.DeepClone()));
            if (input.Count >= enough) break;
        }

        // The stages the read answered are done; the first one left runs at its own position (its checks depend on it).
        var next = prefix.SortAt >= 0 ? (sortDone ? prefix.SortAt + 1 : prefix.SortAt) : 1;
        return RunFrom(stages, input, context, next, counts);
    }

    /// <summary>
    /// The start of a pipeline the query layer can answer: a <c>$match</c> (not a $near, which $match refuses), then
    /// optionally a <c>$sort</c>; or a leading <c>$sort</c>. Null when the pipeline starts otherwise. A malformed
    /// stage is left to the stage itself, which reports it as before.
    /// </summary>
    internal static PushedPrefix? Pushable(BsonArray stages, PipelineContext context)
    {
        if (stages.Count == 0) return null;
        Filter? filter = null;
        BsonDocument? raw = null;
        var at = 0;
        if (Stage(stages, 0) is ("$match", BsonDocument md))
        {
            filter = FilterParser.Parse(md, context.Variables, context.Collator);
            if (NearFilter.FindIn(filter) is not null) return null;
            raw = md;
            at = 1;
        }

        BsonDocument? sort = null;
        var sortAt = -1;
        if (Stage(stages, at) is ("$sort", BsonDocument { ElementCount: > 0 } sd))
        {
            // Parsed here so that a bad sort fails as the stage would, before any document is read.
            SortSpec.Parse(sd, context.Collator);
            sort = sd;
            sortAt = at;
            at++;
        }

        if (filter is null && sort is null) return null;
        return new PushedPrefix(filter ?? FilterParser.Parse(null, context.Variables, context.Collator), raw, sort, sortAt, Enough(stages, at));
    }

    /// <summary>$skip and $limit stages from <paramref name="at"/> on: how many documents they read at most (null: all).</summary>
    private static long? Enough(BsonArray stages, int at)
    {
        long needed = 0;
        for (var i = at; i < stages.Count; i++)
        {
            switch (Stage(stages, i))
            {
                case ("$skip", { IsNumeric: true } skip) when skip.ToDouble() >= 0 && Math.Truncate(skip.ToDouble()) == skip.ToDouble():
                    needed = Saturating(needed, skip.ToDouble());
                    continue;
                case ("$limit", { IsNumeric: true } limit) when limit.ToDouble() > 0 && Math.Truncate(limit.ToDouble()) == limit.ToDouble():
                    return Saturating(needed, limit.ToDouble());
                default:
                    return null;
            }
        }

        return null;

        static long Saturating(long sum, double add) => add >= long.MaxValue - sum ? long.MaxValue : sum + (long)add;
    }

    /// <summary>A stage's name and specification, or null when it is not a one-field document.</summary>
    private static (string Name, BsonValue Spec)? Stage(BsonArray stages, int i) =>
        i < stages.Count && stages[i] is BsonDocument { ElementCount: 1 } stage ? (stage.GetElement(0).Name, stage[0]) : null;
}
