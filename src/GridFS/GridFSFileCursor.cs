using Mongo.Bson;
using Mongo.Driver;

namespace Mongo.GridFS;

/// <summary>The files documents a <see cref="GridFSBucket.Find"/> matched, read batch by batch from the server.</summary>
public sealed class GridFSFileCursor : IAsyncEnumerable<GridFSFileInfo>, IEnumerable<GridFSFileInfo>, IAsyncDisposable, IDisposable
{
    private readonly MongoCursor<BsonDocument> _cursor;

    internal GridFSFileCursor(MongoCursor<BsonDocument> cursor) => _cursor = cursor;

    /// <summary>Reads every remaining file into a list.</summary>
    public List<GridFSFileInfo> ToList(CancellationToken cancellationToken = default) =>
        _cursor.ToList(cancellationToken).ConvertAll(static d => new GridFSFileInfo(d));

    /// <summary>Reads every remaining file into a list.</summary>
    public async Task<List<GridFSFileInfo>> ToListAsync(CancellationToken cancellationToken = default) =>
        (await _cursor.ToListAsync(cancellationToken).ConfigureAwait(false)).ConvertAll(static d => new GridFSFileInfo(d));

    /// <inheritdoc />
    public async IAsyncEnumerator<GridFSFileInfo> GetAsyncEnumerator(CancellationToken cancellationToken = default)
    {
        await foreach (var document in _cursor.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            yield return new GridFSFileInfo(document);
        }
    }

    /// <inheritdoc />
    public IEnumerator<GridFSFileInfo> GetEnumerator()
    {
        foreach (var document in _cursor)
        {
            yield return new GridFSFileInfo(document);
        }
    }

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>Closes the server cursor if it is still open.</summary>
    public void Dispose() => _cursor.Dispose();

    /// <summary>Closes the server cursor if it is still open.</summary>
    public ValueTask DisposeAsync() => _cursor.DisposeAsync();
}
