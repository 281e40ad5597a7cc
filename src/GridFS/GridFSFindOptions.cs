using Mongo.Driver;

namespace Mongo.GridFS;

/// <summary>Options of <see cref="GridFSBucket.Find"/>.</summary>
public sealed class GridFSFindOptions
{
    /// <summary>The sort order of the files documents.</summary>
    public SortDefinition? Sort { get; init; }

    /// <summary>How many files to skip.</summary>
    public int? Skip { get; init; }

    /// <summary>The maximum number of files to return.</summary>
    public int? Limit { get; init; }

    /// <summary>Documents per batch.</summary>
    public int? BatchSize { get; init; }

    /// <summary>The server-side time limit.</summary>
    public TimeSpan? MaxTime { get; init; }
}
