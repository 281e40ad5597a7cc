using Mongo.Bson;
using Mongo.Driver;
using Mongo.GridFS;

namespace Mongo.Testing.Unified;

public sealed partial class UnifiedTestRunner
{
    private static GridFSBucket CreateBucket(MongoDatabase database, BsonDocument? options)
    {
        if (options is null)
        {
            return new GridFSBucket(database);
        }

        CheckArguments(options, "bucketName", "chunkSizeBytes", "writeConcern", "readConcern", "readPreference");
        return new GridFSBucket(database, new GridFSBucketOptions
        {
            BucketName = options.GetValueOrDefault("bucketName")?.AsString ?? "fs",
            ChunkSizeBytes = options.GetValueOrDefault("chunkSizeBytes")?.ToInt32() ?? GridFSBucketOptions.DefaultChunkSizeBytes,
            WriteConcern = options.GetValueOrDefault("writeConcern") is BsonDocument wc ? ParseWriteConcern(wc) : null,
            ReadConcern = options.GetValueOrDefault("readConcern") is BsonDocument rc ? ParseReadConcern(rc) : null,
            ReadPreference = options.GetValueOrDefault("readPreference") is BsonDocument rp ? ParseReadPreference(rp) : null,
        });
    }

    private async Task<BsonValue?> BucketOperationAsync(GridFSBucket bucket, string name, BsonDocument arguments)
    {
        switch (name)
        {
            case "upload":
                CheckArguments(arguments, "filename", "source", "chunkSizeBytes", "metadata", "disableMD5");
                if (arguments.GetValueOrDefault("disableMD5") is { } disable && !disable.ToBoolean())
                {
                    throw new UnifiedSkipException("upload with disableMD5: false asks for an MD5 checksum, which this GridFS implementation does not compute (deprecated by the spec)");
                }

                var source = HexBytes(arguments["source"]);
                var options = new GridFSUploadOptions
                {
                    ChunkSizeBytes = arguments.GetValueOrDefault("chunkSizeBytes")?.ToInt32(),
                    Metadata = arguments.GetValueOrDefault("metadata") as BsonDocument,
                };
                var filename = arguments["filename"].AsString;
                return _async ? await bucket.UploadFromBytesAsync(filename, source, options) : bucket.UploadFromBytes(filename, source, options);
            case "download":
                CheckArguments(arguments, "id");
                return new BsonBinaryData(_async ? await bucket.DownloadAsBytesAsync(arguments["id"]) : bucket.DownloadAsBytes(arguments["id"]));
            case "downloadByName":
                CheckArguments(arguments, "filename", "revision");
                var revision = arguments.GetValueOrDefault("revision")?.ToInt32() ?? -1;
                var byName = arguments["filename"].AsString;
                return new BsonBinaryData(_async ? await bucket.DownloadAsBytesByNameAsync(byName, revision) : bucket.DownloadAsBytesByName(byName, revision));
            case "delete":
                CheckArguments(arguments, "id");
                await Run(() => bucket.Delete(arguments["id"]), () => bucket.DeleteAsync(arguments["id"]));
                return null;
            case "rename":
                CheckArguments(arguments, "id", "newFilename");
                await Run(() => bucket.Rename(arguments["id"], arguments["newFilename"].AsString), () => bucket.RenameAsync(arguments["id"], arguments["newFilename"].AsString));
                return null;
            case "deleteByName":
                CheckArguments(arguments, "filename");
                await Run(() => bucket.DeleteByName(arguments["filename"].AsString), () => bucket.DeleteByNameAsync(arguments["filename"].AsString));
                return null;
            case "renameByName":
                CheckArguments(arguments, "filename", "newFilename");
                await Run(() => bucket.RenameByName(arguments["filename"].AsString, arguments["newFilename"].AsString), () => bucket.RenameByNameAsync(arguments["filename"].AsString, arguments["newFilename"].AsString));
                return null;
            case "drop":
                CheckArguments(arguments);
                await Run(() => bucket.Drop(), () => bucket.DropAsync());
                return null;
            case "find":
                CheckArguments(arguments, "filter", "sort", "skip", "limit", "batchSize", "maxTimeMS");
                var findOptions = new GridFSFindOptions
                {
                    Sort = arguments.GetValueOrDefault("sort") is BsonDocument sort ? sort : null,
                    Skip = arguments.GetValueOrDefault("skip")?.ToInt32(),
                    Limit = arguments.GetValueOrDefault("limit")?.ToInt32(),
                    BatchSize = arguments.GetValueOrDefault("batchSize")?.ToInt32(),
                    MaxTime = MaxTime(arguments),
                };
                var results = new BsonArray();
                using (var cursor = _async ? await bucket.FindAsync(Filter(arguments), findOptions) : bucket.Find(Filter(arguments), findOptions))
                {
                    foreach (var file in _async ? await cursor.ToListAsync() : cursor.ToList())
                    {
                        results.Add(file.BackingDocument);
                    }
                }

                return results;
            default:
                throw new UnifiedAssertionException("Unsupported bucket operation " + name);
        }
    }

    /// <summary>Converts the unified format's <c>{ $$hexBytes: "..." }</c> to bytes.</summary>
    private static byte[] HexBytes(BsonValue value) =>
        value is BsonDocument { ElementCount: 1 } document && document.GetElement(0).Name == "$$hexBytes"
            ? Convert.FromHexString(document.GetElement(0).Value.AsString)
            : throw new UnifiedAssertionException("Expected { $$hexBytes: ... }, got " + value);
}
