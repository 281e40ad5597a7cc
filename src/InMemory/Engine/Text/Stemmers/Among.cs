namespace Mongo.InMemory.Engine.Text.Stemmers;

/// <summary>
/// A Snowball <c>among</c>: suffixes, each with the rule (the bracketed action the algorithm writes beside it) it
/// selects. The stemmers switch on the rule, so a table and its switch read like the algorithm's among and its actions.
/// Rules start at 1; 0 means no suffix matched, as in Snowball.
/// </summary>
internal sealed class Among
{
    // Grouped by last letter, longest first within a group (then as listed), so a backward search looks only at the
    // suffixes that can end at the cursor and the first match is the longest.
    private readonly string[] _strings;
    private readonly int[] _rules;
    private readonly int _lowestLast;
    private readonly int[] _groupStart;

    /// <summary>Groups of space-separated suffixes, each group with its rule.</summary>
    public Among(params (int Rule, string Suffixes)[] groups)
    {
        var entries = new List<(string Suffix, int Rule)>();
        foreach (var (rule, suffixes) in groups)
        {
            if (rule < 1) throw new ArgumentOutOfRangeException(nameof(groups), "among rules start at 1");
            foreach (var s in suffixes.Split(' ', StringSplitOptions.RemoveEmptyEntries))
                if (!entries.Exists(e => e.Suffix == s)) entries.Add((s, rule));
        }
        if (entries.Count == 0) throw new ArgumentException("an among needs suffixes", nameof(groups));
        // OrderBy is stable: among equal lengths the suffix listed first stays first.
        entries = [.. entries.OrderBy(e => e.Suffix[^1]).ThenByDescending(e => e.Suffix.Length)];
        _strings = [.. entries.Select(e => e.Suffix)];
        _rules = [.. entries.Select(e => e.Rule)];
        _lowestLast = _strings[0][^1];
        _groupStart = new int[_strings[^1][^1] - _lowestLast + 2];
        for (int letter = _lowestLast, i = 0; letter - _lowestLast < _groupStart.Length; letter++)
        {
            while (i < _strings.Length && _strings[i][^1] < letter) i++;
            _groupStart[letter - _lowestLast] = i;
        }
    }

    /// <summary>How many suffixes the table holds.</summary>
    public int Count => _strings.Length;

    /// <summary>The <paramref name="i"/>th suffix (in the table's search order).</summary>
    public string Suffix(int i) => _strings[i];

    /// <summary>The rule of the <paramref name="i"/>th suffix.</summary>
    public int Rule(int i) => _rules[i];

    /// <summary>The range of suffixes ending in <paramref name="letter"/>, longest first.</summary>
    public (int From, int To) EndingIn(int letter)
    {
        var g = letter - _lowestLast;
        return g < 0 || g >= _groupStart.Length - 1 ? (0, 0) : (_groupStart[g], _groupStart[g + 1]);
    }
}
