using Mongo.Bson;
using Mongo.InMemory.Engine.Query;

namespace Mongo.InMemory.Engine.Planning;

/// <summary>
/// What an explained update would do, without doing it: mongod's UPDATE stage reports nMatched, nWouldModify (the
/// matched documents the update would change) and nWouldUpsert. An update that fails on a document is reported as
/// mongod reports it, in executionStats (executionSuccess false, errorMessage, errorCode), the explain itself succeeding.
/// </summary>
internal sealed partial class PlanExplainer
{
    /// <summary>The explained update's modification (null for every other command).</summary>
    public Updates.Update? Update { get; init; }

    private long _wouldModify;
    private bool _wouldUpsert;
    private Commands.CommandException? _error;

    /// <summary>Applies the update to copies of the first <paramref name="count"/> matches, counting the changed ones.</summary>
    private void WouldWrite(IReadOnlyList<BsonDocument> matched, long count)
    {
        if (matched.Count == 0)
        {
            _wouldUpsert = Upsert;
            return;
        }

        for (var i = 0; i < count && i < matched.Count; i++)
        {
            var state = new MatchState();
            Filter.Matches(matched[i], state);
            try
            {
                Update!.Apply((BsonDocument)matched[i].DeepClone(), state, isInsert: false, out var modified);
                if (modified) _wouldModify++;
            }
            catch (Commands.CommandException e)
            {
                _error = e;
                return;
            }
        }
    }
}
