using System.Text;

namespace Mongo.Driver.Auth;

/// <summary>
/// SASLprep (RFC 4013), the stringprep (RFC 3454) profile SCRAM-SHA-256 applies to passwords: map non-ASCII
/// spaces to U+0020 and "commonly mapped to nothing" characters to nothing, normalize with NFKC, reject
/// prohibited output, enforce the bidirectional rules, and, passwords being stored strings, reject code
/// points unassigned in Unicode 3.2. Error messages never include the input.
/// </summary>
internal static partial class SaslPrep
{
    /// <summary>Prepares a string.</summary>
    /// <exception cref="ArgumentException">The string contains a prohibited or unassigned character, or breaks the bidi rules.</exception>
    public static string Prepare(string input)
    {
        if (IsPrintableAscii(input))
        {
            // Nothing to map, NFKC leaves it alone, nothing prohibited, no RandALCat: the common case.
            return input;
        }

        var mapped = new StringBuilder(input.Length);
        int index = 0;
        foreach (Rune rune in Runes(input))
        {
            int cp = rune.Value;
            if (Contains(Unassigned, cp))
            {
                throw Fail("contains a code point that is unassigned in Unicode 3.2", index);
            }

            if (Contains(MappedToNothing, cp))
            {
                index++;
                continue;
            }

            if (Contains(NonAsciiSpace, cp))
            {
                mapped.Append(' ');
            }
            else
            {
                mapped.Append(rune.ToString());
            }

            index++;
        }

        string normalized = mapped.ToString().Normalize(NormalizationForm.FormKC);

        bool hasRandAL = false, hasL = false;
        Rune first = default, last = default;
        index = 0;
        foreach (Rune rune in Runes(normalized))
        {
            int cp = rune.Value;
            if (Contains(Prohibited, cp))
            {
                throw Fail("contains a character that SASLprep prohibits (RFC 4013 section 2.3)", index);
            }

            if (Contains(Unassigned, cp))
            {
                throw Fail("contains a code point that is unassigned in Unicode 3.2", index);
            }

            hasRandAL |= Contains(RandALCat, cp);
            hasL |= Contains(LCat, cp);
            if (index == 0)
            {
                first = rune;
            }

            last = rune;
            index++;
        }

        if (hasRandAL && (hasL || !Contains(RandALCat, first.Value) || !Contains(RandALCat, last.Value)))
        {
            throw new ArgumentException("The string breaks SASLprep's bidirectional rules (RFC 3454 section 6): right-to-left text must not mix with left-to-right text and must start and end with a right-to-left character.");
        }

        return normalized;
    }

    private static bool IsPrintableAscii(string s)
    {
        foreach (char c in s)
        {
            if (c is < (char)0x20 or > (char)0x7E)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The scalar values of a string; a lone surrogate is prohibited (table C.5).</summary>
    private static List<Rune> Runes(string s)
    {
        var runes = new List<Rune>(s.Length);
        int i = 0;
        while (i < s.Length)
        {
            if (Rune.DecodeFromUtf16(s.AsSpan(i), out Rune rune, out int consumed) != System.Buffers.OperationStatus.Done)
            {
                throw Fail("contains an unpaired surrogate, which SASLprep prohibits", runes.Count);
            }

            runes.Add(rune);
            i += consumed;
        }

        return runes;
    }

    private static ArgumentException Fail(string reason, int position) =>
        new("The string " + reason + " (character " + (position + 1).ToString(System.Globalization.CultureInfo.InvariantCulture) + ").");

    /// <summary>Binary search over sorted inclusive [start, end] pairs.</summary>
    private static bool Contains(ReadOnlySpan<int> ranges, int cp)
    {
        int lo = 0, hi = (ranges.Length / 2) - 1;
        while (lo <= hi)
        {
            int mid = (lo + hi) >>> 1;
            if (cp < ranges[2 * mid])
            {
                hi = mid - 1;
            }
            else if (cp > ranges[(2 * mid) + 1])
            {
                lo = mid + 1;
            }
            else
            {
                return true;
            }
        }

        return false;
    }
}
