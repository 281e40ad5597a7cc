using Mongo.Benchmarks.Compare;
using Mongo.Benchmarks.Infrastructure;
using Mongo.Bson;
using Mongo.Driver;
using Mongo.GridFS;
using O = MongoDB.Bson;
using OD = MongoDB.Driver;
using OG = MongoDB.Driver.GridFS;

namespace Mongo.Benchmarks.Driver;

/// <summary>
/// The benchmarking spec's GridFS tasks: upload and download of gridfs_large.bin (50 MiB), and the parallel
/// gridfs_multi set (50 x 5 MiB) uploaded with four concurrent uploads. Downloads go to Stream.Null, so the
/// allocation column shows what the driver itself holds per file, not the file.
/// </summary>
internal static class GridFSCompareTasks
{
    public static IEnumerable<CompareTask> Create(OutOfProcessServer server)
    {
        var oursDb = new MongoClient(server.ConnectionString).GetDatabase("perftest_gridfs");
        var officialDb = new OD.MongoClient(server.ConnectionString).GetDatabase("perftest_gridfs");
        var ours = new GridFSBucket(oursDb);
        var official = new OG.GridFSBucket(officialDb);
        byte[] large = File.ReadAllBytes(DriverDataSets.GridFSLarge);
        void Reset() => ours.Drop();

        yield return new CompareTask("gridfs_upload_large", large.Length,
            () => ours.UploadFromBytes("large", large),
            () => official.UploadFromBytes("large", large),
            Reset);

        Reset();
        var id = ours.UploadFromBytes("large", large);
        var officialId = O.ObjectId.Parse(id.ToString());
        yield return new CompareTask("gridfs_download_large", large.Length,
            () => ours.DownloadToStream(id, Stream.Null),
            () => official.DownloadToStream(officialId, Stream.Null));

        string[] multi = Enumerable.Range(0, 50)
            .Select(i => BenchData.GetFile("parallel", $"gridfs_multi/file{i:D2}.txt"))
            .ToArray();
        long multiBytes = multi.Sum(f => new FileInfo(f).Length);
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = 4 };
        yield return new CompareTask("gridfs_upload_multi", multiBytes,
            () => Parallel.ForEach(multi, parallel, f =>
            {
                using var file = File.OpenRead(f);
                ours.UploadFromStream(Path.GetFileName(f), file);
            }),
            () => Parallel.ForEach(multi, parallel, f =>
            {
                using var file = File.OpenRead(f);
                official.UploadFromStream(Path.GetFileName(f), file);
            }),
            Reset);

        Reset();
        var ids = multi.Select(f =>
        {
            using var file = File.OpenRead(f);
            return ours.UploadFromStream(Path.GetFileName(f), file);
        }).ToArray();
        yield return new CompareTask("gridfs_download_multi", multiBytes,
            () => Parallel.ForEach(ids, parallel, i => ours.DownloadToStream(i, Stream.Null)),
            () => Parallel.ForEach(ids, parallel, i => official.DownloadToStream(O.ObjectId.Parse(i.ToString()), Stream.Null)));
    }
}
