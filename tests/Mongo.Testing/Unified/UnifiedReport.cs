using System.Collections.Concurrent;
using System.Text;

namespace Mongo.Testing.Unified;

/// <summary>
/// Collects pass/skip/fail per file for a unified suite and writes the summary (with every skip reason) to the
/// console and to <c>unified-&lt;suite&gt;-summary.txt</c> next to the test assembly.
/// </summary>
public sealed class UnifiedReport
{
    private readonly ConcurrentDictionary<string, ConcurrentQueue<(string Test, string Outcome, string? Reason)>> _files = new(StringComparer.Ordinal);

    /// <summary>Records one test's outcome ("pass", "skip" or "fail").</summary>
    public void Record(string file, string test, string outcome, string? reason = null) =>
        _files.GetOrAdd(file, _ => new()).Enqueue((test, outcome, reason));

    /// <summary>The summary text.</summary>
    public string Summarize(string suite)
    {
        var text = new StringBuilder();
        int pass = 0, skip = 0, fail = 0;
        foreach (var (file, results) in _files.OrderBy(f => f.Key, StringComparer.Ordinal))
        {
            int p = results.Count(r => r.Outcome == "pass"), s = results.Count(r => r.Outcome == "skip"), f = results.Count(r => r.Outcome == "fail");
            pass += p;
            skip += s;
            fail += f;
            text.Append(System.Globalization.CultureInfo.InvariantCulture, $"{file}: {p} passed, {f} failed, {s} skipped\n");
            foreach (var result in results.Where(r => r.Outcome != "pass").OrderBy(r => r.Test, StringComparer.Ordinal))
            {
                text.Append(System.Globalization.CultureInfo.InvariantCulture, $"    {result.Outcome}: {result.Test}: {result.Reason}\n");
            }
        }

        // The same reasons grouped, so a reader sees at a glance what keeps tests from running.
        text.Append("Skip reasons:\n");
        foreach (var group in _files.Values.SelectMany(r => r).Where(r => r.Outcome == "skip").GroupBy(r => r.Reason ?? "", StringComparer.Ordinal).OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal))
        {
            text.Append(System.Globalization.CultureInfo.InvariantCulture, $"    {group.Count()} x {group.Key}\n");
        }

        text.Insert(0, $"{suite}: {pass} passed, {fail} failed, {skip} skipped\n");
        return text.ToString();
    }

    /// <summary>Prints and saves the summary.</summary>
    public void Write(string suite)
    {
        var summary = Summarize(suite);
        Console.WriteLine(summary);
        try
        {
            File.WriteAllText(Path.Combine(AppContext.BaseDirectory, "unified-" + suite.Replace('/', '-') + "-summary.txt"), summary);
        }
        catch (IOException)
        {
            // The console copy is enough when the output folder is read-only.
        }
    }
}
