namespace Mongo.InMemory.Engine.Text;

/// <summary>
/// The Snowball English ("Porter2") stemmer, written from the algorithm's published description: mongod stems
/// English text-index terms with it, so "running", "runs" and "run" meet in one index key. Input is one token; words
/// of one or two letters and the algorithm's exceptional forms come back as they are (or as the table says).
/// </summary>
internal static class EnglishStemmer
{
    private static readonly Dictionary<string, string> s_exceptions = new(StringComparer.Ordinal)
    {
        ["skis"] = "ski", ["skies"] = "sky", ["dying"] = "die", ["lying"] = "lie", ["tying"] = "tie",
        ["idly"] = "idl", ["gently"] = "gentl", ["ugly"] = "ugli", ["early"] = "earli", ["only"] = "onli",
        ["singly"] = "singl", ["sky"] = "sky", ["news"] = "news", ["howe"] = "howe", ["atlas"] = "atlas",
        ["cosmos"] = "cosmos", ["bias"] = "bias", ["andes"] = "andes",
    };

    // Words left alone after step 1a (they would otherwise lose a false suffix).
    private static readonly HashSet<string> s_afterStep1a = new(StringComparer.Ordinal)
    {
        "inning", "outing", "canning", "herring", "earring", "proceed", "exceed", "succeed",
    };

    private static readonly (string Suffix, string Replacement)[] s_step2 =
    [
        ("ization", "ize"), ("ational", "ate"), ("fulness", "ful"), ("ousness", "ous"), ("iveness", "ive"),
        ("tional", "tion"), ("biliti", "ble"), ("lessli", "less"), ("entli", "ent"), ("ation", "ate"),
        ("alism", "al"), ("aliti", "al"), ("ousli", "ous"), ("iviti", "ive"), ("fulli", "ful"), ("enci", "ence"),
        ("anci", "ance"), ("abli", "able"), ("izer", "ize"), ("ator", "ate"), ("alli", "al"), ("bli", "ble"),
        ("ogi", "og"), ("li", ""),
    ];

    private static readonly (string Suffix, string Replacement)[] s_step3 =
    [
        ("ational", "ate"), ("tional", "tion"), ("alize", "al"), ("icate", "ic"), ("iciti", "ic"), ("ative", ""),
        ("ical", "ic"), ("ness", ""), ("ful", ""),
    ];

    private static readonly string[] s_step4 =
    [
        "ement", "ance", "ence", "able", "ible", "ment", "ant", "ent", "ism", "ate", "iti", "ous", "ive", "ize", "ion",
        "al", "er", "ic",
    ];

    /// <summary>The stem of <paramref name="word"/> (expected in lower case; other characters are kept as they are).</summary>
    public static string Stem(string word)
    {
        if (s_exceptions.TryGetValue(word, out var exception)) return exception;
        if (word.Length < 3) return word;
        var w = new System.Text.StringBuilder(word);
        if (w[0] == '\'') w.Remove(0, 1);
        // Y marks a consonant y: at the start, or after a vowel.
        for (var i = 0; i < w.Length; i++)
            if (w[i] == 'y' && (i == 0 || IsVowel(w[i - 1]))) w[i] = 'Y';
        var r1 = RegionStart(w, 0, prefixes: true);
        var r2 = RegionStart(w, r1, prefixes: false);

        Step0(w);
        Step1a(w);
        if (s_afterStep1a.Contains(w.ToString())) return w.ToString();
        Step1b(w, r1);
        Step1c(w);
        Replace(w, s_step2, r1, step2: true);
        Step3(w, r1, r2);
        Step4(w, r2);
        Step5(w, r1, r2);
        for (var i = 0; i < w.Length; i++)
            if (w[i] == 'Y') w[i] = 'y';
        return w.ToString();
    }

    private static bool IsVowel(char c) => c is 'a' or 'e' or 'i' or 'o' or 'u' or 'y';

    /// <summary>R1 (or R2 from R1): the region after the first non-vowel that follows a vowel.</summary>
    private static int RegionStart(System.Text.StringBuilder w, int from, bool prefixes)
    {
        if (prefixes)
        {
            var s = w.ToString();
            foreach (var p in (string[])["gener", "commun", "arsen"])
                if (s.StartsWith(p, StringComparison.Ordinal)) return p.Length;
        }
        for (var i = from + 1; i < w.Length; i++)
            if (!IsVowel(w[i]) && IsVowel(w[i - 1])) return i + 1;
        return w.Length;
    }

    private static bool EndsWith(System.Text.StringBuilder w, string suffix)
    {
        if (w.Length < suffix.Length) return false;
        for (var i = 0; i < suffix.Length; i++)
            if (w[w.Length - suffix.Length + i] != suffix[i]) return false;
        return true;
    }

    private static void Step0(System.Text.StringBuilder w)
    {
        foreach (var s in (string[])["'s'", "'s", "'"])
        {
            if (EndsWith(w, s))
            {
                w.Length -= s.Length;
                return;
            }
        }
    }

    private static void Step1a(System.Text.StringBuilder w)
    {
        if (EndsWith(w, "sses")) w.Length -= 2;
        else if (EndsWith(w, "ied") || EndsWith(w, "ies"))
        {
            w.Length -= 3;
            w.Append(w.Length > 1 ? "i" : "ie");
        }
        else if (EndsWith(w, "us") || EndsWith(w, "ss")) { }
        else if (EndsWith(w, "s"))
        {
            // Deleted when a vowel comes before the letter preceding the s ("gaps" -> "gap", "gas" stays).
            for (var i = 0; i < w.Length - 2; i++)
            {
                if (IsVowel(w[i]))
                {
                    w.Length -= 1;
                    return;
                }
            }
        }
    }

    private static void Step1b(System.Text.StringBuilder w, int r1)
    {
        string? found = null;
        foreach (var s in (string[])["eedly", "ingly", "edly", "eed", "ing", "ed"])
        {
            if (EndsWith(w, s))
            {
                found = s;
                break;
            }
        }
        if (found is null) return;
        if (found is "eed" or "eedly")
        {
            if (w.Length - found.Length >= r1)
            {
                w.Length -= found.Length;
                w.Append("ee");
            }
            return;
        }
        var stemLength = w.Length - found.Length;
        var hasVowel = false;
        for (var i = 0; i < stemLength; i++)
            if (IsVowel(w[i])) hasVowel = true;
        if (!hasVowel) return;
        w.Length = stemLength;
        if (EndsWith(w, "at") || EndsWith(w, "bl") || EndsWith(w, "iz")) w.Append('e');
        else if (EndsWithDouble(w)) w.Length -= 1;
        else if (IsShortWord(w, r1)) w.Append('e');
    }

    private static bool EndsWithDouble(System.Text.StringBuilder w)
    {
        if (w.Length < 2) return false;
        var c = w[^1];
        return c == w[^2] && c is 'b' or 'd' or 'f' or 'g' or 'm' or 'n' or 'p' or 'r' or 't';
    }

    /// <summary>A short syllable ending at <paramref name="end"/> (exclusive).</summary>
    private static bool ShortSyllableAt(System.Text.StringBuilder w, int end)
    {
        if (end == 2) return IsVowel(w[0]) && !IsVowel(w[1]);
        if (end < 3) return false;
        char a = w[end - 3], b = w[end - 2], c = w[end - 1];
        return !IsVowel(a) && IsVowel(b) && !IsVowel(c) && c is not ('w' or 'x' or 'Y');
    }

    private static bool IsShortWord(System.Text.StringBuilder w, int r1) => r1 >= w.Length && ShortSyllableAt(w, w.Length);

    private static void Step1c(System.Text.StringBuilder w)
    {
        if (w.Length > 2 && w[^1] is 'y' or 'Y' && !IsVowel(w[^2])) w[^1] = 'i';
    }

    private static void Replace(System.Text.StringBuilder w, (string Suffix, string Replacement)[] table, int region, bool step2)
    {
        foreach (var (suffix, replacement) in table)
        {
            if (!EndsWith(w, suffix)) continue;
            var at = w.Length - suffix.Length;
            if (at < region) return;
            if (step2 && suffix == "ogi" && (at == 0 || w[at - 1] != 'l')) return;
            if (step2 && suffix == "li" && (at == 0 || w[at - 1] is not ('c' or 'd' or 'e' or 'g' or 'h' or 'k' or 'm' or 'n' or 'r' or 't'))) return;
            w.Length = at;
            w.Append(replacement);
            return;
        }
    }

    private static void Step3(System.Text.StringBuilder w, int r1, int r2)
    {
        foreach (var (suffix, replacement) in s_step3)
        {
            if (!EndsWith(w, suffix)) continue;
            var at = w.Length - suffix.Length;
            if (at < r1 || suffix == "ative" && at < r2) return;
            w.Length = at;
            w.Append(replacement);
            return;
        }
    }

    private static void Step4(System.Text.StringBuilder w, int r2)
    {
        foreach (var suffix in s_step4)
        {
            if (!EndsWith(w, suffix)) continue;
            var at = w.Length - suffix.Length;
            if (at < r2) return;
            if (suffix == "ion" && (at == 0 || w[at - 1] is not ('s' or 't'))) return;
            w.Length = at;
            return;
        }
    }

    private static void Step5(System.Text.StringBuilder w, int r1, int r2)
    {
        if (w.Length == 0) return;
        var at = w.Length - 1;
        if (w[at] == 'e')
        {
            if (at >= r2 || at >= r1 && !ShortSyllableAt(w, at)) w.Length = at;
        }
        else if (w[at] == 'l' && at >= r2 && at > 0 && w[at - 1] == 'l') w.Length = at;
    }
}
