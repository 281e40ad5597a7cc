namespace Mongo.Driver;

/// <summary>A Stable API version (versioned-api spec). Only <c>"1"</c> exists today.</summary>
public sealed class ServerApiVersion : IEquatable<ServerApiVersion>
{
    private ServerApiVersion(string value) => Value = value;

    /// <summary>Version 1.</summary>
    public static ServerApiVersion V1 { get; } = new("1");

    /// <summary>The version string sent as <c>apiVersion</c>.</summary>
    public string Value { get; }

    /// <inheritdoc />
    public bool Equals(ServerApiVersion? other) => other is not null && other.Value == Value;

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as ServerApiVersion);

    /// <inheritdoc />
    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Value);

    /// <inheritdoc />
    public override string ToString() => Value;
}

/// <summary>
/// The Stable API declaration sent with every command (<c>apiVersion</c>, <c>apiStrict</c>,
/// <c>apiDeprecationErrors</c>). It can only be set in code, not in a connection string.
/// </summary>
/// <param name="Version">The API version.</param>
/// <param name="Strict">Whether commands outside the API are rejected; null leaves it to the server.</param>
/// <param name="DeprecationErrors">Whether deprecated commands are rejected; null leaves it to the server.</param>
public sealed record ServerApi(ServerApiVersion Version, bool? Strict = null, bool? DeprecationErrors = null);
