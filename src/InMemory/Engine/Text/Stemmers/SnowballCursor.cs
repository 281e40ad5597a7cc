using System.Text;

namespace Mongo.InMemory.Engine.Text.Stemmers;

/// <summary>
/// The small machine the Snowball algorithm descriptions are written against, so each stemmer reads like its published
/// description: a word of code points (Snowball's UTF-8 stemmers count code points, so a letter outside the BMP is one
/// position, not two), a cursor, the backward limit a <c>setlimit</c> narrows, and the slice (<c>[</c> = ket and
/// <c>]</c> = bra in backward mode) that <c>delete</c> and <c>&lt;-</c> rewrite. One instance per thread is reused, so a
/// stem costs the result string and nothing else once the buffer has grown.
/// </summary>
internal sealed class SnowballCursor
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

    /// <summary>The longest of <paramref name="strings"/> at the cursor, consumed; its index or -1.</summary>
    public int FindAmong(string[] strings)
    {
        int best = -1, bestLength = 0;
        for (var k = 0; k < strings.Length; k++)
        {
            var s = strings[k];
            if (s.Length <= bestLength || C + s.Length > Limit) continue;
            var match = true;
            for (var j = 0; j < s.Length && match; j++) match = _s[C + j] == s[j];
            if (match)
            {
                best = k;
                bestLength = s.Length;
            }
        }
        C += bestLength;
        return best;
    }

    // ---- backward mode ----

    /// <summary>A letter of (or outside) the grouping before the cursor, consumed.</summary>
    public bool GroupingB(string set, bool inSet)
    {
        if (C <= Lb || In(set, _s[C - 1]) != inSet) return false;
        C--;
        return true;
    }

    /// <summary>Backward <c>goto</c>: moves back until the letter before the cursor is in (or out of) the grouping.</summary>
    public bool GoToB(string set, bool inSet)
    {
        while (C > Lb)
        {
            if (In(set, _s[C - 1]) == inSet) return true;
            C--;
        }
        return false;
    }

    /// <summary>The literal <paramref name="s"/> just before the cursor, consumed.</summary>
    public bool EqB(string s)
    {
        if (C - Lb < s.Length) return false;
        var start = C - s.Length;
        for (var j = 0; j < s.Length; j++)
            if (_s[start + j] != s[j]) return false;
        C = start;
        return true;
    }

    /// <summary>The code points of the current slice matched just before the cursor (Snowball's <c>x</c> after <c>-&gt; x</c>).</summary>
    public bool EqSliceB(int[] s)
    {
        if (C - Lb < s.Length) return false;
        var start = C - s.Length;
        for (var j = 0; j < s.Length; j++)
            if (_s[start + j] != s[j]) return false;
        C = start;
        return true;
    }

    /// <summary><c>next</c>: one letter back.</summary>
    public bool NextB()
    {
        if (C <= Lb) return false;
        C--;
        return true;
    }

    /// <summary>
    /// The longest of <paramref name="strings"/> ending at the cursor, consumed; its index or -1. An entry with a
    /// <paramref name="condition"/> (Snowball's routine written beside an among string) counts only when the condition,
    /// run with the cursor before the entry, holds; otherwise the next shorter entry that matches is tried.
    /// </summary>
    public int FindAmongB(string[] strings, Func<SnowballCursor, int, bool>? condition = null)
    {
        var end = C;
        var bound = int.MaxValue;
        while (true)
        {
            int best = -1, bestLength = 0;
            for (var k = 0; k < strings.Length; k++)
            {
                var s = strings[k];
                if (s.Length <= bestLength || s.Length >= bound || end - s.Length < Lb) continue;
                var start = end - s.Length;
                var match = true;
                for (var j = 0; j < s.Length && match; j++) match = _s[start + j] == s[j];
                if (match)
                {
                    best = k;
                    bestLength = s.Length;
                }
            }
            if (best < 0) return -1;
            C = end - bestLength;
            if (condition is null) return best;
            var holds = condition(this, best);
            C = end - bestLength;
            if (holds) return best;
            bound = bestLength;
        }
    }

    /// <summary><c>[substring]</c> then <c>among</c> in backward mode: the slice is the longest suffix found.</summary>
    public int SliceAmongB(string[] strings, Func<SnowballCursor, int, bool>? condition = null)
    {
        Ket = C;
        var found = FindAmongB(strings, condition);
        if (found >= 0) Bra = C;
        return found;
    }

    /// <summary>
    /// <c>setlimit tomark p for ([substring])</c> then <c>among</c>: the suffix must lie at or after
    /// <paramref name="mark"/>; the limit is lifted again before the caller runs the entry's action.
    /// </summary>
    public int SliceAmongB(string[] strings, int mark, Func<SnowballCursor, int, bool>? condition = null)
    {
        if (C < mark) return -1;
        var saved = Lb;
        Lb = mark;
        var found = SliceAmongB(strings, condition);
        Lb = saved;
        return found;
    }

    /// <summary>The slice's code points (Snowball's <c>-&gt; x</c>).</summary>
    public int[] SliceTo() => _s[Bra..Ket];

    /// <summary><c>delete</c>: removes the slice.</summary>
    public void SliceDel() => SliceFrom("");

    /// <summary><c>&lt;- s</c>: replaces the slice with <paramref name="s"/>.</summary>
    public void SliceFrom(string s) => Replace(Bra, Ket, s);

    /// <summary><c>&lt;+ s</c>: inserts <paramref name="s"/> at the cursor, which stays before it.</summary>
    public void InsertAtCursor(string s)
    {
        var at = C;
        var adjustment = Replace(at, at, s);
        if (at <= Bra) Bra += adjustment;
        if (at <= Ket) Ket += adjustment;
        C = at;
    }

    // Replaces [from, to) and moves the cursor as Snowball does: after the replaced text when it was after it, to the
    // replacement's start when it was inside it.
    private int Replace(int from, int to, string s)
    {
        var adjustment = s.Length - (to - from);
        if (adjustment != 0)
        {
            if (Limit + adjustment > _s.Length) Array.Resize(ref _s, Math.Max(_s.Length * 2, Limit + adjustment));
            Array.Copy(_s, to, _s, to + adjustment, Limit - to);
            Limit += adjustment;
            if (C >= to) C += adjustment;
            else if (C > from) C = from;
        }
        for (var j = 0; j < s.Length; j++) _s[from + j] = s[j];
        return adjustment;
    }
}
