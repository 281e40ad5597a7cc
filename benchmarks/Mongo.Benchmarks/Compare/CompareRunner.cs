using System.Diagnostics;
using System.Globalization;

namespace Mongo.Benchmarks.Compare;

/// <summary>
/// The quick side-by-side mode: runs each task for ours and the official library in the same process,
/// interleaving samples so machine noise hits both sides alike, and prints one line per task with medians.
/// </summary>
internal static class CompareRunner
{
    public static void Run(IEnumerable<CompareTask> tasks, bool quick, bool cpu = false)
    {
        // Quick mode: a few short samples per side; full mode: more and longer samples.
        int samples = quick ? 5 : 15;
        var sampleTime = TimeSpan.FromMilliseconds(quick ? 200 : 1000);
        foreach (var task in tasks)
        {
            var ours = new List<double>();
            var official = new List<double>();
            Warm(task.Ours, task.Setup);
            Warm(task.Official, task.Setup);
            for (int i = 0; i < samples; i++)
            {
                ours.Add(Sample(task.Ours, task.Setup, sampleTime));
                official.Add(Sample(task.Official, task.Setup, sampleTime));
            }

            double oursOpsPerSec = Median(ours);
            double officialOpsPerSec = Median(official);
            long allocOurs = AllocationsPerOperation(task.Ours, task.Setup);
            long allocOfficial = AllocationsPerOperation(task.Official, task.Setup);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{task.Name} ours={Throughput(oursOpsPerSec, task.BytesPerOperation)} official={Throughput(officialOpsPerSec, task.BytesPerOperation)} ratio={oursOpsPerSec / officialOpsPerSec:F2} alloc_ours={allocOurs} alloc_official={allocOfficial}"));
            if (cpu)
            {
                var (oursClient, oursServer) = CpuPerOperation(task.Ours, task.Setup, task.ServerCpu, samples);
                var (officialClient, officialServer) = CpuPerOperation(task.Official, task.Setup, task.ServerCpu, samples);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  cpu ms/op: ours client={oursClient:F3} server={oursServer:F3} | official client={officialClient:F3} server={officialServer:F3}"));
            }
        }
    }

    /// <summary>
    /// CPU time per operation in this process (the driver, plus the task's own bookkeeping) and in the server process,
    /// over several samples (total CPU over total operations: the OS counts CPU time in 10 ms ticks, too coarse for
    /// per-sample figures of a few slow operations). CPU time, unlike wall time, barely moves when other work shares
    /// the machine, so it shows where an operation's cost lies even on a busy host. Server time is NaN without a
    /// server process.
    /// </summary>
    private static (double Client, double Server) CpuPerOperation(Action op, Action? setup, Func<TimeSpan>? serverCpu, int samples)
    {
        using var self = Process.GetCurrentProcess();
        TimeSpan client = TimeSpan.Zero;
        TimeSpan server = TimeSpan.Zero;
        long operations = 0;
        for (int i = 0; i < samples; i++)
        {
            setup?.Invoke();
            op();
            self.Refresh();
            TimeSpan clientBefore = self.TotalProcessorTime;
            TimeSpan serverBefore = serverCpu?.Invoke() ?? TimeSpan.Zero;
            int n = 0;
            var sw = Stopwatch.StartNew();
            while (n < 3 || sw.ElapsedMilliseconds < 500)
            {
                op();
                n++;
            }

            self.Refresh();
            client += self.TotalProcessorTime - clientBefore;
            server += serverCpu is null ? TimeSpan.Zero : serverCpu() - serverBefore;
            operations += n;
        }

        return (client.TotalMilliseconds / operations, serverCpu is null ? double.NaN : server.TotalMilliseconds / operations);
    }

    // MB/s from real encoded bytes; tasks without a byte size (e.g. round trips) report operations per second.
    private static string Throughput(double opsPerSecond, long bytesPerOperation) => bytesPerOperation > 0
        ? string.Create(CultureInfo.InvariantCulture, $"{opsPerSecond * bytesPerOperation / 1_000_000:F1}")
        : string.Create(CultureInfo.InvariantCulture, $"{opsPerSecond:F0}ops");

    private static void Warm(Action op, Action? setup)
    {
        setup?.Invoke();
        var sw = Stopwatch.StartNew();
        while (sw.ElapsedMilliseconds < 150)
        {
            op();
        }
    }

    private static double Sample(Action op, Action? setup, TimeSpan duration)
    {
        setup?.Invoke();
        long count = 0;
        var sw = Stopwatch.StartNew();
        while (sw.Elapsed < duration)
        {
            op();
            count++;
        }

        return count / sw.Elapsed.TotalSeconds;
    }

    private static long AllocationsPerOperation(Action op, Action? setup)
    {
        setup?.Invoke();
        op();

        // Whole-process count: network tasks allocate on I/O threads too. As many operations as fit in ~200 ms (at least 3).
        long before = GC.GetTotalAllocatedBytes(precise: true);
        var sw = Stopwatch.StartNew();
        int n = 0;
        while (n < 3 || (sw.ElapsedMilliseconds < 200 && n < 100_000))
        {
            op();
            n++;
        }

        return (GC.GetTotalAllocatedBytes(precise: true) - before) / n;
    }

    private static double Median(List<double> values)
    {
        values.Sort();
        int mid = values.Count / 2;
        return values.Count % 2 == 1 ? values[mid] : (values[mid - 1] + values[mid]) / 2;
    }
}
