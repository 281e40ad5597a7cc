using Mongo.Bson;
using Xunit;
using static Mongo.Driver.Tests.Typed.TypedAssert;

namespace Mongo.Driver.Tests.Typed;

/// <summary>Builders&lt;T&gt; render element names and values from the model (hand-built here: see <see cref="TestResolver"/>).</summary>
public sealed class TypedBuilderTests
{
    private static readonly FilterDefinitionBuilder<Person> F = Builders<Person>.Filter;
    private static readonly UpdateDefinitionBuilder<Person> U = Builders<Person>.Update;

    [Fact]
    public void ComparisonFiltersUseElementNamesAndMemberEncodings()
    {
        Renders("""{"name": "Ada"}""", F.Eq(p => p.Name, "Ada"));
        Renders("""{"fav": "Green"}""", F.Eq(p => p.Favorite, Color.Green));
        Renders("""{"_id": {"$ne": 3}}""", F.Ne(p => p.Id, 3));
        Renders("""{"home.city": {"$gt": "M"}}""", F.Gt(p => p.Home.City, "M"));
        Renders("""{"age": {"$gte": 18}}""", F.Gte(p => p.Age, 18));
        Renders("""{"score": {"$lt": 5}}""", F.Lt(p => p.Score, 5));
        Renders("""{"age": {"$lte": 65}}""", F.Lte(p => p.Age, 65));
        Renders("""{"score": null}""", F.Eq(p => p.Score, null));
        Renders("""{"born": {"$gt": {"$date": "2000-01-01T00:00:00Z"}}}""", F.Gt(p => p.Born, new DateTime(2000, 1, 1, 0, 0, 0, DateTimeKind.Utc)));
    }

    [Fact]
    public void SetAndArrayFilters()
    {
        Renders("""{"fav": {"$in": ["Red", "Blue"]}}""", F.In(p => p.Favorite, [Color.Red, Color.Blue]));
        Renders("""{"age": {"$nin": [1, 2]}}""", F.Nin(p => p.Age, [1, 2]));
        Renders("""{"score": {"$exists": false}}""", F.Exists(p => p.Score, exists: false));
        Renders("""{"age": {"$type": 16}}""", F.Type(p => p.Age, BsonType.Int32));
        Renders("""{"age": {"$type": "number"}}""", F.Type(p => p.Age, "number"));
        Renders("""{"name": {"$regularExpression": {"pattern": "^a", "options": "i"}}}""", F.Regex(p => p.Name, "^a", "i"));
        Renders("""{"name": {"$regularExpression": {"pattern": "x+", "options": "i"}}}""", F.Regex(p => p.Name, new System.Text.RegularExpressions.Regex("x+", System.Text.RegularExpressions.RegexOptions.IgnoreCase)));
        Renders("""{"tags": {"$size": 2}}""", F.Size(p => p.Tags, 2));
        Renders("""{"tags": {"$all": ["a", "b"]}}""", F.All(p => p.Tags, ["a", "b"]));
        Renders("""{"tags": "x"}""", F.AnyEq(p => p.Tags, "x"));
        Renders("""{"nums": {"$in": [1, 2]}}""", F.AnyIn(p => p.Nums, [1, 2]));
        Renders("""{"items": {"$elemMatch": {"qty": {"$gt": 2}, "sku": "a"}}}""", F.ElemMatch(p => p.Items, Builders<Item>.Filter.Gt(i => i.Qty, 2) & Builders<Item>.Filter.Eq(i => i.Sku, "a")));
        Renders("""{"items": {"$elemMatch": {"qty": {"$lt": 1}}}}""", F.ElemMatch(p => p.Items, i => i.Qty < 1));
        Renders("""{"items.0.sku": "a"}""", F.Eq(p => p.Items[0].Sku, "a"));
        Renders("""{"nums.1": 7}""", F.Eq(p => p.Nums[1], 7));
    }

    [Fact]
    public void LogicalCombinationsStayLazyAndMixWithUntypedFilters()
    {
        var typed = F.Eq(p => p.Age, 3) & Filter.Eq("extra", 1);
        Assert.True(typed.IsTyped);
        Renders("""{"age": 3, "extra": 1}""", typed);
        Renders("""{"$or": [{"age": 3}, {"name": "A"}]}""", F.Eq(p => p.Age, 3) | F.Eq(p => p.Name, "A"));
        Renders("""{"age": {"$ne": 3}}""", !F.Eq(p => p.Age, 3));
        Renders("""{"age": {"$not": {"$gt": 3}}}""", F.Not(F.Gt(p => p.Age, 3)));
        Renders("""{"$nor": [{"age": 3}, {"active": true}]}""", F.Nor(F.Eq(p => p.Age, 3), F.Eq(p => p.Active, true)));
        Renders("""{"$and": [{"age": {"$gt": 1}}, {"age": {"$lt": 9}}]}""", F.And(F.Gt(p => p.Age, 1), F.Lt(p => p.Age, 9)));
        Renders("""{"x": 1}""", Filter.Eq("x", 1) & F.Empty);
        Assert.False((Filter.Eq("x", 1) & Filter.Eq("y", 2)).IsTyped);
        Renders("""{"name": "A"}""", F.Eq("name", "A"));
    }

    [Fact]
    public void TypedDefinitionWithoutAModelThrowsAClearError()
    {
        var filter = Builders<Unmapped>.Filter.Eq(u => u.X, 1);
        var error = Assert.Throws<InvalidOperationException>(() => filter.Render(TestResolver.Instance));
        Assert.Contains(typeof(Unmapped).FullName!, error.Message);
        Assert.Contains("Render(IBsonTypeInfoResolver)", error.Message);

        // Without a resolver, Render() uses the default one: the reflection models where reflection is allowed.
        RendersValue("""{"X": 1}""", filter.Render());
        RendersValue("""{"$set": {"X": 2}}""", Builders<Unmapped>.Update.Set(u => u.X, 2).Render());
        Assert.Equal(filter.Render().ToString(), filter.ToString());
    }

    [Fact]
    public void SortsProjectionsAndIndexKeys()
    {
        Renders("""{"name": 1, "home.city": -1}""", Builders<Person>.Sort.Ascending(p => p.Name).Descending(p => p.Home.City));
        Renders("""{"age": -1, "x": 1}""", Builders<Person>.Sort.Descending(p => p.Age).Ascending("x"));
        Renders("""{"name": 1, "_id": 0, "tags": {"$slice": 2}, "nums": {"$slice": [1, 2]}, "items": {"$elemMatch": {"qty": {"$gt": 1}}}}""",
            Builders<Person>.Projection.Include(p => p.Name).Exclude(p => p.Id).Slice(p => p.Tags, 2).Slice(p => p.Nums, 2, 1).ElemMatch(p => p.Items, i => i.Qty > 1));
        Renders("""{"home.city": 1, "age": -1, "_id": "hashed", "name": "text"}""",
            Builders<Person>.IndexKeys.Ascending(p => p.Home.City).Descending(p => p.Age).Hashed(p => p.Id).Text(p => p.Name));
        Renders("""{"home.$**": 1}""", Builders<Person>.IndexKeys.Wildcard(p => p.Home));
        Renders("""{"$**": 1}""", Builders<Person>.IndexKeys.Wildcard());
    }

    [Fact]
    public void FieldUpdates()
    {
        Renders("""{"$set": {"name": "B", "fav": "Blue"}, "$inc": {"age": 1}}""", U.Set(p => p.Name, "B").Inc(p => p.Age, 1).Set(p => p.Favorite, Color.Blue));
        Renders("""{"$unset": {"score": ""}}""", U.Unset(p => p.Score));
        Renders("""{"$mul": {"age": 2}, "$min": {"score": 1}, "$max": {"home.zip": "9"}}""", U.Mul(p => p.Age, 2).Min(p => p.Score, 1).Max(p => p.Home.Zip, "9"));
        Renders("""{"$rename": {"name": "fullName"}}""", U.Rename(p => p.Name, "fullName"));
        Renders("""{"$currentDate": {"born": true, "age": {"$type": "timestamp"}}}""", U.CurrentDate(p => p.Born).CurrentDate(p => p.Age, timestamp: true));
        Renders("""{"$setOnInsert": {"active": true}}""", U.SetOnInsert(p => p.Active, true));
        Renders("""{"$set": {"home": {"city": "Oslo", "zip": "0150"}}}""", U.Set(p => p.Home, new Address { City = "Oslo", Zip = "0150" }));
    }

    [Fact]
    public void ArrayUpdates()
    {
        Renders("""{"$push": {"tags": "x"}}""", U.Push(p => p.Tags, "x"));
        Renders("""{"$push": {"items": {"$each": [{"sku": "s", "qty": 1}], "$slice": -5, "$sort": {"qty": -1}, "$position": 0}}}""",
            U.PushEach(p => p.Items, [new Item { Sku = "s", Qty = 1 }], slice: -5, position: 0, sort: Builders<Item>.Sort.Descending(i => i.Qty)));
        Renders("""{"$push": {"nums": {"$each": [3, 1], "$sort": 1}}}""", U.PushEach(p => p.Nums, [3, 1], sortDirection: 1));
        Renders("""{"$addToSet": {"tags": "y"}}""", U.AddToSet(p => p.Tags, "y"));
        Renders("""{"$addToSet": {"tags": {"$each": ["a", "b"]}}}""", U.AddToSetEach(p => p.Tags, ["a", "b"]));
        Renders("""{"$pull": {"tags": "x"}}""", U.Pull(p => p.Tags, "x"));
        Renders("""{"$pull": {"items": {"qty": {"$lt": 1}}}}""", U.PullFilter(p => p.Items, i => i.Qty < 1));
        Renders("""{"$pullAll": {"nums": [1, 2]}}""", U.PullAll(p => p.Nums, [1, 2]));
        Renders("""{"$pop": {"tags": -1, "nums": 1}}""", U.PopFirst(p => p.Tags).PopLast(p => p.Nums));
    }

    [Fact]
    public void PositionalOperators()
    {
        Renders("""{"$set": {"items.$.qty": 5}}""", U.Set(p => p.Items.FirstMatchingElement().Qty, 5));
        Renders("""{"$inc": {"items.$[].qty": 1}}""", U.Inc(p => p.Items.AllElements().Qty, 1));
        Renders("""{"$set": {"items.$[low].sku": "z"}}""", U.Set(p => p.Items.AllMatchingElements("low").Sku, "z"));
        Renders("""{"$set": {"tags.$": "y"}}""", U.Set(p => p.Tags.FirstMatchingElement(), "y"));
        Renders("""{"$set": {"items.2.qty": 0}}""", U.Set(p => p.Items[2].Qty, 0));
        Assert.Throws<InvalidOperationException>(() => new[] { 1 }.FirstMatchingElement());
    }

    [Fact]
    public void CombineMergesOperators()
    {
        Renders("""{"$set": {"name": "A", "age": 3}, "$inc": {"score": 1}}""",
            U.Combine(U.Set(p => p.Name, "A"), Update.Set("age", 3), U.Inc(p => p.Score, 1)));
    }

    [Fact]
    public void ReflectionModelsRenderLikeTheHandBuiltOnes()
    {
        // The POCO's attributes say what the hand-built model says: both resolvers must render the same MQL.
        var reflection = Mongo.Bson.Serialization.BsonTypeInfoResolver.Default;
        FilterDefinition[] filters =
        [
            F.Where(p => p.Age > 30 && p.Name.StartsWith("A") && p.Tags.Contains("x")),
            F.Where(p => p.Favorite == Color.Green && p.Home.City == "Paris" && p.Items.Any(i => i.Qty > 1) && p.Score == null),
            F.In(p => p.Favorite, [Color.Red]) & F.Eq(p => p.Items[0].Sku, "a"),
        ];
        foreach (var filter in filters)
        {
            Assert.Equal(filter.Render(TestResolver.Instance).ToString(), filter.Render(reflection).ToString());
        }

        var update = U.Set(p => p.Favorite, Color.Blue).Push(p => p.Items, new Item { Sku = "s", Qty = 2 }).Set(p => p.Items.FirstMatchingElement().Qty, 1);
        Assert.Equal(update.Render(TestResolver.Instance).ToString(), update.Render(reflection).ToString());
    }

    public sealed class Unmapped
    {
        public int X { get; set; }
    }
}
