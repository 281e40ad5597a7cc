namespace Mongo.Bson;

/// <summary>Options for a <see cref="BsonReader"/>. The default value gives the documented defaults.</summary>
public readonly record struct BsonReaderOptions
{
    /// <summary>
    /// The default maximum nesting depth: 200, the server's maxBSONDepth (<see cref="BsonLimits.MaxDepth"/>). The
    /// server stores documents nested 180 levels deep and wraps them in replies (cursor batches, change events), so
    /// a lower default would refuse documents the server legitimately returns.
    /// </summary>
    public const int DefaultMaxDepth = BsonLimits.MaxDepth;

    private readonly int _maxDepth;

    /// <summary>
    /// The maximum number of nested documents and arrays, counting the top-level document as 1.
    /// Zero means <see cref="DefaultMaxDepth"/>.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">
    /// The value is negative or above <see cref="BsonLimits.MaxDepth"/>: a deeper document could be decoded but
    /// then not written, compared or printed, so it is refused here rather than silently clamped.
    /// </exception>
    public int MaxDepth
    {
        get => _maxDepth == 0 ? DefaultMaxDepth : _maxDepth;
        init
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value);
            ArgumentOutOfRangeException.ThrowIfGreaterThan(value, BsonLimits.MaxDepth);
            _maxDepth = value;
        }
    }

    /// <summary>
    /// When true, the buffer may hold bytes after the top-level document (for example the next document of a
    /// sequence); <see cref="BsonReader.BytesConsumed"/> tells where the document ended. When false (the
    /// default), trailing bytes are a format error.
    /// </summary>
    public bool AllowTrailingBytes { get; init; }
}
