using Mongo.InMemory;
using Xunit;

namespace Mongo.Driver.Tests.ReplicaSet;

/// <summary>
/// What the failover soaks share: a client URL whose timeouts bound every operation, a loop that steps the primary down
/// every second until the soak ends, and the guard that turns a hung operation into a failed test instead of a hung run.
/// </summary>
internal sealed class StepDownSoak
{
    private int _stepDowns;

    /// <summary>How many times the primary was stepped down.</summary>
    public int StepDowns => Volatile.Read(ref _stepDowns);

    /// <summary>The set's connection string with server selection, socket reads and heartbeats bounded for a soak.</summary>
    public static string ClientUrl(InMemoryReplicaSet set, TimeSpan operationTimeout) =>
        set.ConnectionString + "&serverSelectionTimeoutMS=" + (int)operationTimeout.TotalMilliseconds
        + "&socketTimeoutMS=" + (int)operationTimeout.TotalMilliseconds + "&heartbeatFrequencyMS=500";

    /// <summary>Steps the primary down once a second (when there is one) until <paramref name="stop"/> fires.</summary>
    public Task RunAsync(InMemoryReplicaSet set, CancellationToken stop) => Task.Run(async () =>
    {
        while (!stop.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(1000, stop);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            if (set.Primary is not null)
            {
                await set.StepDownAsync();
                Interlocked.Increment(ref _stepDowns);
            }
        }
    }, CancellationToken.None); // the loop watches the token itself: a cancelled Task.Run would skip nothing worth skipping

    /// <summary>Waits for every soak task, failing the test if they have not all finished within <paramref name="bound"/>.</summary>
    public static async Task WhenAllWithinAsync(IEnumerable<Task> tasks, TimeSpan bound, string hungMessage)
    {
        Task all = Task.WhenAll(tasks);
        Task finished = await Task.WhenAny(all, Task.Delay(bound));
        Assert.True(finished == all, hungMessage);
        await all;
    }
}
