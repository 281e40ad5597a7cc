namespace Mongo.InMemory.Engine.Text.Stemmers;

/// <summary>The machine's backward mode, in which the stemmers match and remove suffixes.</summary>
internal sealed partial class SnowballCursor
{
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

    /// <summary>
    /// The current slice's letters again just before the cursor, consumed (Snowball's <c>-&gt; x ... x</c>, which
    /// the stemmers use to undouble a letter).
    /// </summary>
    public bool EqSliceB()
    {
        var length = Ket - Bra;
        if (C - Lb < length) return false;
        var start = C - length;
        for (var j = 0; j < length; j++)
            if (_s[start + j] != _s[Bra + j]) return false;
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
    /// The longest suffix of <paramref name="among"/> ending at the cursor, consumed; its rule or 0. A
    /// <paramref name="condition"/> (Snowball's routine written beside an among string) is run, with the cursor before
    /// the suffix, for each suffix found; when it fails the next shorter suffix that matches is tried.
    /// </summary>
    public int FindAmongB(Among among, Func<SnowballCursor, int, bool>? condition = null)
    {
        var end = C;
        if (end <= Lb) return 0;
        var (from, to) = among.EndingIn(_s[end - 1]);
        for (var k = from; k < to; k++)
        {
            var s = among.Suffix(k);
            var start = end - s.Length;
            if (start < Lb) continue;
            var match = true;
            for (var j = s.Length - 2; j >= 0 && match; j--) match = _s[start + j] == s[j];
            if (!match) continue;
            C = start;
            if (condition is null) return among.Rule(k);
            var holds = condition(this, among.Rule(k));
            // As in Snowball, the cursor stays before the last suffix tried, whether or not its condition held.
            C = start;
            if (holds) return among.Rule(k);
        }
        return 0;
    }

    /// <summary><c>[substring]</c> then <c>among</c> in backward mode: the slice is the longest suffix found.</summary>
    public int SliceAmongB(Among among, Func<SnowballCursor, int, bool>? condition = null)
    {
        Ket = C;
        var found = FindAmongB(among, condition);
        if (found > 0) Bra = C;
        return found;
    }

    /// <summary>
    /// <c>setlimit tomark p for ([substring])</c> then <c>among</c>: the suffix must lie at or after
    /// <paramref name="mark"/>; the limit is lifted again before the caller runs the rule's action.
    /// </summary>
    public int SliceAmongB(Among among, int mark, Func<SnowballCursor, int, bool>? condition = null)
    {
        if (C < mark) return 0;
        var saved = Lb;
        Lb = mark;
        var found = SliceAmongB(among, condition);
        Lb = saved;
        return found;
    }

    /// <summary>
    /// <c>[substring] R among(...)</c>: the longest suffix of <paramref name="among"/> before the cursor, which counts
    /// only when it starts in the region from <paramref name="region"/> (no shorter one is tried); its rule or 0, with
    /// the cursor back where it was when there is none.
    /// </summary>
    public int SliceAmongInRegionB(Among among, int region)
    {
        var at = C;
        var found = SliceAmongB(among);
        if (found > 0 && C >= region) return found;
        C = at;
        return 0;
    }

    /// <summary>
    /// <c>[s] R delete</c>: removes the literal <paramref name="s"/> before the cursor when it starts in the region (and,
    /// given <paramref name="after"/>, follows it; given <paramref name="notAfter"/>, does not follow that); the cursor
    /// is back where it was when it does not.
    /// </summary>
    public bool DeleteInRegionB(string s, int region, string after = "", string? notAfter = null)
    {
        var at = C;
        if (SliceEqB(s) && C >= region && (notAfter is null || !EqB(notAfter)) && EqB(after))
        {
            SliceDel();
            return true;
        }
        C = at;
        return false;
    }

    /// <summary>
    /// <c>delete try([substring] R among(...) delete)</c>: removes the slice, then the longest suffix of
    /// <paramref name="preceding"/> before it when that starts in the region.
    /// </summary>
    public void DeleteWithPrecedingB(Among preceding, int region)
    {
        SliceDel();
        if (SliceAmongInRegionB(preceding, region) > 0) SliceDel();
    }

    /// <summary><c>[</c> literal <c>]</c>: the slice is <paramref name="s"/> when it stands just before the cursor.</summary>
    public bool SliceEqB(string s)
    {
        Ket = C;
        if (!EqB(s)) return false;
        Bra = C;
        return true;
    }

    /// <summary>Removes the word's last letter (within the backward limit), leaving the cursor at the end.</summary>
    public void DeleteLastLetter()
    {
        C = Limit;
        Ket = C;
        if (!NextB()) return;
        Bra = C;
        SliceDel();
    }

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
