namespace Mongo.Benchmarks.Compare;

/// <summary>One side-by-side task: the same work done by our library and by the official one.</summary>
/// <param name="Name">Task name as printed.</param>
/// <param name="BytesPerOperation">Real encoded bytes one operation processes (for MB/s).</param>
/// <param name="Ours">One operation with Mongo.*.</param>
/// <param name="Official">One operation with MongoDB.*.</param>
/// <param name="Setup">Runs before each side's measurement (e.g. emptying a collection).</param>
internal sealed record CompareTask(string Name, long BytesPerOperation, Action Ours, Action Official, Action? Setup = null)
{
    /// <summary>
    /// The CPU time the out-of-process server has used so far (driver tasks), so <c>--cpu</c> can split an operation's
    /// cost between the driver and the server; null when there is no server process to measure.
    /// </summary>
    public Func<TimeSpan>? ServerCpu { get; init; }

    /// <summary>
    /// When positive, <see cref="Setup"/> also runs, untimed, after every this many operations, as the driver
    /// benchmarking spec resets the collection before each task (each insertMany, each 10,000 small or 10 large
    /// insertOnes). Otherwise the collection would grow through a whole sample, and a faster driver would fill it more
    /// and pay for the bigger server heap it leaves.
    /// </summary>
    public int SetupEvery { get; init; }
}
