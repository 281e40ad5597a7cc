using Mongo.Bson;
using Mongo.Driver.Connections;
using Mongo.Driver.Operations;
using Xunit;

namespace Mongo.Driver.Tests.Api;

/// <summary>timeoutMS levels, inheritance and the checks made before anything is sent (client-side operations timeout spec).</summary>
public sealed class OperationTimeoutTests
{
    // Nothing listens here: every test fails or succeeds before a command would be sent.
    private static MongoClient Client(string options = "") => new("mongodb://127.0.0.1:1/?serverSelectionTimeoutMS=100" + options);

    [Fact]
    public async Task Handles_inherit_timeoutMS_and_override_it()
    {
        await using var client = Client("&timeoutMS=5000");
        var database = client.GetDatabase("db");
        var collection = database.GetCollection("c");
        Assert.Equal(TimeSpan.FromSeconds(5), database.Timeout);
        Assert.Equal(TimeSpan.FromSeconds(5), collection.Timeout);

        var shorter = database.WithTimeout(TimeSpan.FromMilliseconds(200));
        Assert.Equal(TimeSpan.FromMilliseconds(200), shorter.GetCollection("c").Timeout);
        Assert.Equal(TimeSpan.FromMilliseconds(200), shorter.WithReadConcern(ReadConcern.Majority).Timeout);

        // Zero means "no limit", still under timeoutMS rules (it cannot go back to unset).
        var unlimited = collection.WithTimeout(TimeSpan.Zero);
        Assert.Equal(Timeout.InfiniteTimeSpan, unlimited.Timeout);
        Assert.Equal(Timeout.InfiniteTimeSpan, unlimited.WithWriteConcern(WriteConcern.Acknowledged).Timeout);
        Assert.Equal(TimeSpan.FromSeconds(1), database.GetCollection("d", new MongoCollectionSettings { Timeout = TimeSpan.FromSeconds(1) }).Timeout);
    }

    [Fact]
    public async Task No_timeoutMS_anywhere_is_null()
    {
        await using var client = Client();
        Assert.Null(client.GetDatabase("db").GetCollection("c").Timeout);
    }

    [Fact]
    public async Task A_negative_timeout_is_refused()
    {
        await using var client = Client();
        Assert.Throws<ArgumentOutOfRangeException>(() => client.GetDatabase("db").WithTimeout(TimeSpan.FromMilliseconds(-5)));
        Assert.Throws<ArgumentOutOfRangeException>(() => client.GetDatabase("db").GetCollection("c").WithTimeout(TimeSpan.FromMilliseconds(-5)));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_timeout_mode_without_timeoutMS_is_refused_before_sending(bool async)
    {
        await using var client = Client();
        var collection = client.GetDatabase("db").GetCollection("c");
        var options = new FindOptions { TimeoutMode = CursorTimeoutMode.Iteration };
        var error = async
            ? await Assert.ThrowsAsync<MongoClientException>(() => collection.Find(FilterDefinition.Empty, options).ToListAsync())
            : Assert.Throws<MongoClientException>(() => collection.Find(FilterDefinition.Empty, options).ToList());
        Assert.Contains("timeoutMS", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cursor_rules_are_checked_before_sending()
    {
        await using var client = Client("&timeoutMS=100");
        var collection = client.GetDatabase("db").GetCollection("c");
        Assert.Throws<MongoClientException>(() => collection.Find(FilterDefinition.Empty,
            new FindOptions { CursorType = CursorType.TailableAwait, TimeoutMode = CursorTimeoutMode.CursorLifetime }).ToList());
        Assert.Throws<MongoClientException>(() => collection.Find(FilterDefinition.Empty,
            new FindOptions { CursorType = CursorType.TailableAwait, MaxAwaitTime = TimeSpan.FromMilliseconds(100) }).ToList());
        Assert.Throws<MongoClientException>(() => collection.Aggregate([new BsonDocument("$out", "other")],
            new AggregateOptions { TimeoutMode = CursorTimeoutMode.Iteration }));
    }

    [Fact]
    public async Task Server_selection_running_out_of_timeoutMS_is_the_timeout_error_with_its_cause()
    {
        // serverSelectionTimeoutMS (100 ms) is the shorter: the selection error is the cause, the type is the timeout error.
        await using var client = Client("&timeoutMS=5000");
        var error = Assert.Throws<MongoOperationTimeoutException>(() => client.GetDatabase("db").GetCollection("c").InsertOne(new BsonDocument()));
        var cause = Assert.IsAssignableFrom<MongoTimeoutException>(error.InnerException);
        Assert.Contains(cause.Message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_timeoutMS_deadline_stays_one_through_Min()
    {
        Deadline csot = Deadline.ForTimeoutMS(TimeSpan.FromSeconds(10));
        Assert.True(csot.IsTimeoutMS);
        Assert.True(csot.Min(Deadline.After(TimeSpan.FromSeconds(1))).IsTimeoutMS);
        Assert.False(Deadline.After(TimeSpan.FromSeconds(1)).IsTimeoutMS);
        Assert.True(Deadline.ForTimeoutMS(Timeout.InfiniteTimeSpan).IsInfinite);
    }

    [Fact]
    public void A_call_shares_its_deadline_and_iteration_restarts_it()
    {
        var call = OperationContext.Start(TimeSpan.FromMilliseconds(50), CancellationToken.None);
        var batch = call.With(CancellationToken.None, omitMaxTime: true);
        Assert.Equal(call.Deadline, batch.Deadline);
        Assert.True(batch.OmitMaxTime);
        Thread.Sleep(80);
        Assert.True(batch.IsExpired);
        Assert.Throws<MongoOperationTimeoutException>(() => call.ThrowIfExpired("in a test"));
        Assert.Equal(call.Timeout, call.Restart(CancellationToken.None, omitMaxTime: false).Timeout);
        Assert.False(OperationContext.Start(TimeSpan.FromMinutes(10), CancellationToken.None).IsExpired);
        Assert.False(OperationContext.Start(null, CancellationToken.None).IsExpired);
    }
}
