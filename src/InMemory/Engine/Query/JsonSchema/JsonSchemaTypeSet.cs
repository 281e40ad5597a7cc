using Mongo.Bson;

namespace Mongo.InMemory.Engine.Query.JsonSchema;

/// <summary>
/// The types a <c>type</c> or <c>bsonType</c> keyword names (mongod's MatcherTypeSet): BSON type codes plus
/// "number" for every numeric type. <c>type</c> takes the JSON names, <c>bsonType</c> the $type aliases.
/// </summary>
internal sealed class JsonSchemaTypeSet
{
    private readonly HashSet<BsonType> _types = [];

    private JsonSchemaTypeSet()
    {
    }

    public bool AllNumbers { get; private set; }

    /// <summary>One type only ("number" counts as one): mongod then applies the keywords of that type unguarded.</summary>
    public bool IsSingleType => AllNumbers ? _types.Count == 0 : _types.Count == 1;

    public bool Matches(BsonValue? value) =>
        value is not null && (AllNumbers && value.IsNumeric || _types.Contains(value.BsonType));

    /// <summary>Whether this (single) type is one of <paramref name="kind"/>'s types.</summary>
    public bool IsOnly(TypeKind kind) => IsSingleType && (AllNumbers ? kind == TypeKind.Number : KindOf(_types.First()) == kind);

    public bool Includes(BsonType type) => _types.Contains(type);

    public static JsonSchemaTypeSet Parse(string keyword, BsonValue spec)
    {
        var set = new JsonSchemaTypeSet();
        var json = keyword == "type";
        if (spec is BsonString s)
        {
            RejectInteger(s.Value);
            set.Add(s.Value, json);
        }
        else if (spec is BsonArray arr)
        {
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var item in arr)
            {
                if (item is not BsonString alias) throw Errors.TypeMismatch("$jsonSchema keyword '" + keyword + "' array elements must be strings");
                RejectInteger(alias.Value);
                if (!seen.Add(alias.Value)) throw Errors.FailedToParse("$jsonSchema keyword '" + keyword + "' has duplicate value: " + alias.Value);
                set.Add(alias.Value, json);
            }
        }
        else throw Errors.TypeMismatch("$jsonSchema keyword '" + keyword + "' must be either a string or an array of strings");
        if (!set.AllNumbers && set._types.Count == 0)
            throw Errors.FailedToParse("$jsonSchema keyword '" + keyword + "' must name at least one type");
        return set;
    }

    // JSON Schema's "integer" has no BSON counterpart mongod would pick, so it refuses it.
    private static void RejectInteger(string alias)
    {
        if (alias == "integer") throw Errors.FailedToParse("$jsonSchema type 'integer' is not currently supported.");
    }

    private void Add(string alias, bool json)
    {
        if (alias == "number")
        {
            AllNumbers = true;
            return;
        }
        BsonType? type = json
            ? alias switch
            {
                "array" => BsonType.Array,
                "boolean" => BsonType.Boolean,
                "null" => BsonType.Null,
                "object" => BsonType.Document,
                "string" => BsonType.String,
                _ => null,
            }
            : FromCode(FilterParser.TypeCodeFromAlias(alias));
        _types.Add(type ?? throw Errors.BadValue("Unknown type name alias: " + alias));
    }

    private static BsonType? FromCode(int? code) => code switch
    {
        null => null,
        -1 => BsonType.MinKey,
        127 => BsonType.MaxKey,
        _ => (BsonType)code.Value,
    };

    public static TypeKind KindOf(BsonType type) => type switch
    {
        BsonType.String => TypeKind.String,
        BsonType.Int32 or BsonType.Int64 or BsonType.Double or BsonType.Decimal128 => TypeKind.Number,
        BsonType.Array => TypeKind.Array,
        BsonType.Document => TypeKind.Object,
        _ => TypeKind.Other,
    };

    public static TypeKind KindOf(BsonValue? value) => value is null ? TypeKind.Missing : KindOf(value.BsonType);
}

/// <summary>The type a JSON Schema restriction keyword constrains (minLength: strings, minimum: numbers...).</summary>
internal enum TypeKind
{
    Missing,
    String,
    Number,
    Array,
    Object,
    Other,
}
