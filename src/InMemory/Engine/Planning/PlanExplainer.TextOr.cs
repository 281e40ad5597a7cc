using Mongo.Bson;
using Mongo.InMemory.Engine.Query;

namespace Mongo.InMemory.Engine.Planning;

/// <summary>The $text branch of an OR plan (a $text under $or whose other branches are index scans).</summary>
internal sealed partial class PlanExplainer
{
    /// <summary>The text branch as mongod shows it under the OR: TEXT_MATCH over the fetched term scans of the text index.</summary>
    private BsonDocument TextBranch(QueryPlan branch, bool stats)
    {
        var match = new BsonDocument
        {
            { "indexPrefix", new BsonDocument() },
            { "indexName", branch.Index!.Name },
            { "parsedTextQuery", TextFilter.FindIn(Filter)?.Query?.ToBson() ?? new BsonDocument() },
            { "textIndexVersion", 3 },
        };
        // The branch's candidates are the documents its term scans fetched; the OR gets all of them (the whole filter,
        // phrases and negations included, is applied once above the OR).
        if (stats) match.Add("docsRejected", 0);
        var scans = TextIndexScans(branch, stats);
        if (stats)
        {
            // The fetch under the match hands on this branch's documents, not the whole OR's.
            scans["nReturned"] = branch.DocsExamined;
            scans["advanced"] = branch.DocsExamined;
        }

        var stage = Stage("TEXT_MATCH", stats, branch.DocsExamined, match, works: branch.DocsExamined + 1);
        stage.Add("inputStage", scans);
        return stage;
    }
}
