using System.Globalization;

namespace Mongo.Bson;

/// <summary>A BSON 32-bit signed integer.</summary>
public sealed class BsonInt32 : BsonValue
{
    private const int CacheMin = -16;
    private const int CacheMax = 256;
    private static readonly BsonInt32[] s_cache = CreateCache();

    /// <summary>Creates a value.</summary>
    public BsonInt32(int value) => Value = value;

    /// <summary>The value.</summary>
    public int Value { get; }

    /// <inheritdoc />
    public override BsonType BsonType => BsonType.Int32;

    /// <summary>A shared instance for small values, a new one otherwise (values are immutable, so sharing is safe).</summary>
    public static BsonInt32 Create(int value) =>
        value is >= CacheMin and < CacheMax ? s_cache[value - CacheMin] : new BsonInt32(value);

    /// <inheritdoc />
    public override bool Equals(BsonValue? other) => other is BsonInt32 i && i.Value == Value;

    /// <inheritdoc />
    public override int GetHashCode() => Value.GetHashCode();

    /// <inheritdoc />
    public override string ToString() => Value.ToString(CultureInfo.InvariantCulture);

    private static BsonInt32[] CreateCache()
    {
        var cache = new BsonInt32[CacheMax - CacheMin];
        for (int i = 0; i < cache.Length; i++)
        {
            cache[i] = new BsonInt32(i + CacheMin);
        }

        return cache;
    }
}
