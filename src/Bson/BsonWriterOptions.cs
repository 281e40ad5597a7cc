namespace Mongo.Bson;

/// <summary>Options for a <see cref="BsonWriter"/>. The default value gives the documented defaults.</summary>
public readonly record struct BsonWriterOptions
{
    /// <summary>The default maximum size of a top-level document: 16 MiB, the server's limit.</summary>
    public const int DefaultMaxDocumentSize = 16 * 1024 * 1024;

    private readonly int _maxDocumentSize;

    /// <summary>
    /// The maximum encoded size in bytes of each top-level document; larger documents raise a
    /// <see cref="BsonSizeException"/>. Zero means <see cref="DefaultMaxDocumentSize"/>.
    /// </summary>
    public int MaxDocumentSize
    {
        get => _maxDocumentSize == 0 ? DefaultMaxDocumentSize : _maxDocumentSize;
        init
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value);
            _maxDocumentSize = value;
        }
    }
}
