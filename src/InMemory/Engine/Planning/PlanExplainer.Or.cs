using Mongo.Bson;

namespace Mongo.InMemory.Engine.Planning;

/// <summary>The stages of plans that read several index scans: an $or's OR, a $text's scans of its terms.</summary>
internal sealed partial class PlanExplainer
{
    /// <summary>
    /// An $or's stages: per branch an IXSCAN (under a FETCH with the branch's other conditions when its bounds leave
    /// some), merged by OR, then one FETCH with the conditions beside the $or; a rooted $or is planned under SUBPLAN.
    /// </summary>
    private BsonDocument OrStages(QueryPlan plan, bool stats)
    {
        var inputs = new BsonArray();
        foreach (var branch in plan.Branches!)
        {
            if (branch.Path == AccessPath.TextScan)
            {
                inputs.Add(TextBranch(branch, stats));
                continue;
            }

            // A branch's scan yields each document its keys lead to: what the OR receives from it.
            var stage = IndexScanStage(branch, stats, branch.DocsExamined);
            var residual = Residual(branch, branch.RawFilter);
            if (residual.ElementCount > 0)
            {
                var branchFetch = new BsonDocument("filter", ParsedQuery(residual));
                if (stats) branchFetch.Add("docsExamined", branch.DocsExamined).Add("alreadyHasObj", 0);
                var fetchStage = Stage("FETCH", stats, branch.DocsExamined, branchFetch, works: stage.GetValueOrDefault("works")?.ToInt64() + 1 ?? 1);
                fetchStage.Add("inputStage", stage);
                stage = fetchStage;
            }

            inputs.Add(stage);
        }

        var orDetails = new BsonDocument();
        if (stats) orDetails.Add("dupsTested", plan.DupsTested).Add("dupsDropped", plan.DupsDropped);
        var or = Stage("OR", stats, _returned.GetValueOrDefault("access"), orDetails, works: plan.DupsTested + 1);
        or.Add("inputStages", inputs);
        var fetch = new BsonDocument();
        var beside = new BsonDocument();
        foreach (var e in RawFilter ?? []) if (e.Name != "$or") beside.Add(e);
        if (beside.ElementCount > 0) fetch.Add("filter", ParsedQuery(beside));
        if (stats) fetch.Add("docsExamined", plan.DocsExamined).Add("alreadyHasObj", 0);
        var top = Wrap("FETCH", stats, "fetch", fetch, or);
        return plan.Rooted ? Wrap("SUBPLAN", stats, "fetch", new BsonDocument(), top) : top;
    }

    // A $text under $or: the other branches' documents are candidates too, so the collection is scanned.
    private BsonDocument TextCollectionScan(QueryPlan plan, bool stats)
    {
        var scan = new BsonDocument("direction", "forward");
        if (stats) scan.Add("docsExamined", plan.DocsExamined);
        return Stage("COLLSCAN", stats, _returned.GetValueOrDefault("access"), scan, works: plan.DocsExamined + 1);
    }

    /// <summary>
    /// A $text's index reads as mongod shows them: one IXSCAN of the text index per term (backward, its bounds the
    /// term), merged by OR under one FETCH when there are several; when the score is projected or sorted on, merged
    /// by TEXT_OR, which fetches the documents itself.
    /// </summary>
    private BsonDocument TextIndexScans(QueryPlan plan, bool stats)
    {
        var index = plan.Index!;
        var scans = new BsonArray();
        for (var i = 0; i < plan.TextTerms!.Count; i++)
        {
            var keys = plan.TermKeysExamined?[i] ?? 0;
            var ix = new BsonDocument
            {
                { "keyPattern", index.Key.DeepClone() },
                { "indexName", index.Name },
                { "isMultiKey", true },
                { "isUnique", false },
                { "isSparse", index.Sparse },
                { "isPartial", index.Partial is not null },
                { "indexVersion", 2 },
                { "direction", "backward" },
                { "indexBounds", new BsonDocument() },
            };
            if (stats) ix.Add("keysExamined", keys).Add("seeks", 1).Add("dupsTested", keys).Add("dupsDropped", 0);
            scans.Add(Stage("IXSCAN", stats, keys, ix, works: keys + 1));
        }

        BsonDocument input;
        if (scans.Count == 0)
        {
            input = Stage("EOF", stats, 0, null); // only negated terms: nothing can match
        }
        else if (WantsScore())
        {
            // TEXT_OR sums each document's term scores and fetches the documents itself: no FETCH above it (mongod's
            // fts README shows TEXT_MATCH directly over TEXT_OR).
            var textOr = new BsonDocument();
            if (stats) textOr.Add("docsExamined", plan.DocsExamined);
            input = Stage("TEXT_OR", stats, _returned.GetValueOrDefault("access"), textOr, works: plan.DupsTested + 1);
            if (scans.Count == 1) input.Add("inputStage", scans[0]);
            else input.Add("inputStages", scans);
            return input;
        }
        else if (scans.Count == 1)
        {
            input = scans[0].AsDocument;
        }
        else
        {
            var orDetails = new BsonDocument();
            if (stats) orDetails.Add("dupsTested", plan.DupsTested).Add("dupsDropped", plan.DupsDropped);
            input = Stage("OR", stats, _returned.GetValueOrDefault("access"), orDetails, works: plan.DupsTested + 1);
            input.Add("inputStages", scans);
        }

        var fetch = new BsonDocument();
        if (stats) fetch.Add("docsExamined", plan.DocsExamined).Add("alreadyHasObj", 0);
        return Wrap("FETCH", stats, "access", fetch, input);
    }

    // Whether the projection or the sort asks for {$meta: "textScore"} (mongod then merges the terms with TEXT_OR).
    private bool WantsScore() =>
        new[] { Projection, Sort }.Any(d => d is not null && d.Any(e => e.Value is BsonDocument m && m.GetValueOrDefault("$meta") is BsonString { Value: "textScore" }));
}
