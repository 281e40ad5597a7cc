using Mongo.Benchmarks.Bson;
using Mongo.Benchmarks.Compare;

namespace Mongo.Benchmarks;

/// <summary>Every compare-mode task, in the order they are printed.</summary>
internal static class TaskCatalog
{
    public static IEnumerable<CompareTask> All()
    {
        foreach (var task in BsonCompareTasks.Create())
        {
            yield return task;
        }

        foreach (var task in ExtendedJsonCompareTasks.Create())
        {
            yield return task;
        }
    }
}
