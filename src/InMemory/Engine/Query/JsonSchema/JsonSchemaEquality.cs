using Mongo.Bson;

namespace Mongo.InMemory.Engine.Query.JsonSchema;

/// <summary>
/// Equality for <c>enum</c> and <c>uniqueItems</c>: mongod compares with its unordered-fields comparator, so
/// <c>{a: 1, b: 2}</c> equals <c>{b: 2, a: 1}</c>; numbers compare by value; arrays keep their order.
/// </summary>
internal static class JsonSchemaEquality
{
    public static bool Equal(BsonValue? a, BsonValue? b)
    {
        if (a is null || b is null) return a is null && b is null;
        if (a is BsonDocument da && b is BsonDocument db)
        {
            if (da.ElementCount != db.ElementCount) return false;
            foreach (var (name, value) in da)
                if (!db.TryGetValue(name, out var other) || !Equal(value, other)) return false;
            return true;
        }
        if (a is BsonArray aa && b is BsonArray ab)
        {
            if (aa.Count != ab.Count) return false;
            for (var i = 0; i < aa.Count; i++)
                if (!Equal(aa[i], ab[i])) return false;
            return true;
        }
        if (a is BsonDocument || b is BsonDocument || a is BsonArray || b is BsonArray) return false;
        return BsonOrder.Compare(a, b) == 0;
    }
}
