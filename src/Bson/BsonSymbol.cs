namespace Mongo.Bson;

/// <summary>A BSON symbol (deprecated, still readable). Sorts and compares with strings.</summary>
public sealed class BsonSymbol : BsonValue
{
    /// <summary>Creates a value.</summary>
    public BsonSymbol(string name) => Name = name ?? throw new ArgumentNullException(nameof(name));

    /// <summary>The symbol's text.</summary>
    public string Name { get; }

    /// <inheritdoc />
    public override BsonType BsonType => BsonType.Symbol;

    /// <inheritdoc />
    public override bool Equals(BsonValue? other) => other is BsonSymbol s && s.Name == Name;

    /// <inheritdoc />
    public override int GetHashCode() => Name.GetHashCode(StringComparison.Ordinal);

    /// <inheritdoc />
    public override string ToString() => Name;
}
