using System.Text;
using Xunit;
using ConnectionScram = Mongo.Driver.Connections.ScramConversation;

namespace Mongo.Driver.Tests.Auth;

/// <summary>The connection layer's SCRAM conversation applies full SASLprep to SCRAM-SHA-256 passwords.</summary>
public class ConnectionScramSaslPrepTests
{
    private static string Proof(string password)
    {
        var conversation = new ConnectionScram("SCRAM-SHA-256", "user", password, "rOprNGfwEbeRWgbNEkqO");
        conversation.ClientFirst();
        return Encoding.UTF8.GetString(conversation.ProcessServerFirst("r=rOprNGfwEbeRWgbNEkqOabc,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096"u8.ToArray()));
    }

    [Fact]
    public void Soft_hyphen_is_mapped_to_nothing_and_prohibited_characters_are_rejected()
    {
        Assert.Equal(Proof("IX"), Proof("I\u00ADX"));
        Assert.Equal(Proof("IV"), Proof("\u2163"));
        Assert.Throws<FormatException>(() => Proof("bad\u0007"));
    }
}
