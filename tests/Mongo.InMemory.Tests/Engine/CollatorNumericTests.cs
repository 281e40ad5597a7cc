using Mongo.InMemory.Engine.Collation;
using Xunit;

namespace Mongo.InMemory.Tests.Engine;

/// <summary>
/// The net8.0 build orders numericOrdering collations with its own digit-run comparison; on net10.0 (where the
/// tests run) ICU does it, so the portable code is checked against ICU here.
/// </summary>
public sealed class CollatorNumericTests
{
    [Fact]
    public void Portable_numeric_ordering_agrees_with_ICU_on_case_folded_text_and_numbers()
    {
        Collator collator = Collator.Parse(Json.Doc("{locale: 'en', strength: 2, numericOrdering: true}"))!;
        Assert.True(collator.ComparePortableNumeric("item9", "item10") < 0);
        Assert.Equal(0, collator.ComparePortableNumeric("Item10", "item10"));

        var random = new Random(8);
        for (int i = 0; i < 2000; i++)
        {
            string a = RandomText(random), b = RandomText(random);
            Assert.True(collator.Compare(a, b) == collator.ComparePortableNumeric(a, b), $"'{a}' vs '{b}'");
        }
    }

    // Alternating letter and digit runs; digit runs without leading zeros, where ICU and the portable code agree.
    private static string RandomText(Random random)
    {
        var chars = new List<char>();
        bool digits = random.Next(2) == 0;
        for (int run = random.Next(1, 5); run > 0; run--, digits = !digits)
        {
            int length = random.Next(1, 4);
            for (int k = 0; k < length; k++)
            {
                chars.Add(digits ? (char)('0' + random.Next(k == 0 ? 1 : 0, 10)) : (char)((random.Next(2) == 0 ? 'a' : 'A') + random.Next(3)));
            }
        }

        return new string(chars.ToArray());
    }
}
