using System.Diagnostics;
using System.Text;
using Mongo.InMemory.Engine.Text.Stemmers;
using Xunit;

namespace Mongo.InMemory.Tests.Text;

/// <summary>
/// The Russian, Swedish, Danish, Norwegian, Finnish, Turkish and Hungarian stemmers against Snowball's own Python
/// stemmers (python3-snowballstemmer 2.2, which .ci/run installs): every word of StemmerWords/&lt;language&gt;.txt —
/// real words and stems with every suffix of the algorithm's tables, so each step runs — must stem alike. The lists
/// leave out the few spellings where mongod's 2011 libstemmer and Snowball 2.2 differ (Russian "ё", digits before a
/// Finnish or Danish ending); NordicStemmerTests pins those to mongod's behaviour.
/// </summary>
public sealed class StemmerOracleNordicTests
{
    private const string Python = "/usr/bin/python3";

    // Reads words from standard input, one a line, and writes their stems in the same order.
    private const string Script =
        "import sys, snowballstemmer\n" +
        "s = snowballstemmer.stemmer(sys.argv[1])\n" +
        "words = sys.stdin.buffer.read().decode('utf-8').split('\\n')\n" +
        "sys.stdout.buffer.write(''.join(s.stemWord(w) + '\\n' for w in words if w).encode('utf-8'))\n";

    private static readonly Lazy<string?> s_missing = new(FindMissingOracle);

    [SkippableTheory]
    [InlineData("russian")]
    [InlineData("swedish")]
    [InlineData("danish")]
    [InlineData("norwegian")]
    [InlineData("finnish")]
    [InlineData("turkish")]
    [InlineData("hungarian")]
    public async Task Stems_every_listed_word_as_snowball_does(string language)
    {
        Skip.If(s_missing.Value is not null, s_missing.Value);
        var words = File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "Text", "StemmerWords", language + ".txt"), Encoding.UTF8)
            .Where(w => w.Length > 0).ToArray();
        Assert.True(words.Length >= 300, $"{language}: only {words.Length} words in the list");

        var expected = await RunOracleAsync(language, words);
        Assert.Equal(words.Length, expected.Length);
        Func<string, string> stem = language switch
        {
            "russian" => RussianStemmer.Stem,
            "swedish" => SwedishStemmer.Stem,
            "danish" => DanishStemmer.Stem,
            "norwegian" => NorwegianStemmer.Stem,
            "finnish" => FinnishStemmer.Stem,
            "turkish" => TurkishStemmer.Stem,
            _ => HungarianStemmer.Stem,
        };
        var differences = words.Select((w, i) => (Word: w, Snowball: expected[i], Ours: stem(w)))
            .Where(d => d.Snowball != d.Ours).Select(d => $"{d.Word}: snowball {d.Snowball}, ours {d.Ours}").ToList();
        Assert.True(differences.Count == 0, $"{language}: {differences.Count} of {words.Length} words differ:\n" + string.Join("\n", differences.Take(30)));
        // The list exercises the stemmer: many words lose something (not all: a suffix outside R1, or against Turkish
        // vowel harmony, stays, and the list has those cases too).
        var changed = words.Count(w => stem(w) != w);
        Assert.True(changed > words.Length / 4, $"{language}: only {changed} of {words.Length} listed words change");
    }

    private static string? FindMissingOracle()
    {
        if (!File.Exists(Python)) return Python + " is not installed (the Snowball oracle needs python3-snowballstemmer; .ci/run installs it)";
        try
        {
            var start = new ProcessStartInfo(Python) { RedirectStandardError = true, UseShellExecute = false };
            start.ArgumentList.Add("-c");
            start.ArgumentList.Add("import snowballstemmer");
            using var probe = Process.Start(start)!;
            probe.StandardError.ReadToEnd();
            probe.WaitForExit();
            return probe.ExitCode == 0 ? null : "python3 cannot import snowballstemmer (apt-get install python3-snowballstemmer; .ci/run installs it)";
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return Python + " cannot run: " + e.Message;
        }
    }

    // One python process per language, the words over standard input as UTF-8.
    private static async Task<string[]> RunOracleAsync(string language, string[] words)
    {
        var start = new ProcessStartInfo(Python)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardInputEncoding = new UTF8Encoding(false),
            StandardOutputEncoding = Encoding.UTF8,
        };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(Script);
        start.ArgumentList.Add(language);
        using var process = Process.Start(start)!;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        var stdout = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var stderr = process.StandardError.ReadToEndAsync(timeout.Token);
        await process.StandardInput.WriteAsync(string.Join("\n", words) + "\n");
        process.StandardInput.Close();
        await process.WaitForExitAsync(timeout.Token);
        Assert.True(process.ExitCode == 0, $"the Snowball oracle exited with {process.ExitCode}: {await stderr}");
        // One stem a line (an empty stem stays an empty line); the output ends with a newline.
        var output = await stdout;
        return (output.EndsWith('\n') ? output[..^1] : output).Split('\n');
    }
}
