using BenchmarkDotNet.Running;
using Mongo.Benchmarks.Compare;

// `compare [--quick] [--only <prefix>] [--cpu]`: side-by-side ratios from one run (--cpu adds each side's CPU time per
// operation, split between this process and the server process); anything else goes to BenchmarkDotNet.
if (args.Length > 0 && args[0] == "compare")
{
    bool quick = args.Contains("--quick");
    int only = Array.IndexOf(args, "--only");
    string? prefix = only >= 0 && only + 1 < args.Length ? args[only + 1] : null;
    var tasks = Mongo.Benchmarks.TaskCatalog.All(prefix).Where(t => prefix is null || t.Name.StartsWith(prefix, StringComparison.Ordinal));
    try
    {
        CompareRunner.Run(tasks, quick, cpu: args.Contains("--cpu"));
    }
    catch (InvalidOperationException ex) when (Mongo.Benchmarks.Infrastructure.BenchData.SourceFolder is null)
    {
        Console.Error.WriteLine(ex.Message);
        return 2;
    }

    return 0;
}

BenchmarkSwitcher.FromAssembly(typeof(Mongo.Benchmarks.TaskCatalog).Assembly).Run(args);
return 0;
