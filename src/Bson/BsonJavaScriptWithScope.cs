namespace Mongo.Bson;

/// <summary>BSON JavaScript code with a scope document (deprecated, still readable).</summary>
public sealed class BsonJavaScriptWithScope : BsonValue
{
    /// <summary>Creates a value.</summary>
    public BsonJavaScriptWithScope(string code, BsonDocument scope)
    {
        Code = code ?? throw new ArgumentNullException(nameof(code));
        Scope = scope ?? throw new ArgumentNullException(nameof(scope));
    }

    /// <summary>The code.</summary>
    public string Code { get; }

    /// <summary>The scope document.</summary>
    public BsonDocument Scope { get; }

    /// <inheritdoc />
    public override BsonType BsonType => BsonType.JavaScriptWithScope;

    /// <inheritdoc />
    public override BsonValue DeepClone() => new BsonJavaScriptWithScope(Code, (BsonDocument)Scope.DeepClone());

    /// <inheritdoc />
    public override bool Equals(BsonValue? other) => other is BsonJavaScriptWithScope j && j.Code == Code && j.Scope.Equals(Scope);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Code, Scope);

    /// <inheritdoc />
    public override string ToString() => Code;
}
