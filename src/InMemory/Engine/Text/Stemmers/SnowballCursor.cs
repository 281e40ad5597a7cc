using System.Text;

namespace Mongo.InMemory.Engine.Text.Stemmers;

/// <summary>
/// The small machine the Snowball algorithm descriptions are written against, so each stemmer reads like its published
/// description: a word of code points (Snowball's UTF-8 stemmers count code points, so a letter outside the BMP is one
/// position, not two), a cursor, the backward limit a <c>setlimit</c> narrows, and the slice (<c>[</c> = ket and
/// <c>]</c> = bra in backward mode) that <c>delete</c> and <c>&lt;-</c> rewrite. One instance per thread is reused, so a
/// stem costs the result string and nothing else once the buffer has grown.
/// </summary>
internal sealed partial class SnowballCursor
{
    [ThreadStatic] private static SnowballCursor? t_cached;

    private int[] _s = new int[64];

    /// <summary>The word's length in code points (Snowball's <c>limit</c>).</summary>
    public int Limit;

    /// <summary>The cursor (<c>c</c>).</summary>
    public int C;

    /// <summary>The backward limit (<c>lb</c>): backward matching never goes below it.</summary>
    public int Lb;

    /// <summary>The slice start (<c>bra</c>).</summary>
    public int Bra;

    /// <summary>The slice end (<c>ket</c>).</summary>
    public int Ket;

    /// <summary>This thread's machine, loaded with <paramref name="word"/> and the cursor at its start.</summary>
    public static SnowballCursor Load(string word)
    {
        var z = t_cached ??= new SnowballCursor();
        if (z._s.Length < word.Length) z._s = new int[Math.Max(word.Length, z._s.Length * 2)];
        var n = 0;
        for (var i = 0; i < word.Length; i++)
        {
            if (char.IsHighSurrogate(word[i]) && i + 1 < word.Length && char.IsLowSurrogate(word[i + 1]))
            {
                z._s[n++] = char.ConvertToUtf32(word[i], word[i + 1]);
                i++;
            }
            else z._s[n++] = word[i];
        }
        z.Limit = n;
        z.C = 0;
        z.Lb = 0;
        z.Bra = 0;
        z.Ket = n;
        return z;
    }

    /// <summary>The word as it stands.</summary>
    public override string ToString()
    {
        var length = 0;
        for (var i = 0; i < Limit; i++) length += _s[i] > 0xFFFF ? 2 : 1;
        return string.Create(length, this, static (chars, z) =>
        {
            var j = 0;
            for (var i = 0; i < z.Limit; i++)
            {
                var cp = z._s[i];
                if (cp > 0xFFFF) j += new Rune(cp).EncodeToUtf16(chars[j..]);
                else chars[j++] = (char)cp;
            }
        });
    }

    /// <summary>The code point at <paramref name="i"/>.</summary>
    public int At(int i) => _s[i];

    /// <summary>Whether the letter at <paramref name="i"/> (inside the word) is in the grouping.</summary>
    public bool IsIn(int i, string set) => i >= 0 && i < Limit && In(set, _s[i]);

    /// <summary>Starts a backward pass over the whole word (<c>backwards</c> after a forward pass that kept the cursor at 0).</summary>
    public void Backwards()
    {
        Lb = C;
        C = Limit;
    }

    private static bool In(string set, int cp) => cp <= 0xFFFF && set.Contains((char)cp, StringComparison.Ordinal);

    // ---- forward mode ----

    /// <summary><c>goto</c> a letter in (or, <paramref name="inSet"/> false, out of) the grouping: the cursor stops before it.</summary>
    public bool GoTo(string set, bool inSet)
    {
        while (C < Limit)
        {
            if (In(set, _s[C]) == inSet) return true;
            C++;
        }
        return false;
    }

    /// <summary><c>gopast</c> a letter in (or out of) the grouping: the cursor stops after it.</summary>
    public bool GoPast(string set, bool inSet)
    {
        if (!GoTo(set, inSet)) return false;
        C++;
        return true;
    }

    /// <summary>A letter of (or outside) the grouping at the cursor, consumed.</summary>
    public bool Grouping(string set, bool inSet)
    {
        if (C >= Limit || In(set, _s[C]) != inSet) return false;
        C++;
        return true;
    }

    /// <summary>The longest suffix of <paramref name="among"/> that stands at the cursor, consumed; its rule or 0.</summary>
    public int FindAmong(Among among)
    {
        int rule = 0, bestLength = 0;
        for (var k = 0; k < among.Count; k++)
        {
            var s = among.Suffix(k);
            if (s.Length <= bestLength || C + s.Length > Limit) continue;
            var match = true;
            for (var j = 0; j < s.Length && match; j++) match = _s[C + j] == s[j];
            if (match)
            {
                rule = among.Rule(k);
                bestLength = s.Length;
            }
        }
        C += bestLength;
        return rule;
    }
}
