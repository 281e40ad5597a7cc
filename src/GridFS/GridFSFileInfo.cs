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
        Length = ReadWhole(document, "length", min: 0, max: long.MaxValue);
        ChunkSizeBytes = (int)ReadWhole(document, "chunkSize", min: 1, max: MaxChunkSizeBytes);
        if (ChunkCount > int.MaxValue)
        {
            // Chunk numbers are Int32: a larger count cannot have been written by any GridFS driver.
            throw Invalid($"length {Length} with chunkSize {ChunkSizeBytes} would need {ChunkCount} chunks, more than a chunk number can count");
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

    /// <summary>
    /// The largest chunk size a files document may declare: a chunk's data must fit in one 16 MiB BSON document.
    /// Anything larger is corrupt, and is refused before a reader sizes a buffer by it.
    /// </summary>
    public const int MaxChunkSizeBytes = 16 * 1024 * 1024;

    /// <summary>A count field as a whole number in range: NaN, fractions and out-of-range values are corrupt, not rounded.</summary>
    private long ReadWhole(BsonDocument document, string field, long min, long max)
    {
        long value = document.GetValueOrDefault(field) switch
        {
            BsonInt32 i => i.Value,
            BsonInt64 l => l.Value,
            BsonDouble d when double.IsFinite(d.Value) && Math.Floor(d.Value) == d.Value && d.Value >= min && d.Value <= max => (long)d.Value,
            BsonDecimal128 m when TryWhole(m.Value, out long whole) => whole,
            null => throw Invalid(field + " is missing"),
            { IsNumeric: true } other => throw Invalid($"{field} {other} is not a whole number of bytes in range"),
            var other => throw Invalid($"{field} is a {other.BsonType}, not a number"),
        };
        return value >= min && value <= max ? value : throw Invalid($"{field} {value} is out of range ({min} to {max})");
    }

    private static bool TryWhole(Decimal128 value, out long whole)
    {
        decimal d;
        try
        {
            d = value.ToDecimal();
        }
        catch (OverflowException)
        {
            whole = 0;
            return false;
        }

        bool ok = decimal.Truncate(d) == d && d >= long.MinValue && d <= long.MaxValue;
        whole = ok ? (long)d : 0;
        return ok;
    }

    private GridFSException Invalid(string what) =>
        new($"Invalid GridFS files document {BackingDocument.GetValueOrDefault("_id")}: {what}.");
}
