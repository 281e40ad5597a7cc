using System.Globalization;

namespace Mongo.Driver;

/// <summary>
/// The <c>w</c> value of a write concern: a number of nodes, <c>"majority"</c>, or a custom tag set name.
/// </summary>
public readonly struct WriteConcernW : IEquatable<WriteConcernW>
{
    private readonly string? _tag;
    private readonly int _number;

    private WriteConcernW(int number, string? tag)
    {
        _number = number;
        _tag = tag;
    }

    /// <summary><c>w: "majority"</c>.</summary>
    public static WriteConcernW Majority => new(0, "majority");

    /// <summary>A node count (0 means unacknowledged).</summary>
    /// <exception cref="MongoConfigurationException">The number is negative.</exception>
    public static WriteConcernW FromNumber(int number) => number >= 0
        ? new WriteConcernW(number, null)
        : throw new MongoConfigurationException($"Invalid write concern option 'w': {number.ToString(CultureInfo.InvariantCulture)} (a node count must be 0 or more).");

    /// <summary>A mode name: <c>"majority"</c> or a custom tag set name.</summary>
    /// <exception cref="MongoConfigurationException">The mode is empty.</exception>
    public static WriteConcernW FromMode(string mode) => !string.IsNullOrEmpty(mode)
        ? new WriteConcernW(0, mode)
        : throw new MongoConfigurationException("Invalid write concern option 'w': the mode must not be empty.");

    /// <summary>The node count, or null when this is a mode.</summary>
    public int? Number => _tag is null ? _number : null;

    /// <summary>The mode (<c>"majority"</c> or a tag set name), or null when this is a number.</summary>
    public string? Mode => _tag;

    /// <summary>Whether this is <c>"majority"</c>.</summary>
    public bool IsMajority => _tag == "majority";

    /// <summary>A node count.</summary>
    public static implicit operator WriteConcernW(int number) => FromNumber(number);

    /// <summary>A mode name.</summary>
    public static implicit operator WriteConcernW(string mode) => FromMode(mode);

    /// <inheritdoc />
    public bool Equals(WriteConcernW other) => _number == other._number && string.Equals(_tag, other._tag, StringComparison.Ordinal);

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is WriteConcernW other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(_number, _tag);

    /// <summary>Equality.</summary>
    public static bool operator ==(WriteConcernW left, WriteConcernW right) => left.Equals(right);

    /// <summary>Inequality.</summary>
    public static bool operator !=(WriteConcernW left, WriteConcernW right) => !left.Equals(right);

    /// <summary>The number, or the mode in quotes.</summary>
    public override string ToString() => _tag is null ? _number.ToString(CultureInfo.InvariantCulture) : $"\"{_tag}\"";
}

/// <summary>
/// A write concern: how many nodes must acknowledge a write (<c>w</c>), whether it must be journaled
/// (<c>j</c>), and how long to wait (<c>wtimeout</c>). Immutable; invalid combinations are rejected on creation.
/// </summary>
public sealed partial class WriteConcern : IEquatable<WriteConcern>
{
    /// <summary>The server's default write concern (nothing is sent).</summary>
    public static WriteConcern Default { get; } = new();

    /// <summary><c>w: 1</c>.</summary>
    public static WriteConcern Acknowledged { get; } = new(1);

    /// <summary><c>w: 0</c>: the server does not acknowledge writes.</summary>
    public static WriteConcern Unacknowledged { get; } = new(0);

    /// <summary><c>w: "majority"</c>.</summary>
    public static WriteConcern WMajority { get; } = new(WriteConcernW.Majority);

    /// <summary>Creates a write concern; every part is optional (null means not sent).</summary>
    /// <exception cref="MongoConfigurationException">
    /// <paramref name="wTimeout"/> is negative, or <c>w</c> is 0 with <c>journal: true</c> (a contradiction).
    /// </exception>
    public WriteConcern(WriteConcernW? w = null, TimeSpan? wTimeout = null, bool? journal = null)
    {
        if (wTimeout is { } t && t < TimeSpan.Zero)
        {
            throw new MongoConfigurationException($"Invalid write concern option 'wTimeoutMS': {(long)t.TotalMilliseconds} (must be 0 or more).");
        }

        if (w is { Number: 0 } && journal == true)
        {
            throw new MongoConfigurationException("Invalid write concern: 'w' is 0 (unacknowledged) but 'journal' is true.");
        }

        W = w;
        WTimeout = wTimeout;
        Journal = journal;
    }

    /// <summary>The <c>w</c> value, or null when not set.</summary>
    public WriteConcernW? W { get; }

    /// <summary>The <c>wtimeout</c>, or null when not set.</summary>
    public TimeSpan? WTimeout { get; }

    /// <summary>The <c>j</c> (journal) flag, or null when not set.</summary>
    public bool? Journal { get; }

    /// <summary>Whether nothing is set, so the server's default applies.</summary>
    public bool IsServerDefault => W is null && WTimeout is null && Journal is null;

    /// <summary>Whether the server acknowledges writes: false only for <c>w: 0</c> without <c>j: true</c>.</summary>
    public bool IsAcknowledged => W is not { Number: 0 } || Journal == true;

    /// <summary>A copy with another <c>w</c>.</summary>
    public WriteConcern WithW(WriteConcernW? w) => new(w, WTimeout, Journal);

    /// <summary>A copy with another <c>wtimeout</c>.</summary>
    public WriteConcern WithWTimeout(TimeSpan? wTimeout) => new(W, wTimeout, Journal);

    /// <summary>A copy with another journal flag.</summary>
    public WriteConcern WithJournal(bool? journal) => new(W, WTimeout, journal);

    /// <inheritdoc />
    public bool Equals(WriteConcern? other) =>
        other is not null && Nullable.Equals(W, other.W) && WTimeout == other.WTimeout && Journal == other.Journal;

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as WriteConcern);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(W, WTimeout, Journal);

    /// <summary>A JSON-like rendering, e.g. <c>{ w: "majority", wtimeout: 500, j: true }</c>.</summary>
    public override string ToString()
    {
        var parts = new List<string>(3);
        if (W is { } w)
        {
            parts.Add($"w: {w}");
        }

        if (WTimeout is { } t)
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"wtimeout: {(long)t.TotalMilliseconds}"));
        }

        if (Journal is { } j)
        {
            parts.Add(j ? "j: true" : "j: false");
        }

        return parts.Count == 0 ? "{ }" : "{ " + string.Join(", ", parts) + " }";
    }
}
