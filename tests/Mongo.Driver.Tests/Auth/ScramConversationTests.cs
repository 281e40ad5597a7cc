using System.Text;
using Mongo.Driver.Auth;
using Xunit;

namespace Mongo.Driver.Tests.Auth;

public class ScramConversationTests
{
    private static byte[] Utf8(string s) => Encoding.UTF8.GetBytes(s);

    private static string Text(byte[] b) => Encoding.UTF8.GetString(b);

    [Fact]
    public void Rfc5802_sha1_test_vector()
    {
        // RFC 5802 section 5 uses the raw password, not MongoDB's digest.
        var conversation = new ScramConversation(ScramAlgorithm.Sha1, "user", "pencil", cache: null, clientNonce: "fyko+d2lbbFgONRv9qkxdawL");
        Assert.Equal("n,,n=user,r=fyko+d2lbbFgONRv9qkxdawL", Text(conversation.GetClientFirstMessage()));
        byte[] clientFinal = conversation.Step(Utf8("r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,s=QSXCR+Q6sek8bf92,i=4096"));
        Assert.Equal("c=biws,r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,p=v0X8v3Bz2T0CJGbJQyF0X+HI4Ts=", Text(clientFinal));
        Assert.False(conversation.IsVerified);
        Assert.Empty(conversation.Step(Utf8("v=rmF9pqV8S7suAoZWja4dJRkFsKQ=")));
        Assert.True(conversation.IsVerified);
        conversation.EnsureVerified();
    }

    [Fact]
    public void Rfc7677_sha256_test_vector()
    {
        var conversation = new ScramConversation(ScramAlgorithm.Sha256, "user", "pencil", cache: null, clientNonce: "rOprNGfwEbeRWgbNEkqO");
        Assert.Equal("n,,n=user,r=rOprNGfwEbeRWgbNEkqO", Text(conversation.GetClientFirstMessage()));
        byte[] clientFinal = conversation.Step(Utf8("r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096"));
        Assert.Equal("c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=", Text(clientFinal));
        conversation.Step(Utf8("v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4="));
        Assert.True(conversation.IsVerified);
    }

    [Fact]
    public void Auth_spec_scram_sha1_example_uses_the_mongo_password_digest()
    {
        ScramConversation conversation = ScramConversation.Create(ScramAlgorithm.Sha1, "user", "pencil", new ScramCache(), "fyko+d2lbbFgONRv9qkxdawL");
        // The spec shows the saslStart payload as base64.
        Assert.Equal("biwsbj11c2VyLHI9ZnlrbytkMmxiYkZnT05Sdjlxa3hkYXdM", Convert.ToBase64String(conversation.GetClientFirstMessage()));
        byte[] clientFinal = conversation.Step(Convert.FromBase64String("cj1meWtvK2QybGJiRmdPTlJ2OXFreGRhd0xIbytWZ2s3cXZVT0tVd3VXTElXZzRsLzlTcmFHTUhFRSxzPXJROVpZM01udEJldVAzRTFURFZDNHc9PSxpPTEwMDAw"));
        Assert.Equal("Yz1iaXdzLHI9ZnlrbytkMmxiYkZnT05Sdjlxa3hkYXdMSG8rVmdrN3F2VU9LVXd1V0xJV2c0bC85U3JhR01IRUUscD1NQzJUOEJ2Ym1XUmNrRHc4b1dsNUlWZ2h3Q1k9", Convert.ToBase64String(clientFinal));
        conversation.Step(Convert.FromBase64String("dj1VTVdlSTI1SkQxeU5ZWlJNcFo0Vkh2aFo5ZTA9"));
        Assert.True(conversation.IsVerified);
    }

    [Fact]
    public void Auth_spec_scram_sha256_example()
    {
        ScramConversation conversation = ScramConversation.Create(ScramAlgorithm.Sha256, "user", "pencil", new ScramCache(), "rOprNGfwEbeRWgbNEkqO");
        Assert.Equal("biwsbj11c2VyLHI9ck9wck5HZndFYmVSV2diTkVrcU8=", Convert.ToBase64String(conversation.GetClientFirstMessage()));
        byte[] clientFinal = conversation.Step(Convert.FromBase64String("cj1yT3ByTkdmd0ViZVJXZ2JORWtxTyVodllEcFdVYTJSYVRDQWZ1eEZJbGopaE5sRiRrMCxzPVcyMlphSjBTTlk3c29Fc1VFamI2Z1E9PSxpPTQwOTY="));
        Assert.Equal("Yz1iaXdzLHI9ck9wck5HZndFYmVSV2diTkVrcU8laHZZRHBXVWEyUmFUQ0FmdXhGSWxqKWhObEYkazAscD1kSHpiWmFwV0lrNGpVaE4rVXRlOXl0YWc5empmTUhnc3FtbWl6N0FuZFZRPQ==", Convert.ToBase64String(clientFinal));
        conversation.Step(Convert.FromBase64String("dj02cnJpVFJCaTIzV3BSUi93dHVwK21NaFVaVW4vZEI1bkxUSlJzamw5NUc0PQ=="));
        Assert.True(conversation.IsVerified);
    }

    [Fact]
    public void Sha256_passwords_are_saslprepped_so_equivalent_forms_give_the_same_proof()
    {
        string Proof(string password)
        {
            ScramConversation c = ScramConversation.Create(ScramAlgorithm.Sha256, "user", password, new ScramCache(), "rOprNGfwEbeRWgbNEkqO");
            c.GetClientFirstMessage();
            return Text(c.Step(Utf8("r=rOprNGfwEbeRWgbNEkqOxyz,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096")));
        }

        Assert.Equal(Proof("IX"), Proof("I\u00ADX"));
        Assert.Equal(Proof("IX"), Proof("\u2168"));
        Assert.Equal(Proof("IV"), Proof("\u2163"));
        Assert.NotEqual(Proof("IX"), Proof("IV"));
        Assert.Throws<MongoAuthenticationException>(() => ScramConversation.Create(ScramAlgorithm.Sha256, "user", "bad\u0007"));
    }

    [Fact]
    public void User_names_are_escaped_but_not_saslprepped()
    {
        var conversation = new ScramConversation(ScramAlgorithm.Sha256, "a=b,c\u2168", "p", null, "nonce");
        Assert.Equal("n,,n=a=3Db=2Cc\u2168,r=nonce", Text(conversation.GetClientFirstMessage()));
    }

    [Fact]
    public void Generated_nonces_are_random_and_comma_free()
    {
        string a = Text(ScramConversation.Create(ScramAlgorithm.Sha256, "u", "p").GetClientFirstMessage());
        string b = Text(ScramConversation.Create(ScramAlgorithm.Sha256, "u", "p").GetClientFirstMessage());
        Assert.NotEqual(a, b);
        Assert.StartsWith("n,,n=u,r=", a, StringComparison.Ordinal);
        Assert.True(a.Length - "n,,n=u,r=".Length >= 24);
        Assert.DoesNotContain(',', a["n,,n=u,".Length..]);
    }

    [Theory]
    [InlineData("r=fyko+d2lbbFgONRv9qkxdawL3rfc,s=QSXCR+Q6sek8bf92,i=4095", "below the minimum of 4096")]
    [InlineData("r=fyko+d2lbbFgONRv9qkxdawL3rfc,s=QSXCR+Q6sek8bf92,i=1", "below the minimum")]
    [InlineData("r=OTHERd2lbbFgONRv9qkxdawL3rfc,s=QSXCR+Q6sek8bf92,i=4096", "nonce")]
    [InlineData("r=fyko+d2lbbFgONRv9qkxdawL,s=QSXCR+Q6sek8bf92,i=4096", "nonce")]
    [InlineData("m=ext,r=fyko+d2lbbFgONRv9qkxdawL3rfc,s=QSXCR+Q6sek8bf92,i=4096", "extension")]
    [InlineData("r=fyko+d2lbbFgONRv9qkxdawL3rfc,s=!!!,i=4096", "base64")]
    [InlineData("r=fyko+d2lbbFgONRv9qkxdawL3rfc,s=,i=4096", "salt is empty")]
    [InlineData("r=fyko+d2lbbFgONRv9qkxdawL3rfc,s=QSXCR+Q6sek8bf92,i=-5000", "positive integer")]
    [InlineData("r=fyko+d2lbbFgONRv9qkxdawL3rfc,i=4096,s=QSXCR+Q6sek8bf92", "malformed")]
    [InlineData("garbage", "malformed")]
    [InlineData("", "malformed")]
    public void Bad_server_first_messages_fail(string serverFirst, string reason)
    {
        var conversation = new ScramConversation(ScramAlgorithm.Sha1, "user", "pencil", null, "fyko+d2lbbFgONRv9qkxdawL");
        conversation.GetClientFirstMessage();
        var ex = Assert.Throws<MongoAuthenticationException>(() => conversation.Step(Utf8(serverFirst)));
        Assert.Contains(reason, ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("pencil", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("v=AAAAAAAAAAAAAAAAAAAAAAAAAAA=", "signature is wrong")]
    [InlineData("v=rmF9pqV8S7suAoZWja4dJRkFsKQ", "base64")]
    [InlineData("e=invalid-proof", "'invalid-proof'")]
    [InlineData("x=1", "malformed")]
    [InlineData("", "malformed")]
    public void Bad_server_final_messages_fail(string serverFinal, string reason)
    {
        var conversation = new ScramConversation(ScramAlgorithm.Sha1, "user", "pencil", null, "fyko+d2lbbFgONRv9qkxdawL");
        conversation.GetClientFirstMessage();
        conversation.Step(Utf8("r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,s=QSXCR+Q6sek8bf92,i=4096"));
        var ex = Assert.Throws<MongoAuthenticationException>(() => conversation.Step(Utf8(serverFinal)));
        Assert.Contains(reason, ex.Message, StringComparison.Ordinal);
        Assert.False(conversation.IsVerified);
        Assert.Throws<MongoAuthenticationException>(conversation.EnsureVerified);
    }

    [Fact]
    public void Extra_empty_round_trip_is_accepted_after_verification_but_not_data()
    {
        var conversation = new ScramConversation(ScramAlgorithm.Sha1, "user", "pencil", null, "fyko+d2lbbFgONRv9qkxdawL");
        conversation.GetClientFirstMessage();
        conversation.Step(Utf8("r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,s=QSXCR+Q6sek8bf92,i=4096"));
        conversation.Step(Utf8("v=rmF9pqV8S7suAoZWja4dJRkFsKQ="));
        Assert.Empty(conversation.Step([]));
        Assert.Throws<MongoAuthenticationException>(() => conversation.Step([1]));
    }

    [Fact]
    public void Steps_out_of_order_are_programming_errors()
    {
        var conversation = new ScramConversation(ScramAlgorithm.Sha1, "user", "pencil", null, "nonce");
        Assert.Throws<InvalidOperationException>(() => conversation.Step([]));
        conversation.GetClientFirstMessage();
        Assert.Throws<InvalidOperationException>(() => conversation.GetClientFirstMessage());
        Assert.Throws<ArgumentException>(() => new ScramConversation(ScramAlgorithm.Sha1, "user", "pencil", null, "a,b"));
    }

    [Fact]
    public void Derived_keys_are_cached_per_password_salt_and_iteration_count()
    {
        var cache = new ScramCache();
        string Run(string password, string salt, int iterations)
        {
            var c = new ScramConversation(ScramAlgorithm.Sha256, "user", password, cache, "rOprNGfwEbeRWgbNEkqO");
            c.GetClientFirstMessage();
            return Text(c.Step(Utf8("r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=" + salt + ",i=" + iterations)));
        }

        string first = Run("pencil", "W22ZaJ0SNY7soEsUEjb6gQ==", 4096);
        Assert.Equal(1, cache.Count);
        Assert.Equal(first, Run("pencil", "W22ZaJ0SNY7soEsUEjb6gQ==", 4096));
        Assert.Equal(1, cache.Count);
        // The cached keys produce the RFC 7677 proof.
        Assert.EndsWith("p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=", first, StringComparison.Ordinal);
        Run("pencil", "QSXCR+Q6sek8bf92", 4096);
        Run("pencil", "W22ZaJ0SNY7soEsUEjb6gQ==", 4097);
        Run("pencil2", "W22ZaJ0SNY7soEsUEjb6gQ==", 4096);
        Assert.Equal(4, cache.Count);
    }

    [Fact]
    public void Mongo_password_digest_is_hex_md5_of_user_mongo_password()
    {
        Assert.Equal("1c33006ec1ffd90f9cadcbcc0e118200", MongoPasswordDigest.Compute("user", "pencil"));
    }
}
