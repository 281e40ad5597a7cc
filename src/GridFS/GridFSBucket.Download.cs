using Mongo.Bson;
using Mongo.Driver;

namespace Mongo.GridFS;

public sealed partial class GridFSBucket
{
    /// <summary>Opens a seekable stream over the file with this id.</summary>
    /// <exception cref="GridFSFileNotFoundException">There is no such file.</exception>
    public GridFSDownloadStream OpenDownloadStream(BsonValue id, CancellationToken cancellationToken = default) =>
        OpenDownloadStreamSpannedCore(async: false, id, null, -1, cancellationToken).GetAwaiter().GetResult();

    /// <summary>Opens a seekable stream over the file with this id.</summary>
    /// <exception cref="GridFSFileNotFoundException">There is no such file.</exception>
    public Task<GridFSDownloadStream> OpenDownloadStreamAsync(BsonValue id, CancellationToken cancellationToken = default) =>
        OpenDownloadStreamSpannedCore(async: true, id, null, -1, cancellationToken).AsTask();

    /// <summary>
    /// Opens a stream over a revision of the files with this name, ordered by upload date: 0 is the original,
    /// 1 the next, ...; -1 is the newest, -2 the one before it, ...
    /// </summary>
    /// <exception cref="GridFSFileNotFoundException">There is no such filename or revision.</exception>
    public GridFSDownloadStream OpenDownloadStreamByName(string filename, int revision = -1, CancellationToken cancellationToken = default) =>
        OpenDownloadStreamSpannedCore(async: false, null, filename, revision, cancellationToken).GetAwaiter().GetResult();

    /// <summary>Opens a stream over a revision of the files with this name (see the sync overload for revisions).</summary>
    /// <exception cref="GridFSFileNotFoundException">There is no such filename or revision.</exception>
    public Task<GridFSDownloadStream> OpenDownloadStreamByNameAsync(string filename, int revision = -1, CancellationToken cancellationToken = default) =>
        OpenDownloadStreamSpannedCore(async: true, null, filename, revision, cancellationToken).AsTask();

    /// <summary>Writes the whole file to a stream.</summary>
    public void DownloadToStream(BsonValue id, Stream destination, CancellationToken cancellationToken = default) =>
        DownloadToStreamCore(async: false, id, null, 0, destination, cancellationToken).GetAwaiter().GetResult();

    /// <summary>Writes the whole file to a stream.</summary>
    public Task DownloadToStreamAsync(BsonValue id, Stream destination, CancellationToken cancellationToken = default) =>
        DownloadToStreamCore(async: true, id, null, 0, destination, cancellationToken).AsTask();

    /// <summary>Writes a revision of the files with this name to a stream.</summary>
    public void DownloadToStreamByName(string filename, Stream destination, int revision = -1, CancellationToken cancellationToken = default) =>
        DownloadToStreamCore(async: false, null, filename, revision, destination, cancellationToken).GetAwaiter().GetResult();

    /// <summary>Writes a revision of the files with this name to a stream.</summary>
    public Task DownloadToStreamByNameAsync(string filename, Stream destination, int revision = -1, CancellationToken cancellationToken = default) =>
        DownloadToStreamCore(async: true, null, filename, revision, destination, cancellationToken).AsTask();

    /// <summary>Reads the whole file into an array.</summary>
    public byte[] DownloadAsBytes(BsonValue id, CancellationToken cancellationToken = default) =>
        DownloadAsBytesCore(async: false, id, null, 0, cancellationToken).GetAwaiter().GetResult();

    /// <summary>Reads the whole file into an array.</summary>
    public Task<byte[]> DownloadAsBytesAsync(BsonValue id, CancellationToken cancellationToken = default) =>
        DownloadAsBytesCore(async: true, id, null, 0, cancellationToken).AsTask();

    /// <summary>Reads a revision of the files with this name into an array.</summary>
    public byte[] DownloadAsBytesByName(string filename, int revision = -1, CancellationToken cancellationToken = default) =>
        DownloadAsBytesCore(async: false, null, filename, revision, cancellationToken).GetAwaiter().GetResult();

    /// <summary>Reads a revision of the files with this name into an array.</summary>
    public Task<byte[]> DownloadAsBytesByNameAsync(string filename, int revision = -1, CancellationToken cancellationToken = default) =>
        DownloadAsBytesCore(async: true, null, filename, revision, cancellationToken).AsTask();

    private async ValueTask<GridFSDownloadStream> OpenDownloadStreamCore(bool async, BsonValue id, CancellationToken ct)
    {
        if (Scope(ct) is { } scoped)
        {
            // One deadline for the whole call under timeoutMS.
            return await scoped.OpenDownloadStreamCore(async, id, ct).ConfigureAwait(false);
        }

        ArgumentNullException.ThrowIfNull(id);
        var find = Files.Find(new BsonDocument("_id", id));
        var document = async ? await find.FirstOrDefaultAsync(ct).ConfigureAwait(false) : find.FirstOrDefault(ct);
        return document is null
            ? throw new GridFSFileNotFoundException(id)
            : new GridFSDownloadStream(this, new GridFSFileInfo(document));
    }

    private async ValueTask<GridFSDownloadStream> OpenDownloadStreamByNameCore(bool async, string filename, int revision, CancellationToken ct)
    {
        if (Scope(ct) is { } scoped)
        {
            // One deadline for the whole call under timeoutMS.
            return await scoped.OpenDownloadStreamByNameCore(async, filename, revision, ct).ConfigureAwait(false);
        }

        ArgumentNullException.ThrowIfNull(filename);

        // Revision r >= 0 is the r-th oldest; r < 0 counts back from the newest (-1 newest).
        var find = Files.Find(new BsonDocument("filename", filename))
            .Sort(new BsonDocument("uploadDate", revision >= 0 ? 1 : -1))
            .Skip(revision >= 0 ? revision : -revision - 1);
        var document = async ? await find.FirstOrDefaultAsync(ct).ConfigureAwait(false) : find.FirstOrDefault(ct);
        return document is null
            ? throw new GridFSFileNotFoundException(filename, revision)
            : new GridFSDownloadStream(this, new GridFSFileInfo(document));
    }

    private ValueTask<GridFSDownloadStream> OpenCore(bool async, BsonValue? id, string? filename, int revision, CancellationToken ct) =>
        id is not null ? OpenDownloadStreamCore(async, id, ct) : OpenDownloadStreamByNameCore(async, filename!, revision, ct);

    private async ValueTask DownloadToStreamUntracedCore(bool async, BsonValue? id, string? filename, int revision, Stream destination, CancellationToken ct)
    {
        if (Scope(ct) is { } scoped)
        {
            // One deadline for the whole call under timeoutMS.
            await scoped.DownloadToStreamUntracedCore(async, id, filename, revision, destination, ct).ConfigureAwait(false);
            return;
        }

        ArgumentNullException.ThrowIfNull(destination);
        var download = await OpenCore(async, id, filename, revision, ct).ConfigureAwait(false);
        await using (download.ConfigureAwait(false))
        {
            await download.CopyToCore(async, destination, ct).ConfigureAwait(false);
        }
    }

    // Files up to this size get their exact array at once; larger ones grow it as chunks arrive.
    private const int InitialDownloadBytes = 64 * 1024 * 1024;

    private async ValueTask<byte[]> DownloadAsBytesUntracedCore(bool async, BsonValue? id, string? filename, int revision, CancellationToken ct)
    {
        if (Scope(ct) is { } scoped)
        {
            // One deadline for the whole call under timeoutMS.
            return await scoped.DownloadAsBytesUntracedCore(async, id, filename, revision, ct).ConfigureAwait(false);
        }

        var download = await OpenCore(async, id, filename, revision, ct).ConfigureAwait(false);
        await using (download.ConfigureAwait(false))
        {
            if (download.Length > Array.MaxLength)
            {
                throw new GridFSException($"GridFS file {download.FileInfo.Id} is {download.Length} bytes, too large for an array; use a download stream.");
            }

            // The length comes from the server: trust it for the final size, not for an up-front allocation, so a
            // corrupt files document claiming gigabytes fails on its first missing chunk, not on an out-of-memory.
            long length = download.Length;
            var bytes = new byte[Math.Min(length, InitialDownloadBytes)];
            long filled = 0;
            while (filled < length)
            {
                if (filled == bytes.Length)
                {
                    Array.Resize(ref bytes, (int)Math.Min(length, (long)bytes.Length * 2));
                }

                int read = await download.ReadCore(async, bytes.AsMemory((int)filled), ct).ConfigureAwait(false);
                if (read == 0)
                {
                    break;
                }

                filled += read;
            }

            // One more read at the end verifies that no chunk follows the last one.
            _ = await download.ReadCore(async, new byte[1], ct).ConfigureAwait(false);
            return bytes;
        }
    }
}
