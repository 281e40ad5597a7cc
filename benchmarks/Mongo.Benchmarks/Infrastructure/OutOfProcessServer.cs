using System.Diagnostics;

namespace Mongo.Benchmarks.Infrastructure;

/// <summary>
/// Mongo.InMemory in its own process, so that neither driver's measurement includes the server's work on the same
/// GC heap. Both drivers talk to the same server. MONGODB_URI points both at a real deployment instead.
/// </summary>
internal sealed class OutOfProcessServer : IDisposable
{
    private readonly Process? _process;

    private OutOfProcessServer(string connectionString, Process? process)
    {
        ConnectionString = connectionString;
        _process = process;
    }

    public string ConnectionString { get; }

    /// <summary>CPU time the server process has used so far; null against <c>MONGODB_URI</c> (no process to measure).</summary>
    public Func<TimeSpan>? ProcessorTime => _process is null ? null : () =>
    {
        _process.Refresh();
        return _process.TotalProcessorTime;
    };

    public static OutOfProcessServer Start()
    {
        if (Environment.GetEnvironmentVariable("MONGODB_URI") is { Length: > 0 } uri)
        {
            return new OutOfProcessServer(uri, null);
        }

        string dll = Path.Combine(AppContext.BaseDirectory, "Mongo.InMemory.Tool.dll");
        var info = new ProcessStartInfo("dotnet", [dll])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.Environment["DOTNET_gcServer"] = "1";
        var process = Process.Start(info) ?? throw new InvalidOperationException("Could not start Mongo.InMemory.");
        string? line = process.StandardOutput.ReadLine();
        if (line is null || !line.StartsWith("mongodb://", StringComparison.Ordinal))
        {
            process.Kill();
            throw new InvalidOperationException($"Mongo.InMemory did not print a connection string: {line} {process.StandardError.ReadToEnd()}");
        }

        return new OutOfProcessServer(line, process);
    }

    public void Dispose()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(5000);
        }

        _process?.Dispose();
    }
}
