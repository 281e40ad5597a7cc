using Mongo.Benchmarks.Bson;
using Mongo.Benchmarks.Compare;
using Mongo.Benchmarks.Driver;
using Mongo.Benchmarks.Infrastructure;
using Mongo.Benchmarks.Poco;

namespace Mongo.Benchmarks;

/// <summary>Every compare-mode task, in the order they are printed, optionally only those whose name starts with a prefix.</summary>
internal static class TaskCatalog
{
    public static IEnumerable<CompareTask> All(string? prefix = null)
    {
        bool Wanted(string group) => prefix is null || group.StartsWith(prefix, StringComparison.Ordinal) || prefix.StartsWith(group, StringComparison.Ordinal);

        if (Wanted("bson_"))
        {
            foreach (var task in BsonCompareTasks.Create())
            {
                yield return task;
            }
        }

        if (Wanted("poco_"))
        {
            foreach (var task in PocoCompareTasks.Create())
            {
                yield return task;
            }
        }

        // The server starts only when a driver task is wanted, and stops when the enumeration ends.
        if (Wanted("driver_") || Wanted("gridfs_"))
        {
            using var server = OutOfProcessServer.Start();
            if (Wanted("driver_"))
            {
                foreach (var task in DriverCompareTasks.Create(server))
                {
                    yield return task with { ServerCpu = server.ProcessorTime };
                }
            }

            if (Wanted("gridfs_"))
            {
                foreach (var task in GridFSCompareTasks.Create(server))
                {
                    yield return task with { ServerCpu = server.ProcessorTime };
                }
            }
        }

        if (Wanted("inmemory_"))
        {
            foreach (var task in InMemoryIndexTasks.Create())
            {
                yield return task;
            }
        }

        foreach (var task in ExtendedJsonCompareTasks.Create())
        {
            yield return task;
        }
    }
}
