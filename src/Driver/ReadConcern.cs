namespace Mongo.Driver;

/// <summary>The well-known read concern levels. Any other string is passed to the server unchanged.</summary>
public static class ReadConcernLevel
{
    /// <summary><c>local</c>.</summary>
    public const string Local = "local";

    /// <summary><c>majority</c>.</summary>
    public const string Majority = "majority";

    /// <summary><c>linearizable</c>.</summary>
    public const string Linearizable = "linearizable";

    /// <summary><c>available</c>.</summary>
    public const string Available = "available";

    /// <summary><c>snapshot</c>.</summary>
    public const string Snapshot = "snapshot";
}

/// <summary>
/// A read concern: the isolation level of reads. Immutable. The level is a free string so that levels a
/// newer server introduces work unchanged (read-write-concern spec, "unknown levels").
/// </summary>
public sealed partial class ReadConcern : IEquatable<ReadConcern>
{
    /// <summary>The server's default read concern (no level sent).</summary>
    public static ReadConcern Default { get; } = new(null);

    /// <summary>Level <c>local</c>.</summary>
    public static ReadConcern Local { get; } = new(ReadConcernLevel.Local);

    /// <summary>Level <c>majority</c>.</summary>
    public static ReadConcern Majority { get; } = new(ReadConcernLevel.Majority);

    /// <summary>Level <c>linearizable</c>.</summary>
    public static ReadConcern Linearizable { get; } = new(ReadConcernLevel.Linearizable);

    /// <summary>Level <c>available</c>.</summary>
    public static ReadConcern Available { get; } = new(ReadConcernLevel.Available);

    /// <summary>Level <c>snapshot</c>.</summary>
    public static ReadConcern Snapshot { get; } = new(ReadConcernLevel.Snapshot);

    /// <summary>Creates a read concern with the given level; null means the server default.</summary>
    /// <exception cref="ArgumentException">The level is an empty string.</exception>
    public ReadConcern(string? level)
    {
        if (level is { Length: 0 })
        {
            throw new ArgumentException("A read concern level must not be empty; use null for the server default.", nameof(level));
        }

        Level = level;
    }

    /// <summary>The level, or null for the server default.</summary>
    public string? Level { get; }

    /// <summary>Whether this is the server's default (nothing is sent).</summary>
    public bool IsServerDefault => Level is null;

    /// <inheritdoc />
    public bool Equals(ReadConcern? other) => other is not null && string.Equals(Level, other.Level, StringComparison.Ordinal);

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as ReadConcern);

    /// <inheritdoc />
    public override int GetHashCode() => Level is null ? 0 : StringComparer.Ordinal.GetHashCode(Level);

    /// <summary>A JSON-like rendering, e.g. <c>{ level: "majority" }</c>.</summary>
    public override string ToString() => Level is null ? "{ }" : $"{{ level: \"{Level}\" }}";
}
