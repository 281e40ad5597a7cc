namespace Mongo.Bson;

/// <summary>A BSON UTF-8 string.</summary>
public sealed class BsonString : BsonValue
{
    /// <summary>The empty string.</summary>
    public static BsonString Empty { get; } = new(string.Empty);

    /// <summary>Creates a value.</summary>
    public BsonString(string value) => Value = value ?? throw new ArgumentNullException(nameof(value));

    /// <summary>The value.</summary>
    public string Value { get; }

    /// <inheritdoc />
    public override BsonType BsonType => BsonType.String;

    /// <inheritdoc />
    public override bool Equals(BsonValue? other) => other is BsonString s && string.Equals(s.Value, Value, StringComparison.Ordinal);

    /// <inheritdoc />
    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Value);

    /// <inheritdoc />
    public override string ToString() => Value;
}
