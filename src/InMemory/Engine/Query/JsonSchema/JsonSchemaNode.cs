using System.Text.RegularExpressions;
using Mongo.Bson;

namespace Mongo.InMemory.Engine.Query.JsonSchema;

/// <summary>
/// One parsed (sub)schema of mongod's <c>$jsonSchema</c>: the JSON Schema draft 4 subset mongod accepts, with its
/// parse errors. Matching (<see cref="Matches"/>) has JSON semantics: no implicit array traversal, and each restriction
/// keyword only constrains values of its own type. Split by concern: parse here, matching and errInfo in partials.
/// </summary>
internal sealed partial class JsonSchemaNode
{
    // The keywords mongod knows; anything else is refused (unsupported ones with their own message).
    private static readonly HashSet<string> Keywords = new(StringComparer.Ordinal)
    {
        "additionalItems", "additionalProperties", "allOf", "anyOf", "bsonType", "dependencies", "description", "encrypt",
        "encryptMetadata", "enum", "exclusiveMaximum", "exclusiveMinimum", "items", "maxItems", "maxLength", "maxProperties",
        "maximum", "minItems", "minLength", "minProperties", "minimum", "multipleOf", "not", "oneOf", "pattern",
        "patternProperties", "properties", "required", "title", "type", "uniqueItems",
    };

    private static readonly HashSet<string> Unsupported = new(StringComparer.Ordinal) { "$ref", "$schema", "default", "definitions", "format", "id" };

    private JsonSchemaNode(BsonDocument source) => Source = source;

    /// <summary>The schema as written (specifiedAs values are read from it).</summary>
    public BsonDocument Source { get; }

    public string? Title { get; private set; }
    public string? Description { get; private set; }

    private string? _typeKeyword;
    private JsonSchemaTypeSet? _type;
    private bool _encrypt;
    private BsonValue? _encryptType;

    private Regex? _pattern;
    private long? _minLength, _maxLength;
    private BsonValue? _multipleOf, _minimum, _maximum;
    private bool _exclusiveMinimum, _exclusiveMaximum;

    private long? _minItems, _maxItems;
    private bool _uniqueItems;
    private JsonSchemaNode? _items;
    private List<JsonSchemaNode>? _itemsList;
    private bool? _additionalItemsAllowed;
    private JsonSchemaNode? _additionalItems;

    private List<(string Name, JsonSchemaNode Schema)>? _properties;
    private List<string>? _required;
    private List<(string Pattern, Regex Regex, JsonSchemaNode Schema)>? _patternProperties;
    private bool? _additionalPropertiesAllowed;
    private JsonSchemaNode? _additionalProperties;
    private long? _minProperties, _maxProperties;
    private List<(string Name, List<string>? Properties, JsonSchemaNode? Schema)>? _dependencies;

    private List<JsonSchemaNode>? _allOf, _anyOf, _oneOf;
    private JsonSchemaNode? _not;
    private BsonArray? _enum;

    /// <summary>Parses a <c>$jsonSchema</c> operand with mongod's errors (9 FailedToParse, 14 TypeMismatch, 2 BadValue).</summary>
    public static JsonSchemaNode Parse(BsonValue schema)
    {
        if (schema is not BsonDocument doc) throw Errors.TypeMismatch("$jsonSchema must be an object");
        return ParseSchema(doc);
    }

    private static JsonSchemaNode ParseSchema(BsonDocument schema)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (name, _) in schema)
        {
            if (!Keywords.Contains(name))
            {
                if (Unsupported.Contains(name)) throw Errors.FailedToParse("$jsonSchema keyword '" + name + "' is not currently supported");
                throw Errors.FailedToParse("Unknown $jsonSchema keyword: " + name);
            }
            if (!seen.Add(name)) throw Errors.FailedToParse("Duplicate $jsonSchema keyword: " + name);
        }
        var node = new JsonSchemaNode(schema);
        node.ParseMetadata();
        node.ParseType();
        node.ParseScalarKeywords();
        node.ParseArrayKeywords();
        node.ParseEncryption();
        node.ParseObjectKeywords();
        node.ParseLogicalKeywords();
        return node;
    }

    /// <summary>
    /// additionalItems / additionalProperties: absent (nothing), a boolean (extra entries allowed or not) or a schema the
    /// extra entries must match; anything else is a type mismatch with mongod's keyword-specific message.
    /// </summary>
    private (bool? Allowed, JsonSchemaNode? Schema) BooleanOrSchema(string keyword, Func<BsonValue, string> mismatch) => Get(keyword) switch
    {
        null => (null, null),
        BsonBoolean b => (b.Value, null),
        BsonDocument d => (null, ParseSchema(d)),
        var other => throw Errors.TypeMismatch(mismatch(other)),
    };

    private BsonValue? Get(string keyword) => Source.TryGetValue(keyword, out var v) ? v : null;

    private void ParseMetadata()
    {
        foreach (var keyword in (ReadOnlySpan<string>)["description", "title"])
        {
            if (Get(keyword) is { } v && v is not BsonString)
                throw Errors.TypeMismatch("$jsonSchema keyword '" + keyword + "' must be of type string");
        }
        Title = (Get("title") as BsonString)?.Value;
        Description = (Get("description") as BsonString)?.Value;
    }

    private void ParseType()
    {
        var type = Get("type");
        var bsonType = Get("bsonType");
        var encrypt = Get("encrypt");
        if (type is not null && bsonType is not null) throw Errors.FailedToParse("Cannot specify both $jsonSchema keywords 'type' and 'bsonType'");
        if (encrypt is not null && (type ?? bsonType) is not null)
        {
            var other = type is not null ? "type" : "bsonType";
            throw Errors.FailedToParse("$jsonSchema keyword 'encrypt' cannot be used in conjunction with '" + other + "', 'encrypt' implies type 'bsonType::BinData'");
        }
        if (type is not null) (_typeKeyword, _type) = ("type", JsonSchemaTypeSet.Parse("type", type));
        else if (bsonType is not null) (_typeKeyword, _type) = ("bsonType", JsonSchemaTypeSet.Parse("bsonType", bsonType));
    }

    private void ParseScalarKeywords()
    {
        if (Get("pattern") is { } pattern)
        {
            if (pattern is not BsonString ps) throw Errors.TypeMismatch("$jsonSchema keyword 'pattern' must be a string");
            _pattern = RegexCache.Get(ps.Value, "");
        }
        _maxLength = Length("maxLength");
        _minLength = Length("minLength");
        if (Get("multipleOf") is { } multipleOf)
        {
            if (!multipleOf.IsNumeric) throw Errors.TypeMismatch("$jsonSchema keyword 'multipleOf' must be a number");
            if (BsonOrder.CompareNumbers(multipleOf, new BsonInt32(0)) <= 0)
                throw Errors.FailedToParse("$jsonSchema keyword 'multipleOf' must have a positive value");
            _multipleOf = multipleOf;
        }
        (_maximum, _exclusiveMaximum) = Bound("maximum", "exclusiveMaximum");
        (_minimum, _exclusiveMinimum) = Bound("minimum", "exclusiveMinimum");
    }

    private (BsonValue?, bool) Bound(string keyword, string exclusiveKeyword)
    {
        var bound = Get(keyword);
        var exclusive = Get(exclusiveKeyword);
        if (bound is null)
        {
            if (exclusive is not null)
                throw Errors.FailedToParse("$jsonSchema keyword '" + keyword + "' must be a present if " + exclusiveKeyword + " is present");
            return (null, false);
        }
        var isExclusive = false;
        if (exclusive is not null)
        {
            if (exclusive is not BsonBoolean b) throw Errors.TypeMismatch("$jsonSchema keyword '" + exclusiveKeyword + "' must be a boolean");
            isExclusive = b.Value;
        }
        if (!bound.IsNumeric) throw Errors.TypeMismatch("$jsonSchema keyword '" + keyword + "' must be a number");
        return (bound, isExclusive);
    }

    // mongod's parseIntegerElementToNonNegativeLong: a whole, non-negative number.
    private long? Length(string keyword)
    {
        if (Get(keyword) is not { } v) return null;
        if (!v.IsNumeric) throw Errors.FailedToParse("Expected a number in: " + keyword + ": " + Shell.Format(v));
        var d = v.ToDouble();
        if (d != Math.Floor(d) || double.IsInfinity(d)) throw Errors.FailedToParse("Expected an integer: " + keyword + ": " + Shell.Format(v));
        if (d < 0) throw Errors.FailedToParse("Expected a positive number in: " + keyword + ": " + Shell.Format(v));
        return d >= long.MaxValue ? long.MaxValue : (long)d;
    }

    private void ParseArrayKeywords()
    {
        _minItems = Length("minItems");
        _maxItems = Length("maxItems");
        if (Get("uniqueItems") is { } unique)
        {
            if (unique is not BsonBoolean ub) throw Errors.TypeMismatch("$jsonSchema keyword 'uniqueItems' must be a boolean");
            _uniqueItems = ub.Value;
        }
        switch (Get("items"))
        {
            case null:
                break;
            case BsonDocument one:
                _items = ParseSchema(one);
                break;
            case BsonArray list:
                _itemsList = [];
                foreach (var item in list)
                {
                    if (item is not BsonDocument d)
                        throw Errors.TypeMismatch("$jsonSchema keyword 'items' requires that each element of the array is an object, but found a " + BsonOrder.TypeName(item));
                    _itemsList.Add(ParseSchema(d));
                }
                break;
            case var other:
                throw Errors.TypeMismatch("$jsonSchema keyword 'items' must be an array or an object, not " + BsonOrder.TypeName(other));
        }
        (_additionalItemsAllowed, _additionalItems) = BooleanOrSchema("additionalItems",
            other => "$jsonSchema keyword 'additionalItems' must be either an object or a boolean, but got a " + BsonOrder.TypeName(other));
    }

    private void ParseEncryption()
    {
        var encrypt = Get("encrypt");
        var metadata = Get("encryptMetadata");
        if (encrypt is not null && metadata is not null) throw Errors.FailedToParse("Cannot specify both $jsonSchema keywords 'encrypt' and 'encryptMetadata'");
        if (metadata is not null)
        {
            if (metadata is not BsonDocument md) throw Errors.TypeMismatch("$jsonSchema keyword 'encryptMetadata' must be an object ");
            if (md.ElementCount == 0) throw Errors.FailedToParse("$jsonSchema keyword 'encryptMetadata' cannot be an empty object ");
            CheckEncryptFields(md, "encryptMetadata", allowType: false);
        }
        if (encrypt is not null)
        {
            if (encrypt is not BsonDocument ed) throw Errors.TypeMismatch("$jsonSchema keyword 'encrypt' must be an object ");
            CheckEncryptFields(ed, "encrypt", allowType: true);
            _encrypt = true;
            if (ed.TryGetValue("bsonType", out var inner))
            {
                JsonSchemaTypeSet.Parse("bsonType", inner);
                _encryptType = inner;
            }
        }
    }

    // The IDL of encrypt/encryptMetadata: only these fields; their values are not used here (nothing is decrypted).
    private static void CheckEncryptFields(BsonDocument spec, string keyword, bool allowType)
    {
        foreach (var (name, _) in spec)
        {
            if (name is "keyId" or "algorithm" || allowType && name == "bsonType") continue;
            throw Errors.Of(40415, "BSON field '" + keyword + "." + name + "' is an unknown field.");
        }
    }

    private void ParseObjectKeywords()
    {
        if (Get("required") is { } required)
        {
            if (required is not BsonArray ra)
                throw Errors.TypeMismatch("$jsonSchema keyword 'required' must be an array, but found an element of type " + BsonOrder.TypeName(required));
            _required = [];
            foreach (var name in ra)
            {
                if (name is not BsonString s)
                    throw Errors.TypeMismatch("$jsonSchema keyword 'required' must be an array of strings, but found an element of type: " + BsonOrder.TypeName(name));
                if (_required.Contains(s.Value)) throw Errors.FailedToParse("$jsonSchema keyword 'required' array cannot contain duplicate values");
                _required.Add(s.Value);
            }
            if (_required.Count == 0) throw Errors.FailedToParse("$jsonSchema keyword 'required' cannot be an empty array");
        }
        if (Get("properties") is { } properties)
        {
            if (properties is not BsonDocument pd) throw Errors.TypeMismatch("$jsonSchema keyword 'properties' must be an object");
            _properties = [];
            foreach (var (name, sub) in pd)
            {
                if (sub is not BsonDocument sd) throw Errors.TypeMismatch("Nested schema for $jsonSchema property '" + name + "' must be an object");
                _properties.Add((name, ParseSchema(sd)));
            }
        }
        if (Get("patternProperties") is { } patternProperties)
        {
            if (patternProperties is not BsonDocument ppd) throw Errors.TypeMismatch("$jsonSchema keyword 'patternProperties' must be an object");
            _patternProperties = [];
            foreach (var (pattern, sub) in ppd)
            {
                if (sub is not BsonDocument sd)
                    throw Errors.TypeMismatch("$jsonSchema keyword 'patternProperties' has property '" + pattern + "' which is not an object");
                _patternProperties.Add((pattern, RegexCache.Get(pattern, ""), ParseSchema(sd)));
            }
        }
        (_additionalPropertiesAllowed, _additionalProperties) = BooleanOrSchema("additionalProperties",
            _ => "$jsonSchema keyword 'additionalProperties' must be an object or a boolean");
        _minProperties = Length("minProperties");
        _maxProperties = Length("maxProperties");
        if (Get("dependencies") is { } dependencies) ParseDependencies(dependencies);
    }

    private void ParseDependencies(BsonValue dependencies)
    {
        if (dependencies is not BsonDocument dd) throw Errors.TypeMismatch("$jsonSchema keyword 'dependencies' must be an object");
        _dependencies = [];
        foreach (var (name, dependency) in dd)
        {
            switch (dependency)
            {
                case BsonDocument schema:
                    _dependencies.Add((name, null, ParseSchema(schema)));
                    break;
                case BsonArray list:
                    {
                        if (list.Count == 0) throw Errors.FailedToParse("property '" + name + "' in $jsonSchema keyword 'dependencies' cannot be an empty array");
                        var names = new List<string>(list.Count);
                        foreach (var item in list)
                        {
                            if (item is not BsonString s)
                                throw Errors.TypeMismatch("array '" + name + "' in $jsonSchema keyword 'dependencies' can only contain strings, but found element of type: " + BsonOrder.TypeName(item));
                            if (names.Contains(s.Value))
                                throw Errors.FailedToParse("array '" + name + "' in $jsonSchema keyword 'dependencies' contains duplicate element: " + s.Value);
                            names.Add(s.Value);
                        }
                        _dependencies.Add((name, names, null));
                        break;
                    }
                default:
                    throw Errors.TypeMismatch("property '" + name + "' in $jsonSchema keyword 'dependencies' must be either an object or an array");
            }
        }
    }

    private void ParseLogicalKeywords()
    {
        _allOf = SchemaList("allOf");
        _anyOf = SchemaList("anyOf");
        _oneOf = SchemaList("oneOf");
        if (Get("not") is { } not)
        {
            if (not is not BsonDocument nd) throw Errors.TypeMismatch("$jsonSchema keyword 'not' must be an object, but found an element of type " + BsonOrder.TypeName(not));
            _not = ParseSchema(nd);
        }
        if (Get("enum") is { } values)
        {
            if (values is not BsonArray arr) throw Errors.TypeMismatch("$jsonSchema keyword 'enum' must be an array, but found an element of type " + BsonOrder.TypeName(values));
            if (arr.Count == 0) throw Errors.FailedToParse("$jsonSchema keyword 'enum' cannot be an empty array");
            for (var i = 0; i < arr.Count; i++)
                for (var j = 0; j < i; j++)
                    if (JsonSchemaEquality.Equal(arr[i], arr[j])) throw Errors.FailedToParse("$jsonSchema keyword 'enum' array cannot contain duplicate values.");
            _enum = arr;
        }
    }

    private List<JsonSchemaNode>? SchemaList(string keyword)
    {
        if (Get(keyword) is not { } value) return null;
        if (value is not BsonArray arr) throw Errors.TypeMismatch("$jsonSchema keyword '" + keyword + "' must be an array");
        if (arr.Count == 0) throw Errors.BadValue("$jsonSchema keyword '" + keyword + "' must be a non-empty array");
        var list = new List<JsonSchemaNode>(arr.Count);
        foreach (var item in arr)
        {
            if (item is not BsonDocument d)
                throw Errors.TypeMismatch("$jsonSchema keyword '" + keyword + "' must be an array of objects, but found an element of type " + BsonOrder.TypeName(item));
            list.Add(ParseSchema(d));
        }
        return list;
    }
}
