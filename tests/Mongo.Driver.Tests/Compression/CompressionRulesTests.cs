using Xunit;
using Mongo.Driver.Compression;

namespace Mongo.Driver.Tests.Compression;

public class CompressionRulesTests
{
    public static TheoryData<string> NeverCompressed => new()
    {
        "hello", "isMaster", "ismaster", "saslStart", "saslContinue", "getnonce", "authenticate",
        "createUser", "updateUser", "copydbSaslStart", "copydbgetnonce", "copydb",
    };

    [Theory]
    [MemberData(nameof(NeverCompressed))]
    public void Handshake_and_auth_commands_are_never_compressed(string command)
    {
        Assert.False(CompressionRules.MayCompress(command));
        Assert.False(CompressionRules.MayCompress(TestBytes.Doc((command, 1), ("x", 2))));
    }

    [Theory]
    [InlineData("find")]
    [InlineData("insert")]
    [InlineData("ping")]
    [InlineData("helloX")]
    [InlineData("copydbX")]
    public void Other_commands_are_compressed(string command)
    {
        Assert.True(CompressionRules.MayCompress(command));
        Assert.True(CompressionRules.MayCompress(TestBytes.Doc((command, 1))));
    }

    [Fact]
    public void Only_the_first_element_names_the_command()
    {
        Assert.True(CompressionRules.MayCompress(TestBytes.Doc(("find", 1), ("hello", 1))));
        Assert.False(CompressionRules.MayCompress(TestBytes.Doc(("HELLO", 1), ("find", 1))));
    }

    [Theory]
    [InlineData("")]
    [InlineData("05000000")]
    [InlineData("0500000000")]
    [InlineData("FF000000106100")]
    [InlineData("0C00000010616263")]
    public void Malformed_or_empty_documents_are_not_compressed(string hex)
    {
        Assert.False(CompressionRules.MayCompress(TestBytes.Hex(hex)));
    }
}
