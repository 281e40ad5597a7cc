namespace Mongo.Bson;

/// <summary>
/// A BSON value: the base of the DOM. Values compare in MongoDB's cross-type sort order and are equal
/// when they have the same BSON type and value (so <c>Int32 1</c> is not equal to <c>Double 1.0</c>).
/// </summary>
public abstract partial class BsonValue : IComparable<BsonValue>, IEquatable<BsonValue>
{
    private protected BsonValue() { }

    /// <summary>The BSON type of this value.</summary>
    public abstract BsonType BsonType { get; }

    /// <summary>Whether this is an Int32, Int64, Double or Decimal128.</summary>
    public bool IsNumeric => BsonType is BsonType.Int32 or BsonType.Int64 or BsonType.Double or BsonType.Decimal128;

    /// <summary>Whether this is a string.</summary>
    public bool IsString => BsonType == BsonType.String;

    /// <summary>Whether this is an embedded document.</summary>
    public bool IsDocument => BsonType == BsonType.Document;

    /// <summary>Whether this is an array.</summary>
    public bool IsArray => BsonType == BsonType.Array;

    /// <summary>Whether this is BSON null.</summary>
    public bool IsBsonNull => BsonType == BsonType.Null;

    /// <summary>Whether this is a boolean.</summary>
    public bool IsBoolean => BsonType == BsonType.Boolean;

    /// <summary>Whether this is an Int32.</summary>
    public bool IsInt32 => BsonType == BsonType.Int32;

    /// <summary>Whether this is an Int64.</summary>
    public bool IsInt64 => BsonType == BsonType.Int64;

    /// <summary>Whether this is a Double.</summary>
    public bool IsDouble => BsonType == BsonType.Double;

    /// <summary>Whether this is a Decimal128.</summary>
    public bool IsDecimal128 => BsonType == BsonType.Decimal128;

    /// <summary>Whether this is an ObjectId.</summary>
    public bool IsObjectId => BsonType == BsonType.ObjectId;

    /// <summary>Whether this is a UTC datetime.</summary>
    public bool IsDateTime => BsonType == BsonType.DateTime;

    /// <summary>Whether this is binary data.</summary>
    public bool IsBinaryData => BsonType == BsonType.Binary;

    /// <summary>The Int32 value. Throws <see cref="InvalidCastException"/> for any other type.</summary>
    public int AsInt32 => ((BsonInt32)Cast(BsonType.Int32)).Value;

    /// <summary>The Int64 value. Throws <see cref="InvalidCastException"/> for any other type.</summary>
    public long AsInt64 => ((BsonInt64)Cast(BsonType.Int64)).Value;

    /// <summary>The Double value. Throws <see cref="InvalidCastException"/> for any other type.</summary>
    public double AsDouble => ((BsonDouble)Cast(BsonType.Double)).Value;

    /// <summary>The Decimal128 value. Throws <see cref="InvalidCastException"/> for any other type.</summary>
    public Decimal128 AsDecimal128 => ((BsonDecimal128)Cast(BsonType.Decimal128)).Value;

    /// <summary>The string value. Throws <see cref="InvalidCastException"/> for any other type.</summary>
    public string AsString => ((BsonString)Cast(BsonType.String)).Value;

    /// <summary>The boolean value. Throws <see cref="InvalidCastException"/> for any other type.</summary>
    public bool AsBoolean => ((BsonBoolean)Cast(BsonType.Boolean)).Value;

    /// <summary>The ObjectId value. Throws <see cref="InvalidCastException"/> for any other type.</summary>
    public ObjectId AsObjectId => ((BsonObjectId)Cast(BsonType.ObjectId)).Value;

    /// <summary>The datetime as a UTC <see cref="DateTime"/>. Throws <see cref="InvalidCastException"/> for any other type.</summary>
    public DateTime AsDateTime => ((BsonDateTime)Cast(BsonType.DateTime)).ToUniversalTime();

    /// <summary>This value as a document. Throws <see cref="InvalidCastException"/> for any other type.</summary>
    public BsonDocument AsDocument => (BsonDocument)Cast(BsonType.Document);

    /// <summary>This value as an array. Throws <see cref="InvalidCastException"/> for any other type.</summary>
    public BsonArray AsArray => (BsonArray)Cast(BsonType.Array);

    /// <summary>This value as binary data. Throws <see cref="InvalidCastException"/> for any other type.</summary>
    public BsonBinaryData AsBsonBinaryData => (BsonBinaryData)Cast(BsonType.Binary);

    /// <summary>A deep copy: documents and arrays are copied recursively; immutable values return themselves.</summary>
    /// <exception cref="BsonException">Documents and arrays are nested deeper than <see cref="BsonLimits.MaxDepth"/>.</exception>
    public virtual BsonValue DeepClone() => this;

    // Depth-aware forms of Equals, GetHashCode and DeepClone for tree walks. `depth` is this value's nesting
    // level (1 for a top-level container). Scalars ignore it; containers check it (Internal/DepthGuard.cs) and
    // pass depth + 1 to their children, so a DOM built too deep fails with a BsonException, not a stack overflow.
    internal virtual bool EqualsAt(BsonValue? other, int depth) => Equals(other);

    internal virtual int HashAt(int depth) => GetHashCode();

    internal virtual BsonValue CloneAt(int depth) => DeepClone();

    /// <summary>Converts a numeric value to Int32 (truncating doubles and decimals; throws for other types).</summary>
    public int ToInt32() => BsonType switch
    {
        BsonType.Int32 => ((BsonInt32)this).Value,
        BsonType.Int64 => checked((int)((BsonInt64)this).Value),
        BsonType.Double => checked((int)((BsonDouble)this).Value),
        BsonType.Decimal128 => ((BsonDecimal128)this).Value.ToInt32(),
        _ => throw NotNumeric(),
    };

    /// <summary>Converts a numeric value to Int64 (truncating doubles and decimals; throws for other types).</summary>
    public long ToInt64() => BsonType switch
    {
        BsonType.Int32 => ((BsonInt32)this).Value,
        BsonType.Int64 => ((BsonInt64)this).Value,
        BsonType.Double => checked((long)((BsonDouble)this).Value),
        BsonType.Decimal128 => ((BsonDecimal128)this).Value.ToInt64(),
        _ => throw NotNumeric(),
    };

    /// <summary>Converts a numeric value to Double (throws for other types).</summary>
    public double ToDouble() => BsonType switch
    {
        BsonType.Int32 => ((BsonInt32)this).Value,
        BsonType.Int64 => ((BsonInt64)this).Value,
        BsonType.Double => ((BsonDouble)this).Value,
        BsonType.Decimal128 => DecimalToDouble(((BsonDecimal128)this).Value),
        _ => throw NotNumeric(),
    };

    /// <summary>
    /// MongoDB's truthiness: false, null, undefined and numeric zero are false; everything else is true.
    /// </summary>
    public bool ToBoolean() => BsonType switch
    {
        BsonType.Boolean => ((BsonBoolean)this).Value,
        BsonType.Null or BsonType.Undefined => false,
        BsonType.Int32 => ((BsonInt32)this).Value != 0,
        BsonType.Int64 => ((BsonInt64)this).Value != 0,
        BsonType.Double => ((BsonDouble)this).Value != 0,
        BsonType.Decimal128 => !Decimal128.IsZero(((BsonDecimal128)this).Value),
        _ => true,
    };

    /// <inheritdoc />
    /// <exception cref="BsonException">Documents and arrays are nested deeper than <see cref="BsonLimits.MaxDepth"/>.</exception>
    public abstract bool Equals(BsonValue? other);

    /// <inheritdoc />
    public sealed override bool Equals(object? obj) => obj is BsonValue other && Equals(other);

    /// <inheritdoc />
    public abstract override int GetHashCode();

    /// <summary>Type-and-value equality.</summary>
    public static bool operator ==(BsonValue? left, BsonValue? right) => left is null ? right is null : left.Equals(right);

    /// <summary>Type-and-value inequality.</summary>
    public static bool operator !=(BsonValue? left, BsonValue? right) => !(left == right);

    private BsonValue Cast(BsonType expected) =>
        BsonType == expected ? this : throw new InvalidCastException($"Cannot cast a BSON {BsonType} to {expected}.");

    private InvalidCastException NotNumeric() => new($"A BSON {BsonType} is not numeric.");
}
