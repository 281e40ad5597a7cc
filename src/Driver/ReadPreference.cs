using System.Globalization;

namespace Mongo.Driver;

/// <summary>Which members of a deployment may serve a read (server-selection spec).</summary>
public enum ReadPreferenceMode
{
    /// <summary>Only the primary.</summary>
    Primary,

    /// <summary>The primary if available, else a secondary.</summary>
    PrimaryPreferred,

    /// <summary>Only secondaries.</summary>
    Secondary,

    /// <summary>A secondary if available, else the primary.</summary>
    SecondaryPreferred,

    /// <summary>Any member within the latency window.</summary>
    Nearest,
}

/// <summary>One server tag: a name and value, matched exactly (case-sensitive).</summary>
public readonly record struct ReadPreferenceTag(string Name, string Value);

/// <summary>
/// A set of tags a server must all carry to be eligible. An empty set matches every server (useful as the
/// last fallback in a list of tag sets).
/// </summary>
public sealed class TagSet : IReadOnlyList<ReadPreferenceTag>, IEquatable<TagSet>
{
    private readonly ReadPreferenceTag[] _tags;

    /// <summary>The empty tag set (matches any server).</summary>
    public static TagSet Empty { get; } = new([]);

    /// <summary>Creates a tag set.</summary>
    public TagSet(IEnumerable<ReadPreferenceTag> tags)
    {
        ArgumentNullException.ThrowIfNull(tags);
        _tags = [.. tags];
    }

    /// <summary>Whether the set has no tags.</summary>
    public bool IsEmpty => _tags.Length == 0;

    /// <inheritdoc />
    public int Count => _tags.Length;

    /// <inheritdoc />
    public ReadPreferenceTag this[int index] => _tags[index];

    /// <summary>Whether a server with the given tags matches: it carries every tag of this set.</summary>
    public bool IsMatch(IReadOnlyDictionary<string, string> serverTags)
    {
        ArgumentNullException.ThrowIfNull(serverTags);
        foreach (var tag in _tags)
        {
            if (!serverTags.TryGetValue(tag.Name, out string? value) || !string.Equals(value, tag.Value, StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }

    /// <inheritdoc />
    public IEnumerator<ReadPreferenceTag> GetEnumerator() => ((IEnumerable<ReadPreferenceTag>)_tags).GetEnumerator();

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();

    /// <inheritdoc />
    public bool Equals(TagSet? other) => other is not null && _tags.AsSpan().SequenceEqual(other._tags);

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as TagSet);

    /// <inheritdoc />
    public override int GetHashCode()
    {
        var hash = default(HashCode);
        foreach (var tag in _tags)
        {
            hash.Add(tag);
        }

        return hash.ToHashCode();
    }

    /// <summary>E.g. <c>{ dc: "ny", rack: "1" }</c>.</summary>
    public override string ToString() =>
        _tags.Length == 0 ? "{ }" : "{ " + string.Join(", ", _tags.Select(t => $"{t.Name}: \"{t.Value}\"")) + " }";
}

/// <summary>The deprecated hedged-read option of a read preference (server 4.4 to 7.x).</summary>
public sealed record ReadPreferenceHedge(bool? Enabled);

/// <summary>
/// A read preference: a mode, optional tag sets tried in order, an optional maximum staleness and the
/// deprecated hedge option. Immutable; combinations the server-selection spec forbids are rejected.
/// </summary>
public sealed partial class ReadPreference : IEquatable<ReadPreference>
{
    /// <summary>Mode primary.</summary>
    public static ReadPreference Primary { get; } = new(ReadPreferenceMode.Primary);

    /// <summary>Mode primaryPreferred.</summary>
    public static ReadPreference PrimaryPreferred { get; } = new(ReadPreferenceMode.PrimaryPreferred);

    /// <summary>Mode secondary.</summary>
    public static ReadPreference Secondary { get; } = new(ReadPreferenceMode.Secondary);

    /// <summary>Mode secondaryPreferred.</summary>
    public static ReadPreference SecondaryPreferred { get; } = new(ReadPreferenceMode.SecondaryPreferred);

    /// <summary>Mode nearest.</summary>
    public static ReadPreference Nearest { get; } = new(ReadPreferenceMode.Nearest);

    /// <summary>Creates a read preference.</summary>
    /// <param name="mode">The mode.</param>
    /// <param name="tagSets">Tag sets tried in order; null or empty for none.</param>
    /// <param name="maxStaleness">The maximum replication lag of an eligible secondary; null (or -1 s) for none.</param>
    /// <param name="hedge">The deprecated hedge option.</param>
    /// <exception cref="MongoConfigurationException">Mode primary with tag sets, max staleness or hedge; or a non-positive max staleness.</exception>
    public ReadPreference(ReadPreferenceMode mode, IEnumerable<TagSet>? tagSets = null, TimeSpan? maxStaleness = null, ReadPreferenceHedge? hedge = null)
    {
        TagSet[] sets = tagSets is null ? [] : [.. tagSets];
        if (maxStaleness == TimeSpan.FromSeconds(-1))
        {
            maxStaleness = null;
        }

        if (maxStaleness is { } staleness && staleness <= TimeSpan.Zero)
        {
            throw new MongoConfigurationException(string.Create(CultureInfo.InvariantCulture,
                $"Invalid read preference option 'maxStalenessSeconds': {staleness.TotalSeconds} (must be positive, or -1 for no maximum)."));
        }

        if (mode == ReadPreferenceMode.Primary)
        {
            if (Array.Exists(sets, s => !s.IsEmpty))
            {
                throw new MongoConfigurationException("Invalid read preference: 'readPreferenceTags' cannot be combined with mode 'primary'.");
            }

            if (maxStaleness is not null)
            {
                throw new MongoConfigurationException("Invalid read preference: 'maxStalenessSeconds' cannot be combined with mode 'primary'.");
            }

            if (hedge is not null)
            {
                throw new MongoConfigurationException("Invalid read preference: 'hedge' cannot be combined with mode 'primary'.");
            }

            // A list holding only empty tag sets is the same as no tags for primary.
            sets = [];
        }

        Mode = mode;
        TagSets = sets;
        MaxStaleness = maxStaleness;
        Hedge = hedge;
    }

    /// <summary>The mode.</summary>
    public ReadPreferenceMode Mode { get; }

    /// <summary>The tag sets, tried in order (empty when none).</summary>
    public IReadOnlyList<TagSet> TagSets { get; }

    /// <summary>The maximum staleness, or null for none.</summary>
    public TimeSpan? MaxStaleness { get; }

    /// <summary>The deprecated hedge option, or null.</summary>
    public ReadPreferenceHedge? Hedge { get; }

    /// <summary>The mode's name as the server spells it (<c>primaryPreferred</c>, ...).</summary>
    public static string GetModeName(ReadPreferenceMode mode) => mode switch
    {
        ReadPreferenceMode.Primary => "primary",
        ReadPreferenceMode.PrimaryPreferred => "primaryPreferred",
        ReadPreferenceMode.Secondary => "secondary",
        ReadPreferenceMode.SecondaryPreferred => "secondaryPreferred",
        ReadPreferenceMode.Nearest => "nearest",
        _ => throw new ArgumentOutOfRangeException(nameof(mode), mode, null),
    };

    /// <summary>Parses a mode name (case-insensitive), e.g. <c>secondaryPreferred</c>.</summary>
    public static bool TryParseMode(string? value, out ReadPreferenceMode mode)
    {
        switch (value?.ToLowerInvariant())
        {
            case "primary": mode = ReadPreferenceMode.Primary; return true;
            case "primarypreferred": mode = ReadPreferenceMode.PrimaryPreferred; return true;
            case "secondary": mode = ReadPreferenceMode.Secondary; return true;
            case "secondarypreferred": mode = ReadPreferenceMode.SecondaryPreferred; return true;
            case "nearest": mode = ReadPreferenceMode.Nearest; return true;
            default: mode = default; return false;
        }
    }

    /// <summary>A copy with another mode (validated again).</summary>
    public ReadPreference WithMode(ReadPreferenceMode mode) => new(mode, TagSets, MaxStaleness, Hedge);

    /// <summary>A copy with other tag sets.</summary>
    public ReadPreference WithTagSets(IEnumerable<TagSet>? tagSets) => new(Mode, tagSets, MaxStaleness, Hedge);

    /// <summary>A copy with another maximum staleness.</summary>
    public ReadPreference WithMaxStaleness(TimeSpan? maxStaleness) => new(Mode, TagSets, maxStaleness, Hedge);

    /// <summary>A copy with another hedge option.</summary>
    public ReadPreference WithHedge(ReadPreferenceHedge? hedge) => new(Mode, TagSets, MaxStaleness, hedge);

    /// <inheritdoc />
    public bool Equals(ReadPreference? other) =>
        other is not null && Mode == other.Mode && MaxStaleness == other.MaxStaleness && Equals(Hedge, other.Hedge) &&
        TagSets.SequenceEqual(other.TagSets);

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as ReadPreference);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Mode, MaxStaleness, Hedge, TagSets.Count);

    /// <summary>A JSON-like rendering of what is sent as <c>$readPreference</c>.</summary>
    public override string ToString()
    {
        var parts = new List<string>(4) { $"mode: \"{GetModeName(Mode)}\"" };
        if (TagSets.Count > 0)
        {
            parts.Add("tags: [" + string.Join(", ", TagSets) + "]");
        }

        if (MaxStaleness is { } s)
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"maxStalenessSeconds: {(long)s.TotalSeconds}"));
        }

        if (Hedge is { } h)
        {
            parts.Add(h.Enabled is { } e ? (e ? "hedge: { enabled: true }" : "hedge: { enabled: false }") : "hedge: { }");
        }

        return "{ " + string.Join(", ", parts) + " }";
    }
}
