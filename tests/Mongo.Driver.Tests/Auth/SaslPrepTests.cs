using Mongo.Driver.Auth;
using Xunit;

namespace Mongo.Driver.Tests.Auth;

public class SaslPrepTests
{
    [Theory]
    // RFC 4013 section 3 examples.
    [InlineData("I\u00ADX", "IX")]
    [InlineData("user", "user")]
    [InlineData("USER", "USER")]
    [InlineData("\u00AA", "a")]
    [InlineData("\u2168", "IX")]
    // Auth spec test plan.
    [InlineData("I\u00ADV", "IV")]
    [InlineData("\u2163", "IV")]
    // Non-ASCII spaces map to SPACE; "mapped to nothing" characters vanish.
    [InlineData("a\u00A0b", "a b")]
    [InlineData("a\u2000b\u3000c", "a b c")]
    [InlineData("a\u200Bb\uFEFFc\u180Bd", "abcd")]
    // NFKC.
    [InlineData("\uFB01", "fi")]
    [InlineData("e\u0301", "\u00E9")]
    // Right-to-left text that starts and ends with RandALCat is fine.
    [InlineData("\u0627\u0628", "\u0627\u0628")]
    [InlineData("\u0627\u0031\u0628", "\u0627\u0031\u0628")]
    [InlineData("", "")]
    [InlineData("\U0001D400", "A")]
    public void Prepares(string input, string expected)
    {
        Assert.Equal(expected, SaslPrep.Prepare(input));
    }

    [Theory]
    [InlineData("\u0007", "prohibits")]          // RFC 4013 example: ASCII control
    [InlineData("a\u0000b", "prohibits")]
    [InlineData("a\u0085", "prohibits")]         // non-ASCII control
    [InlineData("\uE000", "prohibits")]          // private use
    [InlineData("\U000F0000", "prohibits")]      // supplementary private use
    [InlineData("\uFDD0", "prohibits")]          // non-character
    [InlineData("\uFFFD", "prohibits")]          // inappropriate for plain text
    [InlineData("\u2FF0", "prohibits")]          // inappropriate for canonical representation
    [InlineData("\u200E", "prohibits")]          // change display properties
    [InlineData("\U000E0001", "prohibits")]      // tagging character
    [InlineData("\u0221", "unassigned")]         // unassigned in Unicode 3.2, assigned later
    [InlineData("\u0627\u0031", "bidirectional")] // RFC 4013 example: RandALCat must end the string
    [InlineData("\u0031\u0627", "bidirectional")]
    [InlineData("\u0627a\u0628", "bidirectional")] // mixes RandALCat and LCat
    public void Rejects(string input, string reason)
    {
        var ex = Assert.Throws<ArgumentException>(() => SaslPrep.Prepare(input));
        Assert.Contains(reason, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Rejects_unpaired_surrogates()
    {
        // Built in code: xunit's theory serialization would turn a lone surrogate into U+FFFD.
        foreach (string input in new[] { new string((char)0xD800, 1), "a" + (char)0xDC00, "b" + (char)0xD83D + "c" })
        {
            var ex = Assert.Throws<ArgumentException>(() => SaslPrep.Prepare(input));
            Assert.Contains("unpaired surrogate", ex.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Printable_ascii_is_returned_as_is()
    {
        string password = "P@ss w0rd!~";
        Assert.Same(password, SaslPrep.Prepare(password));
    }
}
