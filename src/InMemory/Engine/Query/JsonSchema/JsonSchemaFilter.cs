using Mongo.Bson;

namespace Mongo.InMemory.Engine.Query.JsonSchema;

/// <summary>
/// <c>{$jsonSchema: {...}}</c> in a query or validator: the schema applied to the whole document (or, inside an
/// $elemMatch, to each array element; non-objects never match).
/// </summary>
internal sealed class JsonSchemaFilter(BsonValue source) : Filter
{
    private readonly JsonSchemaNode _schema = JsonSchemaNode.Parse(source);

    public override bool Matches(BsonValue root, MatchState? state = null) => root is BsonDocument && _schema.Matches(root, topLevel: true);

    /// <summary>mongod's validation details for a document this schema rejects (<paramref name="inverted"/>: one it matched, under $nor/$not).</summary>
    public BsonDocument Explain(BsonDocument document, bool inverted)
    {
        if (inverted) return new BsonDocument { { "operatorName", "$jsonSchema" }, { "reason", "schema matched" } };
        if (!_schema.CanMatchDocuments)
        {
            return new BsonDocument
            {
                { "operatorName", "$jsonSchema" },
                { "specifiedAs", new BsonDocument("$jsonSchema", source) },
                { "reason", "expression always evaluates to false" },
            };
        }
        var rules = new List<BsonDocument>();
        _schema.Validate(document, topLevel: true, rules);
        var details = new BsonDocument("operatorName", "$jsonSchema");
        if (_schema.Title is not null) details.Add("title", _schema.Title);
        if (_schema.Description is not null) details.Add("description", _schema.Description);
        return details.Add("schemaRulesNotSatisfied", new BsonArray(rules));
    }
}
