using System.Diagnostics;
using Xunit;

namespace Mongo.InMemory.Tests;

/// <summary>The programs tests start: the <c>mongo-inmemory</c> tool (process mode) and clients such as mongosh, node, python3.</summary>
internal static class ExternalProcesses
{
    /// <summary>Starts the process mode (src/InMemory.Tool) with its standard output and error redirected.</summary>
    public static Process StartTool(params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Mongo.InMemory.Tool.dll"));
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        return Process.Start(start)!;
    }

    /// <summary>Runs a program to its end (within two minutes); it must exit 0. Returns its non-empty output lines, trimmed.</summary>
    public static async Task<string[]> RunAsync(string file, string[] arguments)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["DO_NOT_TRACK"] = "1"; // mongosh: no telemetry
        using var process = Process.Start(start)!;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        Task<string> stdout = process.StandardOutput.ReadToEndAsync(timeout.Token);
        Task<string> stderr = process.StandardError.ReadToEndAsync(timeout.Token);
        await process.WaitForExitAsync(timeout.Token);
        string output = await stdout;
        Assert.True(process.ExitCode == 0, $"{Path.GetFileName(file)} exited with {process.ExitCode}: {await stderr}\n{output}");
        return output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
    }

    /// <summary>The full path of an executable on PATH, or null.</summary>
    public static string? FindOnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator)
            .Select(dir => Path.Combine(dir, name))
            .FirstOrDefault(File.Exists);
}
