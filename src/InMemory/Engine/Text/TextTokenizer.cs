using System.Globalization;
using System.Text;

namespace Mongo.InMemory.Engine.Text;

/// <summary>How tokens are produced: mongod's version-3 tokenizer options.</summary>
[Flags]
internal enum TokenOptions
{
    None = 0,
    FilterStopWords = 1,
    CaseSensitive = 2,
    DiacriticSensitive = 4,
}

/// <summary>
/// Splits text into terms as mongod's version-3 ("unicode") tokenizer does: words run between delimiters (white space,
/// dashes, quotation marks and punctuation; in English the apostrophe belongs to the word), are lower-cased to test
/// against the stop words, stemmed, and, unless diacritic-sensitive, stripped of diacritics.
/// </summary>
internal static class TextTokenizer
{
    /// <summary>The terms of <paramref name="text"/>.</summary>
    public static List<string> Tokens(string text, TextLanguage language, TokenOptions options)
    {
        var result = new List<string>();
        foreach (var raw in Words(text, language))
        {
            // Lower-cased the language's way (Turkish has its own "I"), with diacritics, for the stop words and stemmer.
            var lower = language.ToLower(raw);
            if ((options & TokenOptions.FilterStopWords) != 0 && language.IsStopWord(lower)) continue;
            var word = (options & TokenOptions.CaseSensitive) != 0 ? raw : lower;
            // The stemmer is diacritic-sensitive, so it sees the word before diacritics are removed (as on mongod).
            word = language.Stem(word);
            if ((options & TokenOptions.DiacriticSensitive) == 0) word = StripDiacritics(word);
            result.Add(word);
        }
        return result;
    }

    /// <summary>The raw words of <paramref name="text"/> (the runs between delimiters).</summary>
    public static List<string> Words(string text, TextLanguage language)
    {
        var words = new List<string>();
        var start = -1;
        var i = 0;
        while (i < text.Length)
        {
            var cp = CodePointAt(text, i, out var width);
            var delimiter = IsDelimiter(cp, language.KeepsApostrophe);
            if (delimiter && start >= 0)
            {
                words.Add(text[start..i]);
                start = -1;
            }
            else if (!delimiter && start < 0) start = i;
            i += width;
        }
        if (start >= 0) words.Add(text[start..]);
        return words;
    }

    private static int CodePointAt(string text, int i, out int width)
    {
        if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
        {
            width = 2;
            return char.ConvertToUtf32(text[i], text[i + 1]);
        }
        width = 1;
        return text[i];
    }

    /// <summary>
    /// Whether a code point separates words: in ASCII, white space and every punctuation character but the underscore
    /// (and, for English, the apostrophe); beyond ASCII, white space, dashes, quotation marks, punctuation and the
    /// symbol blocks Unicode marks as pattern syntax (mongod's list is generated from the same Unicode properties).
    /// </summary>
    public static bool IsDelimiter(int cp, bool englishApostrophe)
    {
        if (cp < 0x80)
        {
            if (cp == '\'') return !englishApostrophe;
            if (cp is ' ' or '\t' or '\n' or '\v' or '\f' or '\r') return true;
            return cp is >= 0x21 and <= 0x2F or >= 0x3A and <= 0x40 or >= 0x5B and <= 0x5E or 0x60 or >= 0x7B and <= 0x7E;
        }
        if (cp is >= 0x2190 and <= 0x2BFF or >= 0x2E00 and <= 0x2E7F or >= 0x3001 and <= 0x3003 or >= 0x3008 and <= 0x3020 or 0x3030) return true;
        if (cp > 0xFFFF) return false;
        var c = (char)cp;
        if (char.IsWhiteSpace(c)) return true;
        return char.GetUnicodeCategory(c) switch
        {
            UnicodeCategory.DashPunctuation or UnicodeCategory.InitialQuotePunctuation or UnicodeCategory.FinalQuotePunctuation
                or UnicodeCategory.OtherPunctuation or UnicodeCategory.OpenPunctuation or UnicodeCategory.ClosePunctuation => true,
            _ => cp is >= 0xA1 and <= 0xA7 or 0xA9 or 0xAB or 0xAC or 0xAE or 0xB0 or 0xB1 or 0xB6 or 0xBB or 0xBF or 0xD7 or 0xF7,
        };
    }

    /// <summary>The text with combining marks removed after canonical decomposition ("é" → "e"), case kept.</summary>
    public static string StripDiacritics(string word)
    {
        var ascii = true;
        foreach (var c in word)
            if (c >= 0x80) ascii = false;
        if (ascii) return word;
        var decomposed = word.Normalize(NormalizationForm.FormD);
        var sb = new StringBuilder(decomposed.Length);
        foreach (var c in decomposed)
            if (CharUnicodeInfo.GetUnicodeCategory(c) is not (UnicodeCategory.NonSpacingMark or UnicodeCategory.EnclosingMark)) sb.Append(c);
        return sb.ToString().Normalize(NormalizationForm.FormC);
    }

    /// <summary>
    /// Text folded for phrase matching: lower-cased the language's way unless case-sensitive, stripped unless
    /// diacritic-sensitive.
    /// </summary>
    public static string FoldForPhrase(string text, TextLanguage language, bool caseSensitive, bool diacriticSensitive)
    {
        var t = caseSensitive ? text : language.ToLower(text);
        return diacriticSensitive ? t : StripDiacritics(t);
    }
}
