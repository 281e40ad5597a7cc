using Mongo.InMemory.Engine.Indexing;
using Xunit;
using B = Mongo.Bson;

namespace Mongo.InMemory.Tests.Engine;

/// <summary>The documents under one index key: random adds, removals and replacements keep insertion order, as a plain list would.</summary>
public sealed class PostingsTests
{
    [Fact]
    public void Random_operations_agree_with_a_plain_list()
    {
        var rng = new Random(18);
        var docs = Enumerable.Range(0, 200).Select(i => new B.BsonDocument("_id", i)).ToList();
        var postings = new Postings(docs[0]);
        var reference = new List<B.BsonDocument> { docs[0] };
        var next = 1;
        for (var step = 0; step < 3000; step++)
        {
            switch (rng.Next(4))
            {
                case 0 when next < docs.Count:
                    postings.Add(docs[next]);
                    reference.Add(docs[next++]);
                    break;
                case 1 when reference.Count > 0:
                    var victim = reference[rng.Next(reference.Count)];
                    Assert.True(postings.Remove(victim));
                    reference.Remove(victim);
                    Assert.False(postings.Remove(victim)); // already gone
                    break;
                case 2 when reference.Count > 0:
                    var at = rng.Next(reference.Count);
                    var replacement = new B.BsonDocument("_id", reference[at]["_id"]);
                    Assert.True(postings.Replace(reference[at], replacement));
                    reference[at] = replacement;
                    break;
                default:
                    if (next >= docs.Count && reference.Count == 0) next = 0; // start over once all are gone
                    break;
            }

            Assert.Equal(reference.Count, postings.Count);
            Assert.True(reference.SequenceEqual(postings.Forward(), ReferenceEqualityComparer.Instance));
            Assert.True(Enumerable.Reverse(reference).SequenceEqual(postings.Backward(), ReferenceEqualityComparer.Instance));
        }

        Assert.True(reference.SequenceEqual(postings.Clone().Forward(), ReferenceEqualityComparer.Instance));
    }
}
