using Mongo.Bson;

namespace Mongo.InMemory.Engine;

/// <summary>
/// The keys one document produces in one unique index: none, one, or several (arrays, compound keys). Almost every
/// insert produces exactly one key from one top-level field (the _id index above all), so that case is held inline:
/// no list per document, and the key-value document an E11000 error reports is only built when one is thrown.
/// </summary>
internal readonly struct IndexKeys
{
    private readonly string? _key;
    private readonly string? _field;
    private readonly BsonValue? _value;
    private readonly List<(string Key, BsonDocument KeyValue)>? _many;

    private IndexKeys(string key, string field, BsonValue? value)
    {
        _key = key;
        _field = field;
        _value = value;
    }

    private IndexKeys(List<(string Key, BsonDocument KeyValue)> many) => _many = many;

    /// <summary>No keys: the index does not hold the document (not unique, sparse, or outside a partial filter).</summary>
    public static IndexKeys None => default;

    /// <summary>One key from one top-level field; <paramref name="value"/> is null when the field is missing.</summary>
    public static IndexKeys Single(string key, string field, BsonValue? value) => new(key, field, value);

    /// <summary>The general case: every distinct key of a compound or multikey index entry.</summary>
    public static IndexKeys Many(List<(string Key, BsonDocument KeyValue)> keys) => new(keys);

    public int Count => _many?.Count ?? (_key is null ? 0 : 1);

    public string KeyAt(int i) => _many is not null ? _many[i].Key : i == 0 && _key is not null ? _key : throw new ArgumentOutOfRangeException(nameof(i));

    /// <summary>The key's value as E11000 errors report it (<c>{field: value}</c>, null for a missing field).</summary>
    public BsonDocument KeyValueAt(int i) => _many is not null
        ? _many[i].KeyValue
        : i == 0 && _key is not null ? new BsonDocument(_field!, _value ?? BsonNull.Value) : throw new ArgumentOutOfRangeException(nameof(i));
}
