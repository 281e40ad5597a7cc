using Mongo.Bson;

namespace Mongo.GridFS;

/// <summary>What is wrong with a file's chunks.</summary>
public enum GridFSChunkError
{
    /// <summary>A chunk the length calls for is not there.</summary>
    Missing,
    /// <summary>A chunk arrived with another <c>n</c> than the next one expected.</summary>
    OutOfOrder,
    /// <summary>A chunk's data is not the size the file's length and chunk size call for.</summary>
    WrongSize,
    /// <summary>There are more chunks than the length calls for.</summary>
    Extra,
    /// <summary>A chunk document is not shaped as GridFS requires (no binary <c>data</c>, no integer <c>n</c>).</summary>
    Malformed,
}

/// <summary>A file's chunks do not add up to the file its files document describes: the file is corrupt.</summary>
public sealed class GridFSChunkException : GridFSException
{
    /// <summary>Creates an exception naming the file and the chunk.</summary>
    public GridFSChunkException(BsonValue filesId, long chunkNumber, GridFSChunkError error, string detail)
        : base($"GridFS file {filesId} is corrupt at chunk {chunkNumber}: {error}: {detail}")
    {
        FilesId = filesId;
        ChunkNumber = chunkNumber;
        Error = error;
    }

    /// <summary>The file's id.</summary>
    public BsonValue FilesId { get; }

    /// <summary>The number (<c>n</c>) of the chunk that is wrong or missing.</summary>
    public long ChunkNumber { get; }

    /// <summary>What is wrong.</summary>
    public GridFSChunkError Error { get; }
}
