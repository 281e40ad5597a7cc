using Mongo.Bson;

namespace Mongo.GridFS;

/// <summary>A GridFS files document: what is known of a stored file.</summary>
public sealed class GridFSFileInfo
{
    /// <summary>Reads a files document.</summary>
    /// <exception cref="GridFSException">A required field is missing or has the wrong type.</exception>
    public GridFSFileInfo(BsonDocument document)
    {
        BackingDocument = document ?? throw new ArgumentNullException(nameof(document));
        Id = document.GetValueOrDefault("_id") ?? throw Invalid("_id is missing");
        Length = document.GetValueOrDefault("length") is { IsNumeric: true } length
            ? length.ToInt64()
            : throw Invalid("length is missing or not a number");
        ChunkSizeBytes = document.GetValueOrDefault("chunkSize") is { IsNumeric: true } chunkSize
            ? chunkSize.ToInt32()
            : throw Invalid("chunkSize is missing or not a number");
        if (Length < 0 || ChunkSizeBytes <= 0)
        {
            throw Invalid($"length {Length} and chunkSize {ChunkSizeBytes} must be non-negative and positive");
        }

        Filename = document.GetValueOrDefault("filename") is BsonString name ? name.Value : null;
        UploadDate = document.GetValueOrDefault("uploadDate") is BsonDateTime date && date.IsValidDateTime
            ? date.ToUniversalTime()
            : default;
        Metadata = document.GetValueOrDefault("metadata") as BsonDocument;
    }

    /// <summary>The file's id.</summary>
    public BsonValue Id { get; }

    /// <summary>The file's length in bytes.</summary>
    public long Length { get; }

    /// <summary>The size of every chunk but the last.</summary>
    public int ChunkSizeBytes { get; }

    /// <summary>The filename, when the document has one.</summary>
    public string? Filename { get; }

    /// <summary>When the upload completed (UTC).</summary>
    public DateTime UploadDate { get; }

    /// <summary>User metadata, when present.</summary>
    public BsonDocument? Metadata { get; }

    /// <summary>The whole files document, including any extra fields.</summary>
    public BsonDocument BackingDocument { get; }

    /// <summary>How many chunks the file has.</summary>
    public long ChunkCount => (Length + ChunkSizeBytes - 1) / ChunkSizeBytes;

    private GridFSException Invalid(string what) =>
        new($"Invalid GridFS files document {BackingDocument.GetValueOrDefault("_id")}: {what}.");
}
