using Mongo.Bson;
using Mongo.Driver.Operations;
using Xunit;

namespace Mongo.Driver.Tests.Api;

/// <summary>
/// Each public call hands the executor an operation whose type declares how it runs: whether it writes, how it may be
/// retried (retryable reads/writes specs), whether it opens a cursor that keeps its session, and where it must run.
/// A call built with the wrong kind (a retryable DDL, a retried runCommand, a getMore that may go anywhere) fails here.
/// </summary>
public sealed class OperationDeclarationTests
{
    [Fact]
    public void Each_public_call_builds_the_operation_kind_its_command_needs()
    {
        var fake = new FakeExecutor
        {
            Otherwise = m => m.CommandName switch
            {
                "find" => FakeExecutor.CursorReply(42, "test.c", [new BsonDocument("_id", 1)]),
                "getMore" => FakeExecutor.CursorReply(0, "test.c", [], first: false),
                "aggregate" or "listIndexes" or "listCollections" => FakeExecutor.CursorReply(0, "test.c", []),
                "distinct" => new BsonDocument { { "values", new BsonArray() }, { "ok", 1.0 } },
                _ => new BsonDocument { { "n", 1 }, { "ok", 1.0 } },
            },
        };
        MongoClient client = FakeExecutor.Client(fake);
        MongoDatabase database = client.GetDatabase("test");
        MongoCollection<BsonDocument> collection = database.GetCollection("c");

        collection.InsertOne(new BsonDocument("x", 1));
        collection.UpdateMany(FilterDefinition.Empty, new BsonDocument("$set", new BsonDocument("y", 1)));
        collection.FindOneAndUpdate(FilterDefinition.Empty, new BsonDocument("$set", new BsonDocument("y", 2)));
        Assert.Single(collection.Find(FilterDefinition.Empty).ToList());
        collection.EstimatedDocumentCount();
        collection.Distinct("x");
        collection.Aggregate([new BsonDocument("$out", "o")]).ToList();
        collection.ListIndexes();
        collection.DropIndex("x_1");
        database.CreateCollection("d");
        database.RunCommand(new BsonDocument("ping", 1));
        database.RunCommand(new BsonDocument("buildInfo", 1), ReadPreference.Secondary);

        var expected = new (string Command, Type Kind, bool IsWrite, RetryKind Retry, bool KeepSession)[]
        {
            ("insert", typeof(WriteCommand), true, RetryKind.Write, true),
            ("update", typeof(WriteCommand), true, RetryKind.None, true), // a multi update is never retried
            ("findAndModify", typeof(WriteCommand), true, RetryKind.Write, false),
            ("find", typeof(ReadCommand), false, RetryKind.Read, true),
            ("getMore", typeof(CursorCommand), false, RetryKind.None, false),
            ("count", typeof(ReadCommand), false, RetryKind.Read, false),
            ("distinct", typeof(ReadCommand), false, RetryKind.Read, false),
            ("aggregate", typeof(WriteStageAggregateCommand), true, RetryKind.None, true),
            ("listIndexes", typeof(ReadCommand), false, RetryKind.Read, true),
            ("dropIndexes", typeof(WriteCommand), true, RetryKind.None, false),
            ("create", typeof(WriteCommand), true, RetryKind.None, false),
            ("ping", typeof(RunCommand), true, RetryKind.None, false),
            ("buildInfo", typeof(RunCommand), false, RetryKind.None, false),
        };
        Assert.Equal(expected.Select(e => e.Command), fake.Sent.Select(m => m.CommandName));
        for (int i = 0; i < expected.Length; i++)
        {
            CommandOperation sent = fake.Sent[i];
            Assert.True(expected[i] == (sent.CommandName, sent.GetType(), sent.IsWrite, sent.Retry, sent.KeepSession),
                $"{sent.CommandName}: expected {expected[i]}, got {(sent.GetType().Name, sent.IsWrite, sent.Retry, sent.KeepSession)}");
        }

        // The getMore runs where its cursor lives; the write-stage aggregate keeps the rules of a $out stage.
        Assert.Equal(fake.Server, fake.Sent[4].PinnedServer);
        Assert.True(fake.Sent[7].HasWriteStage);
    }

    [Fact]
    public void Unacknowledged_writes_declare_moreToCome_and_acknowledged_ones_do_not()
    {
        var fake = new FakeExecutor();
        MongoCollection<BsonDocument> collection = FakeExecutor.Client(fake).GetDatabase("test").GetCollection("c");

        collection.InsertOne(new BsonDocument("x", 1));
        collection.WithWriteConcern(WriteConcern.Unacknowledged).InsertOne(new BsonDocument("x", 2));

        Assert.False(fake.Sent[0].MoreToCome);
        Assert.True(fake.Sent[1].MoreToCome);
        Assert.All(fake.Sent, m => Assert.IsType<WriteCommand>(m));
    }
}
