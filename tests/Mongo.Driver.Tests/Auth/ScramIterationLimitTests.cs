using System.Security.Cryptography;
using System.Text;
using Mongo.Driver.Auth;
using Xunit;

namespace Mongo.Driver.Tests.Auth;

/// <summary>A server's iteration count is input: bounded, and the derivation it costs can be cancelled.</summary>
public class ScramIterationLimitTests
{
    private static byte[] Utf8(string s) => Encoding.UTF8.GetBytes(s);

    private static ScramConversation Started(int maximumIterationCount = ScramConversation.DefaultMaximumIterationCount)
    {
        var conversation = new ScramConversation(ScramAlgorithm.Sha256, "user", "pencil", cache: null, clientNonce: "rOprNGfwEbeRWgbNEkqO", maximumIterationCount: maximumIterationCount);
        conversation.GetClientFirstMessage();
        return conversation;
    }

    private static byte[] ServerFirst(long iterations) =>
        Utf8("r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=" + iterations);

    [Theory]
    [InlineData(2147483647L)]
    [InlineData(100_001L)]
    public void An_iteration_count_above_the_limit_is_refused_before_any_derivation(long iterations)
    {
        var ex = Assert.Throws<MongoAuthenticationException>(() => Started().Step(ServerFirst(iterations)));
        Assert.Contains("above the limit of 100000", ex.Message);
        Assert.Contains("MaxScramIterationCount", ex.Message);
    }

    [Fact]
    public void An_iteration_count_beyond_int_is_malformed()
    {
        var ex = Assert.Throws<MongoAuthenticationException>(() => Started().Step(ServerFirst(4_294_967_296L)));
        Assert.Contains("iteration count", ex.Message);
    }

    [Fact]
    public void The_limit_is_configurable()
    {
        var clientFinal = Started(maximumIterationCount: 200_000).Step(ServerFirst(150_000));
        Assert.StartsWith("c=biws,", Encoding.UTF8.GetString(clientFinal));
        Assert.Throws<MongoConfigurationException>(() => new MongoClientSettings { MaxScramIterationCount = 4095 });
        Assert.Equal(ScramConversation.DefaultMaximumIterationCount, new MongoClientSettings().MaxScramIterationCount);
        var settings = new MongoClientSettings { MaxScramIterationCount = 1_000_000 };
        Assert.Equal(1_000_000, settings.Clone().MaxScramIterationCount);
    }

    [Fact]
    public void A_long_derivation_observes_cancellation()
    {
        // 50 million iterations would take tens of seconds; the cancelled token must stop it within a few thousand.
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(20));
        var conversation = Started(maximumIterationCount: int.MaxValue);
        Assert.ThrowsAny<OperationCanceledException>(() => conversation.Step(ServerFirst(50_000_000), cts.Token));
    }

    [Theory]
    [InlineData(4096)]
    [InlineData(20_001)]
    [InlineData(77_777)]
    public void The_cancellable_derivation_is_pbkdf2(int iterations)
    {
        byte[] salt = RandomNumberGenerator.GetBytes(16);
        byte[] password = Utf8("pencil");
        foreach (var algorithm in new[] { ScramAlgorithm.Sha1, ScramAlgorithm.Sha256 })
        {
            using var cts = new CancellationTokenSource();
            Assert.Equal(algorithm.Hi(password, salt, iterations), algorithm.HiCancellable(password, salt, iterations, cts.Token));
        }
    }
}
