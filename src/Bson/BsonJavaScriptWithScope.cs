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

    // The scope document sits at this value's own depth, as BsonReader counts it.

    /// <inheritdoc />
    public override BsonValue DeepClone() => CloneAt(1);

    /// <inheritdoc />
    public override bool Equals(BsonValue? other) => EqualsAt(other, 1);

    /// <inheritdoc />
    public override int GetHashCode() => HashAt(1);

    internal override BsonValue CloneAt(int depth) => new BsonJavaScriptWithScope(Code, (BsonDocument)Scope.CloneAt(depth));

    internal override bool EqualsAt(BsonValue? other, int depth) =>
        other is BsonJavaScriptWithScope j && j.Code == Code && j.Scope.EqualsAt(Scope, depth);

    internal override int HashAt(int depth) => HashCode.Combine(Code, Scope.HashAt(depth));

    /// <inheritdoc />
    public override string ToString() => Code;
}
