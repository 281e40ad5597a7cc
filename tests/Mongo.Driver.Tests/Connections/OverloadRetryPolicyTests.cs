using Mongo.Bson;
using Mongo.Driver.Connections;
using Mongo.Driver.Operations;
using Xunit;

namespace Mongo.Driver.Tests.Connections;

/// <summary>
/// The client backpressure spec's retry rules in isolation: the backoff formula (with the jitter fixed through the policy's
/// hook), the attempt limits, which errors count as overload errors, and the timeoutMS and cancellation rules of the wait.
/// Nothing here measures time: waits go to a recorder.
/// </summary>
public sealed class OverloadRetryPolicyTests
{
    private static MongoCommandException Error(int code = 462, BsonDocument? extra = null, params string[] labels)
    {
        var reply = new BsonDocument { { "ok", 0.0 }, { "code", code }, { "errmsg", "shed" } };
        if (labels.Length > 0)
        {
            reply.Add("errorLabels", new BsonArray(labels.Select(l => (BsonValue)l)));
        }

        if (extra is not null)
        {
            foreach (BsonElement element in extra)
            {
                reply.Add(element.Name, element.Value);
            }
        }

        return ExceptionFactory.CreateCommandException("find", reply, null);
    }

    private static MongoCommandException Overload(BsonDocument? extra = null) =>
        Error(462, extra, ConnectionErrors.SystemOverloadedError, ConnectionErrors.RetryableError);

    private static (OverloadRetryPolicy Policy, List<TimeSpan> Waits) Recording(double jitter, int maxRetries = 2)
    {
        var waits = new List<TimeSpan>();
        var policy = new OverloadRetryPolicy(maxRetries, retarget: false, () => jitter, (_, delay, _) =>
        {
            waits.Add(delay);
            return default;
        });
        return (policy, waits);
    }

    [Fact]
    public void Backoff_is_jitter_times_base_times_two_to_the_retry_capped_at_ten_seconds()
    {
        var (full, _) = Recording(jitter: 1.0);
        Assert.Equal(TimeSpan.FromMilliseconds(200), full.Backoff(1, Overload()));
        Assert.Equal(TimeSpan.FromMilliseconds(400), full.Backoff(2, Overload()));
        Assert.Equal(TimeSpan.FromMilliseconds(800), full.Backoff(3, Overload()));
        Assert.Equal(OverloadRetryPolicy.MaxBackoff, full.Backoff(7, Overload()));
        Assert.Equal(OverloadRetryPolicy.MaxBackoff, full.Backoff(1000, Overload()));

        var (half, _) = Recording(jitter: 0.5);
        Assert.Equal(TimeSpan.FromMilliseconds(100), half.Backoff(1, Overload()));

        var (none, _) = Recording(jitter: 0.0);
        Assert.Equal(TimeSpan.Zero, none.Backoff(2, Overload()));
    }

    [Fact]
    public void Default_jitter_stays_within_the_bounds_of_the_formula()
    {
        var policy = new OverloadRetryPolicy(2, retarget: false);
        for (int i = 0; i < 200; i++)
        {
            TimeSpan backoff = policy.Backoff(1, Overload());
            Assert.InRange(backoff, TimeSpan.Zero, TimeSpan.FromMilliseconds(200));
        }
    }

    [Fact]
    public void A_positive_baseBackoffMS_on_the_error_replaces_the_default_base()
    {
        var (policy, _) = Recording(jitter: 1.0);
        Assert.Equal(TimeSpan.FromMilliseconds(100), policy.Backoff(1, Overload(new BsonDocument("baseBackoffMS", 50))));
        Assert.Equal(TimeSpan.FromMilliseconds(2000), policy.Backoff(2, Overload(new BsonDocument("baseBackoffMS", 500.0))));

        // Zero, negative or non-numeric values are ignored: the default base applies.
        Assert.Equal(TimeSpan.FromMilliseconds(200), policy.Backoff(1, Overload(new BsonDocument("baseBackoffMS", 0))));
        Assert.Equal(TimeSpan.FromMilliseconds(200), policy.Backoff(1, Overload(new BsonDocument("baseBackoffMS", -5))));
        Assert.Equal(TimeSpan.FromMilliseconds(200), policy.Backoff(1, Overload(new BsonDocument("baseBackoffMS", "50"))));
    }

    [Fact]
    public void Only_errors_with_both_labels_are_retryable_overload_errors()
    {
        Assert.True(OverloadRetryPolicy.IsRetryableOverload(Overload()));
        Assert.False(OverloadRetryPolicy.IsRetryableOverload(Error(462, null, ConnectionErrors.SystemOverloadedError)));
        Assert.False(OverloadRetryPolicy.IsRetryableOverload(Error(462, null, ConnectionErrors.RetryableError)));
        Assert.False(OverloadRetryPolicy.IsRetryableOverload(Error(11600)));
        Assert.True(OverloadRetryPolicy.IsOverload(Error(462, null, ConnectionErrors.SystemOverloadedError)));
    }

    [Fact]
    public void Without_overload_errors_the_ordinary_limit_applies()
    {
        var (policy, _) = Recording(jitter: 1.0);
        bool seen = false;
        Assert.True(policy.AllowsRetry(1, Error(11600), ordinaryRetries: 1, ref seen));
        Assert.False(policy.AllowsRetry(2, Error(11600), ordinaryRetries: 1, ref seen));
        Assert.True(policy.AllowsRetry(50, Error(11600), ordinaryRetries: int.MaxValue, ref seen));
        Assert.False(seen);
    }

    [Fact]
    public void An_overload_error_caps_every_later_retry_at_maxAdaptiveRetries()
    {
        var (policy, _) = Recording(jitter: 1.0, maxRetries: 2);
        bool seen = false;

        // Under timeoutMS ordinary retries are unlimited, but once an attempt was shed, the cap holds even for other errors.
        Assert.True(policy.AllowsRetry(1, Overload(), ordinaryRetries: int.MaxValue, ref seen));
        Assert.True(seen);
        Assert.True(policy.AllowsRetry(2, Error(11600), ordinaryRetries: int.MaxValue, ref seen));
        Assert.False(policy.AllowsRetry(3, Error(11600), ordinaryRetries: int.MaxValue, ref seen));
        Assert.False(policy.AllowsRetry(3, Overload(), ordinaryRetries: int.MaxValue, ref seen));

        // Without timeoutMS an overload error raises the limit from 1 to maxAdaptiveRetries.
        seen = false;
        Assert.True(policy.AllowsRetry(2, Overload(), ordinaryRetries: 1, ref seen));
    }

    [Fact]
    public void maxAdaptiveRetries_zero_turns_overload_retries_off()
    {
        var (policy, _) = Recording(jitter: 1.0, maxRetries: 0);
        bool seen = false;
        Assert.False(policy.AllowsRetry(1, Overload(), ordinaryRetries: 1, ref seen));
        Assert.Throws<ArgumentOutOfRangeException>(() => new OverloadRetryPolicy(-1, retarget: false));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Only_overload_errors_wait_before_their_retry(bool async)
    {
        var (policy, waits) = Recording(jitter: 1.0);
        OperationContext operation = OperationContext.Start(null, CancellationToken.None);

        Assert.True(await policy.WaitBeforeRetryAsync(async, 1, Error(11600, null, ConnectionErrors.RetryableError), operation, CancellationToken.None));
        Assert.Empty(waits);

        Assert.True(await policy.WaitBeforeRetryAsync(async, 1, Overload(), operation, CancellationToken.None));
        Assert.True(await policy.WaitBeforeRetryAsync(async, 2, Overload(), operation, CancellationToken.None));
        Assert.Equal([TimeSpan.FromMilliseconds(200), TimeSpan.FromMilliseconds(400)], waits);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_backoff_that_would_outlast_timeoutMS_is_not_slept(bool async)
    {
        var (policy, waits) = Recording(jitter: 1.0);

        // 200 ms of backoff against a 50 ms budget: however slow the machine, the budget only shrinks.
        OperationContext operation = OperationContext.Start(TimeSpan.FromMilliseconds(50), CancellationToken.None);
        Assert.False(await policy.WaitBeforeRetryAsync(async, 1, Overload(), operation, CancellationToken.None));
        Assert.Empty(waits);

        // An infinite timeoutMS (0) never stops the wait.
        OperationContext infinite = OperationContext.Start(TimeSpan.Zero, CancellationToken.None);
        Assert.True(await policy.WaitBeforeRetryAsync(async, 1, Overload(), infinite, CancellationToken.None));
        Assert.Single(waits);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Cancellation_ends_the_backoff(bool async)
    {
        // The real sleep: a full backoff of up to 10 s that the cancelled token must cut short.
        var policy = new OverloadRetryPolicy(2, retarget: false, () => 1.0);
        OperationContext operation = OperationContext.Start(null, CancellationToken.None);
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
            await policy.WaitBeforeRetryAsync(async, 10, Overload(), operation, cancelled.Token));

        using var later = new CancellationTokenSource();
        ValueTask<bool> waiting = policy.WaitBeforeRetryAsync(async: true, 10, Overload(), operation, later.Token);
        later.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await waiting);
    }
}
