using Mongo.Bson;
using Mongo.InMemory.Engine.Indexing;

namespace Mongo.InMemory.Engine;

/// <summary>
/// A text index's term map: each term a document's indexed strings stem to, with the documents holding it (mongod's
/// index keys {term, score}), kept in step with every write so that $text reads only the documents of its terms.
/// </summary>
internal sealed partial class IndexData
{
    /// <summary>Term → documents, in term order (null unless this is a text index).</summary>
    public OrderedIndex? TextTerms { get; private set; }

    /// <summary>The distinct terms <paramref name="doc"/> holds in this text index (none when a partial filter leaves it out).</summary>
    internal List<BsonValue?[]> TextKeysOf(BsonDocument doc)
    {
        var result = new List<BsonValue?[]>();
        if (Text is null || Partial is not null && !Partial.Matches(doc)) return result;
        // The same terms the $text matcher scores: whatever the tokenizer and stemmers make of the strings.
        foreach (var term in Engine.Text.TextIndex.Scores(Text.Entries(doc)).Keys) result.Add([new BsonString(term)]);
        return result;
    }

    private void AddTextTerms(BsonDocument doc)
    {
        foreach (var key in TextKeysOf(doc)) TextTerms!.Add(key, doc);
    }

    private void RemoveTextTerms(BsonDocument doc)
    {
        foreach (var key in TextKeysOf(doc)) TextTerms!.Remove(key, doc);
    }

    /// <summary>Moves the terms of a replaced document: kept terms keep their place, the others are removed or added.</summary>
    private void ReplaceTextTerms(BsonDocument oldDoc, BsonDocument newDoc)
    {
        var before = TextKeysOf(oldDoc);
        var after = TextKeysOf(newDoc);
        foreach (var key in before)
        {
            var kept = after.FindIndex(k => TextTerms!.Compare(k, key) == 0);
            if (kept >= 0 && TextTerms!.ReplaceInPlace(key, oldDoc, newDoc)) after.RemoveAt(kept);
            else TextTerms!.Remove(key, oldDoc);
        }

        foreach (var key in after) TextTerms!.Add(key, newDoc);
    }
}
