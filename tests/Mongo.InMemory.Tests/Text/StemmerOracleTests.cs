using System.Diagnostics;
using System.Text;
using Mongo.InMemory.Engine.Text;
using Xunit;
using Xunit.Abstractions;

namespace Mongo.InMemory.Tests.Text;

/// <summary>
/// The Snowball stemmers against an oracle: Snowball's own Python stemmers (Debian's python3-snowballstemmer 2.2, which
/// .ci/run installs) stem each language's word list (Text/StemmerWords/&lt;language&gt;.txt) in one python process, and
/// every stem must equal ours, except for the words the list marks as stemmed differently by mongod's older libstemmer.
/// </summary>
public sealed class StemmerOracleTests(ITestOutputHelper output)
{
    private const string Python = "/usr/bin/python3";

    // Reads words from stdin, one a line, and prints their stems; UTF-8 both ways whatever the locale.
    private const string OracleScript = """
        import sys, snowballstemmer
        stemmer = snowballstemmer.stemmer(sys.argv[1])
        words = sys.stdin.buffer.read().decode('utf-8').split('\n')
        sys.stdout.buffer.write('\n'.join(stemmer.stemWord(w) for w in words).encode('utf-8'))
        """;

    private static string WordsDirectory => Path.Combine(AppContext.BaseDirectory, "Text", "StemmerWords");

    /// <summary>Every language with a word list.</summary>
    public static TheoryData<string> Languages()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.GetFiles(WordsDirectory, "*.txt").Order(StringComparer.Ordinal)) data.Add(Path.GetFileNameWithoutExtension(file));
        return data;
    }

    [SkippableTheory]
    [MemberData(nameof(Languages))]
    public async Task Stems_every_listed_word_as_snowball_does(string language)
    {
        var version = await OracleVersion();
        Skip.If(version is null, "python3-snowballstemmer is not installed (apt-get install python3-snowballstemmer): the stemmer oracle test cannot run");
        // Snowball 3.0 changed the French, German, Dutch, Spanish and Romanian algorithms; the lists are checked against 2.x.
        Skip.IfNot(version!.StartsWith("2.", StringComparison.Ordinal), $"snowballstemmer {version} is not a 2.x release, the version the word lists are checked against");
        var entries = ReadWordList(language);
        Assert.True(entries.Count >= 300, $"{language}: only {entries.Count} words in the list");
        var stems = await OracleStems(language, entries.Select(e => e.Word).ToList());
        Assert.Equal(entries.Count, stems.Count);

        var textLanguage = TextLanguage.Resolve(language, () => new InvalidOperationException("unknown language " + language));
        var failures = new List<string>();
        for (var i = 0; i < entries.Count; i++)
        {
            var (word, mongodStem) = entries[i];
            var ours = textLanguage.Stem(word);
            if (mongodStem is null)
            {
                if (ours != stems[i]) failures.Add($"{word}: oracle {stems[i]}, ours {ours}");
            }
            else
            {
                // A listed divergence must be real (else the line belongs with the others) and ours must follow mongod.
                if (ours != mongodStem) failures.Add($"{word}: mongod's libstemmer gives {mongodStem}, ours {ours}");
                if (stems[i] == mongodStem) failures.Add($"{word}: marked as differing, but the oracle also gives {mongodStem}");
            }
        }
        output.WriteLine($"{language}: {entries.Count} words, {entries.Count(e => e.MongodStem is not null)} of them stemmed as mongod's older libstemmer does");
        Assert.True(failures.Count == 0, string.Join("\n", failures));
        // The list exercises the stemmer: many words lose something (not all: a suffix outside R1, or against Turkish
        // vowel harmony, stays, and the lists have those cases too).
        var changed = entries.Count(e => textLanguage.Stem(e.Word) != e.Word);
        Assert.True(changed > entries.Count / 4, $"{language}: only {changed} of {entries.Count} listed words change");
    }

    private static List<(string Word, string? MongodStem)> ReadWordList(string language)
    {
        var entries = new List<(string, string?)>();
        foreach (var line in File.ReadAllLines(Path.Combine(WordsDirectory, language + ".txt"), Encoding.UTF8))
        {
            if (line.Length == 0 || line.StartsWith('#')) continue;
            var tab = line.IndexOf('\t');
            entries.Add(tab < 0 ? (line, null) : (line[..tab], line[(tab + 1)..]));
        }
        return entries;
    }

    /// <summary>The installed snowballstemmer's version, or null when there is none.</summary>
    private static async Task<string?> OracleVersion()
    {
        if (!File.Exists(Python)) return null;
        var check = new ProcessStartInfo(Python) { RedirectStandardOutput = true, RedirectStandardError = true };
        check.ArgumentList.Add("-c");
        check.ArgumentList.Add("import snowballstemmer, importlib.metadata; print(importlib.metadata.version('snowballstemmer'))");
        using var process = Process.Start(check)!;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var stdout = process.StandardOutput.ReadToEndAsync(timeout.Token);
        await process.WaitForExitAsync(timeout.Token);
        var version = (await stdout).Trim();
        return process.ExitCode == 0 && version.Length > 0 ? version : null;
    }

    private static async Task<List<string>> OracleStems(string language, List<string> words)
    {
        var start = new ProcessStartInfo(Python)
        {
            RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true,
            StandardInputEncoding = new UTF8Encoding(false), StandardOutputEncoding = Encoding.UTF8,
        };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(OracleScript);
        start.ArgumentList.Add(language);
        using var process = Process.Start(start)!;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        var stdout = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var stderr = process.StandardError.ReadToEndAsync(timeout.Token);
        await process.StandardInput.WriteAsync(string.Join('\n', words));
        process.StandardInput.Close();
        await process.WaitForExitAsync(timeout.Token);
        Assert.True(process.ExitCode == 0, "the Snowball oracle failed: " + await stderr);
        return [.. (await stdout).Split('\n')];
    }
}
