using System.Linq.Expressions;
using System.Text.RegularExpressions;
using Xunit;
using static Mongo.Driver.Tests.Typed.TypedAssert;

namespace Mongo.Driver.Tests.Typed;

/// <summary>Predicates translated to MQL against the model; untranslatable parts are named in the error.</summary>
public sealed partial class ExpressionFilterTests
{
    private static readonly Regex StartsWithA = new("^a", RegexOptions.IgnoreCase);

    private static void Where(string expectedJson, Expression<Func<Person, bool>> predicate) =>
        Renders(expectedJson, Builders<Person>.Filter.Where(predicate));

    [Fact]
    public void TheIssueExample() =>
        Where("""{"age": {"$gt": 30}, "name": {"$regularExpression": {"pattern": "^A", "options": ""}}, "tags": "x"}""",
            p => p.Age > 30 && p.Name.StartsWith("A") && p.Tags.Contains("x"));

    [Fact]
    public void Comparisons()
    {
        Where("""{"age": 3}""", p => p.Age == 3);
        Where("""{"age": {"$ne": 3}}""", p => p.Age != 3);
        Where("""{"age": {"$lt": 3}}""", p => p.Age < 3);
        Where("""{"age": {"$lte": 3}}""", p => p.Age <= 3);
        Where("""{"age": {"$gte": 3}}""", p => p.Age >= 3);
        Where("""{"age": {"$gt": 30}}""", p => 30 < p.Age);
        Where("""{"age": {"$lte": 30}}""", p => 30 >= p.Age);
        Where("""{"name": "A"}""", p => p.Name.Equals("A"));
        Where("""{"name": "A"}""", p => "A".Equals(p.Name));
        Where("""{"home.city": "Paris"}""", p => p.Home.City == "Paris");
        Where("""{"items.0.sku": "a"}""", p => p.Items[0].Sku == "a");
        Where("""{"nums.2": {"$gt": 1}}""", p => p.Nums[2] > 1);
    }

    [Fact]
    public void LogicalOperators()
    {
        Where("""{"$or": [{"age": 1}, {"age": 2}]}""", p => p.Age == 1 || p.Age == 2);
        Where("""{"$and": [{"age": {"$gt": 1}}, {"age": {"$lt": 9}}]}""", p => p.Age > 1 && p.Age < 9);
        Where("""{"age": {"$not": {"$gt": 3}}}""", p => !(p.Age > 3));
        Where("""{"$nor": [{"$or": [{"age": 1}, {"name": "A"}]}]}""", p => !(p.Age == 1 || p.Name == "A"));
    }

    [Fact]
    public void NullsNullablesAndBooleans()
    {
        Where("""{"score": null}""", p => p.Score == null);
        Where("""{"score": {"$ne": null}}""", p => p.Score != null);
        Where("""{"score": {"$ne": null}}""", p => p.Score.HasValue);
        Where("""{"score": null}""", p => !p.Score.HasValue);
        Where("""{"score": {"$gt": 3}}""", p => p.Score!.Value > 3);
        Where("""{"score": {"$gt": 3}}""", p => p.Score > 3);
        Where("""{"name": null}""", p => p.Name == null);
        Where("""{"active": true}""", p => p.Active);
        Where("""{"active": {"$ne": true}}""", p => !p.Active);
        Where("""{"active": false}""", p => p.Active == false);
        Where("""{"active": true, "age": 1}""", p => p.Active && p.Age == 1);
    }

    [Fact]
    public void CapturedValuesAreEvaluatedButDocumentMembersNever()
    {
        int min = 30;
        var bounds = new Bounds { Low = 5 };
        var names = new List<string> { "A", "B" };
        var ages = new[] { 1, 2 };
        var set = new HashSet<Color> { Color.Blue };
        bool flag = true;
        Where("""{"age": {"$gt": 30}}""", p => p.Age > min);
        Where("""{"age": {"$gte": 5}}""", p => p.Age >= bounds.Low);
        Where("""{"born": {"$lt": {"$date": "2000-01-02T00:00:00Z"}}}""", p => p.Born < new DateTime(2000, 1, 1, 0, 0, 0, DateTimeKind.Utc).AddDays(1));
        Where("""{"name": {"$in": ["A", "B"]}}""", p => names.Contains(p.Name));
        Where("""{"age": {"$in": [1, 2]}}""", p => ages.Contains(p.Age));
        Where("""{"fav": {"$in": ["Blue"]}}""", p => set.Contains(p.Favorite));
        Where("""{"age": 1}""", p => flag && p.Age == 1);
        Where("""{"_id": {"$exists": false}}""", p => !flag);
    }

    [Fact]
    public void Enums()
    {
        Where("""{"fav": "Green"}""", p => p.Favorite == Color.Green);
        Where("""{"fav": {"$ne": "Blue"}}""", p => Color.Blue != p.Favorite);
        var wanted = Color.Red;
        Where("""{"fav": "Red"}""", p => p.Favorite == wanted);
    }

    [Fact]
    public void Arrays()
    {
        Where("""{"tags": "x"}""", p => p.Tags.Contains("x"));
        Where("""{"nums": 4}""", p => p.Nums.Contains(4));
        Where("""{"tags": {"$ne": null, "$not": {"$size": 0}}}""", p => p.Tags.Any());
        Where("""{"items": {"$elemMatch": {"qty": {"$gt": 2}, "sku": "a"}}}""", p => p.Items.Any(i => i.Qty > 2 && i.Sku == "a"));
        Where("""{"nums": {"$elemMatch": {"$gt": 5}}}""", p => p.Nums.Any(n => n > 5));
        Where("""{"nums": {"$elemMatch": {"$gt": 1, "$lt": 5}}}""", p => p.Nums.Any(n => n > 1 && n < 5));
        Where("""{"tags": {"$elemMatch": {"$eq": "a"}}}""", p => p.Tags.Any(t => t == "a"));
        Where("""{"tags": {"$size": 2}}""", p => p.Tags.Count == 2);
        Where("""{"nums": {"$size": 0}}""", p => p.Nums.Length == 0);
        Where("""{"tags": {"$size": 1}}""", p => p.Tags.Count() == 1);
        Where("""{"tags": {"$not": {"$size": 1}}}""", p => p.Tags.Count != 1);
        Where("""{"tags": {"$ne": null, "$not": {"$size": 0}}}""", p => p.Tags.Count > 0);
    }

    [Fact]
    public void Strings()
    {
        Where("""{"name": {"$regularExpression": {"pattern": "a\\.b\\*$", "options": ""}}}""", p => p.Name.EndsWith("a.b*"));
        Where("""{"name": {"$regularExpression": {"pattern": "\\(x\\)\\{1\\}", "options": "i"}}}""", p => p.Name.Contains("(x){1}", StringComparison.OrdinalIgnoreCase));
        Where("""{"name": {"$regularExpression": {"pattern": "^a b#c", "options": ""}}}""", p => p.Name.StartsWith("a b#c", StringComparison.Ordinal));
        Where("""{"name": {"$regularExpression": {"pattern": "^A.*", "options": ""}}}""", p => Regex.IsMatch(p.Name, "^A.*"));
        Where("""{"name": {"$regularExpression": {"pattern": "z$", "options": "i"}}}""", p => Regex.IsMatch(p.Name, "z$", RegexOptions.IgnoreCase));
        Where("""{"name": {"$regularExpression": {"pattern": "^a", "options": "i"}}}""", p => StartsWithA.IsMatch(p.Name));
        Where("""{"name": {"$in": [null, ""]}}""", p => string.IsNullOrEmpty(p.Name));
        Where("""{"name": {"$not": {"$in": [null, ""]}}}""", p => !string.IsNullOrEmpty(p.Name));
    }

    [Fact]
    public void DateTimeOffsetAndIntegerEnumsUseTheMemberModel()
    {
        // Reflection models: DateTimeOffset is stored as the official default shape, an enum without a representation as
        // its number; the constants are encoded exactly as the member stores them.
        var resolver = Mongo.Bson.Serialization.BsonTypeInfoResolver.Default;
        var at = new DateTimeOffset(2024, 5, 6, 7, 8, 9, TimeSpan.FromHours(2));
        var model = resolver.GetTypeInfo(typeof(Event))!;
        var expected = new Mongo.Bson.BsonDocument("At", new Mongo.Bson.BsonDocument("$gte", model.GetMember("At")!.MemberTypeInfo.ToBsonValue(at)));
        Assert.Equal(expected.ToString(), Builders<Event>.Filter.Where(e => e.At >= at).Render(resolver).ToString());
        RendersValue("""{"Day": 3}""", Builders<Event>.Filter.Where(e => e.Day == DayOfWeek.Wednesday).Render(resolver));
        RendersValue("""{"Day": {"$in": [0, 6]}}""", Builders<Event>.Filter.Where(e => new[] { DayOfWeek.Sunday, DayOfWeek.Saturday }.Contains(e.Day)).Render(resolver));
    }

    [Fact]
    public void MembersOfKnownDerivedTypesAfterADowncast()
    {
        var resolver = Mongo.Bson.Serialization.BsonTypeInfoResolver.Default;
        RendersValue("""{"Pet.Barks": {"$gt": 2}}""", Builders<Owner>.Filter.Where(o => ((Dog)o.Pet).Barks > 2).Render(resolver));
        RendersValue("""{"Pet.Name": "Rex"}""", Builders<Owner>.Filter.Where(o => o.Pet.Name == "Rex").Render(resolver));
    }

    public sealed class Owner
    {
        public Pet Pet { get; set; } = new Dog();
    }

    [Mongo.Bson.Serialization.BsonKnownTypes(typeof(Dog))]
    public class Pet
    {
        public string Name { get; set; } = "";
    }

    public sealed class Dog : Pet
    {
        public int Barks { get; set; }
    }

    public sealed class Event
    {
        public DateTimeOffset At { get; set; }

        public DayOfWeek Day { get; set; }
    }

    [Fact]
    public void UntranslatableExpressionsNameTheSubExpression()
    {
        Fails("p.Display", p => p.Display == "x");
        Fails("p.Name.Length", p => p.Name.Length > 3);
        Fails("p.Name.ToUpper()", p => p.Name.ToUpper() == "A");
        Fails("p.Score", p => p.Age > p.Score);
        Fails("p.Tags.Count", p => p.Tags.Count > 2);
        Fails("p.Tags.Contains(p.Name)", p => p.Tags.Contains(p.Name));
        Fails("IsEven(p.Age)", p => IsEven(p.Age));
    }

    private static bool IsEven(int value) => value % 2 == 0;

    private static void Fails(string fragment, Expression<Func<Person, bool>> predicate)
    {
        var error = Assert.Throws<MongoNotSupportedException>(() => Builders<Person>.Filter.Where(predicate).Render(TestResolver.Instance));
        Assert.Contains(fragment, error.Message);
    }

    private sealed class Bounds
    {
        public int Low { get; init; }
    }
}
