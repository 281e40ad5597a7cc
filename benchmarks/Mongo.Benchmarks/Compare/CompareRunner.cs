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
                ours.Add(Sample(task.Ours, task, sampleTime));
                official.Add(Sample(task.Official, task, sampleTime));
            }

            double oursOpsPerSec = Median(ours);
            double officialOpsPerSec = Median(official);
            long allocOurs = AllocationsPerOperation(task.Ours, task);
            long allocOfficial = AllocationsPerOperation(task.Official, task);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{task.Name} ours={Throughput(oursOpsPerSec, task.BytesPerOperation)} official={Throughput(officialOpsPerSec, task.BytesPerOperation)} ratio={oursOpsPerSec / officialOpsPerSec:F2} alloc_ours={allocOurs} alloc_official={allocOfficial}"));
            if (cpu)
            {
                var oursCpu = new CpuTotals();
                var officialCpu = new CpuTotals();
                for (int i = 0; i < samples; i++)
                {
                    // Interleaved like the throughput samples: measured one side after the other, the first paid
                    // more server time (the collector catching up on what came before).
                    CpuSample(task.Ours, task, oursCpu);
                    CpuSample(task.Official, task, officialCpu);
                }

                var (oursClient, oursServer) = oursCpu.PerOperation(task.ServerCpu is not null);
                var (officialClient, officialServer) = officialCpu.PerOperation(task.ServerCpu is not null);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  cpu ms/op: ours client={oursClient:F3} server={oursServer:F3} | official client={officialClient:F3} server={officialServer:F3}"));
            }
        }
    }

    /// <summary>
    /// One CPU sample: CPU time in this process (the driver, plus the task's own bookkeeping) and in the server process
    /// over at least 500 ms of operations, added to a side's totals. CPU time, unlike wall time, barely moves when other
    /// work shares the machine, so it shows where an operation's cost lies even on a busy host. Server time is NaN
    /// without a server process.
    /// </summary>
    private static void CpuSample(Action op, CompareTask task, CpuTotals totals)
    {
        using var self = Process.GetCurrentProcess();
        Func<TimeSpan>? serverCpu = task.ServerCpu;
        TimeSpan ClientCpu()
        {
            self.Refresh();
            return self.TotalProcessorTime;
        }

        task.Setup?.Invoke();
        op();
        TimeSpan clientBefore = ClientCpu();
        TimeSpan serverBefore = serverCpu?.Invoke() ?? TimeSpan.Zero;
        int n = 0;
        var sw = Stopwatch.StartNew();
        while (n < 3 || sw.ElapsedMilliseconds < 500)
        {
            if (ResetDue(task, n + 2))
            {
                // The reset's own CPU time is not the operation's.
                TimeSpan c0 = ClientCpu();
                TimeSpan s0 = serverCpu?.Invoke() ?? TimeSpan.Zero;
                task.Setup!();
                totals.Client -= ClientCpu() - c0;
                totals.Server -= serverCpu is null ? TimeSpan.Zero : serverCpu() - s0;
            }

            op();
            n++;
        }

        totals.Client += ClientCpu() - clientBefore;
        totals.Server += serverCpu is null ? TimeSpan.Zero : serverCpu() - serverBefore;
        totals.Operations += n;
    }

    /// <summary>One side's CPU time over its samples (total over total: the OS counts CPU time in 10 ms ticks).</summary>
    private sealed class CpuTotals
    {
        public TimeSpan Client;
        public TimeSpan Server;
        public long Operations;

        public (double Client, double Server) PerOperation(bool hasServer) =>
            (Client.TotalMilliseconds / Operations, hasServer ? Server.TotalMilliseconds / Operations : double.NaN);
    }

    // Whether the untimed reset runs before the count-th operation of a sample (the first follows the sample's setup).
    private static bool ResetDue(CompareTask task, long count) => task.SetupEvery > 0 && task.Setup is not null && count > 1 && (count - 1) % task.SetupEvery == 0;

    // MB/s from real encoded bytes; tasks without a byte size (e.g. round trips) report operations per second.
    private static string Throughput(double opsPerSecond, long bytesPerOperation) => bytesPerOperation > 0
        ? string.Create(CultureInfo.InvariantCulture, $"{opsPerSecond * bytesPerOperation / 1_000_000:F1}")
        : string.Create(CultureInfo.InvariantCulture, $"{opsPerSecond:F0}ops");

    private static void CollectGarbage()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
    }

    private static void Warm(Action op, Action? setup)
    {
        setup?.Invoke();
        var sw = Stopwatch.StartNew();
        while (sw.ElapsedMilliseconds < 150)
        {
            op();
        }
    }

    private static double Sample(Action op, CompareTask task, TimeSpan duration)
    {
        task.Setup?.Invoke();
        // Start every sample from a collected heap (BenchmarkDotNet forces a full collection between iterations too):
        // otherwise a short sample pays for the garbage the other side's previous sample left behind, and the side
        // that allocates less is charged the collections of the side that allocates more.
        CollectGarbage();
        long count = 0;
        if (task.SetupEvery <= 0)
        {
            var sw = Stopwatch.StartNew();
            while (sw.Elapsed < duration)
            {
                op();
                count++;
            }

            return count / sw.Elapsed.TotalSeconds;
        }

        // Periodic untimed resets: time each operation alone.
        var timed = new Stopwatch();
        while (timed.Elapsed < duration)
        {
            if (ResetDue(task, count + 1))
            {
                task.Setup!();
            }

            timed.Start();
            op();
            timed.Stop();
            count++;
        }

        return count / timed.Elapsed.TotalSeconds;
    }

    private static long AllocationsPerOperation(Action op, CompareTask task)
    {
        task.Setup?.Invoke();
        op();

        // Whole-process count: network tasks allocate on I/O threads too. As many operations as fit in ~200 ms (at least
        // 3); what the untimed resets allocate is left out.
        long before = GC.GetTotalAllocatedBytes(precise: true);
        long resets = 0;
        var sw = Stopwatch.StartNew();
        int n = 0;
        while (n < 3 || (sw.ElapsedMilliseconds < 200 && n < 100_000))
        {
            if (ResetDue(task, n + 2))
            {
                long r0 = GC.GetTotalAllocatedBytes(precise: true);
                task.Setup!();
                resets += GC.GetTotalAllocatedBytes(precise: true) - r0;
            }

            op();
            n++;
        }

        return (GC.GetTotalAllocatedBytes(precise: true) - before - resets) / n;
    }

    private static double Median(List<double> values)
    {
        values.Sort();
        int mid = values.Count / 2;
        return values.Count % 2 == 1 ? values[mid] : (values[mid - 1] + values[mid]) / 2;
    }
}
