namespace Mongo.Bson;

/// <summary>BSON JavaScript code.</summary>
public sealed class BsonJavaScript : BsonValue
{
    /// <summary>Creates a value.</summary>
    public BsonJavaScript(string code) => Code = code ?? throw new ArgumentNullException(nameof(code));

    /// <summary>The code.</summary>
    public string Code { get; }

    /// <inheritdoc />
    public override BsonType BsonType => BsonType.JavaScript;

    /// <inheritdoc />
    public override bool Equals(BsonValue? other) => other is BsonJavaScript j && j.Code == Code;

    /// <inheritdoc />
    public override int GetHashCode() => Code.GetHashCode(StringComparison.Ordinal);

    /// <inheritdoc />
    public override string ToString() => Code;
}
