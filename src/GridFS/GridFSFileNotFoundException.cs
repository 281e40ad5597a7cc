using Mongo.Bson;

namespace Mongo.GridFS;

/// <summary>No files document matched: the id, or the filename and revision, do not exist.</summary>
public sealed class GridFSFileNotFoundException : GridFSException
{
    /// <summary>Creates an exception for a missing file id.</summary>
    public GridFSFileNotFoundException(BsonValue id)
        : base($"GridFS file not found: no files document with _id {id}.")
    {
        Id = id;
    }

    /// <summary>Creates an exception for a missing filename or revision.</summary>
    public GridFSFileNotFoundException(string filename, int revision)
        : base($"GridFS file not found: no revision {revision} of filename '{filename}'.")
    {
        Filename = filename;
        Revision = revision;
    }

    /// <summary>The id looked up, when the lookup was by id.</summary>
    public BsonValue? Id { get; }

    /// <summary>The filename looked up, when the lookup was by name.</summary>
    public string? Filename { get; }

    /// <summary>The revision looked up, when the lookup was by name.</summary>
    public int? Revision { get; }
}
