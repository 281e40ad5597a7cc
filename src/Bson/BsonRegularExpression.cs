namespace Mongo.Bson;

/// <summary>A BSON regular expression: a pattern and its option letters (stored sorted, as BSON requires).</summary>
public sealed class BsonRegularExpression : BsonValue
{
    /// <summary>Creates a value. Option letters are sorted alphabetically, as the BSON specification requires.</summary>
    public BsonRegularExpression(string pattern, string options = "")
    {
        Pattern = pattern ?? throw new ArgumentNullException(nameof(pattern));
        Options = SortOptions(options ?? string.Empty);
    }

    /// <summary>The pattern.</summary>
    public string Pattern { get; }

    /// <summary>The option letters, sorted (e.g. <c>imsx</c>).</summary>
    public string Options { get; }

    /// <inheritdoc />
    public override BsonType BsonType => BsonType.RegularExpression;

    /// <inheritdoc />
    public override bool Equals(BsonValue? other) =>
        other is BsonRegularExpression r && r.Pattern == Pattern && r.Options == Options;

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Pattern, Options);

    /// <inheritdoc />
    public override string ToString() => $"/{Pattern}/{Options}";

    private static string SortOptions(string options)
    {
        for (int i = 1; i < options.Length; i++)
        {
            if (options[i - 1] > options[i])
            {
                char[] chars = options.ToCharArray();
                Array.Sort(chars);
                return new string(chars);
            }
        }

        return options;
    }
}
