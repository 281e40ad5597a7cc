using Mongo.Benchmarks.Compare;
using Mongo.Benchmarks.Driver;
using Mongo.Bson;
using Mongo.Bson.Serialization;
using OIO = MongoDB.Bson.IO;
using OSer = MongoDB.Bson.Serialization;
using Official = Mongo.Benchmarks.Poco.Official;

namespace Mongo.Benchmarks.Poco;

/// <summary>
/// Typed documents: tweet.json and small_doc.json decoded into and encoded from C# classes, through our generated
/// context, our reflection fallback and the official class-map serializer.
/// </summary>
internal static class PocoCompareTasks
{
    public static IEnumerable<CompareTask> Create()
    {
        byte[] tweet = DriverDataSets.Load("tweet");
        byte[] small = DriverDataSets.Load("small_doc");

        foreach (var task in Tasks("tweet", tweet, BenchBson.Default.Tweet))
        {
            yield return task;
        }

        foreach (var task in Tasks<SmallDoc, Official.SmallDoc>("small", small, BenchBson.Default.SmallDoc))
        {
            yield return task;
        }

        yield return GraphFloor.Create();

#pragma warning disable IL2026, IL3050 // the reflection fallback is measured on purpose
        IBsonSerializer<Tweet> reflected = BsonTypeInfoResolver.Reflection().GetTypeInfo(typeof(Tweet)) is BsonTypeInfo<Tweet> info
            ? info.Serializer
            : throw new InvalidOperationException("The reflection resolver has no model of Tweet.");
#pragma warning restore IL2026, IL3050
        yield return new CompareTask("poco_decode_tweet_reflection", tweet.Length,
            () => Decode(tweet, reflected),
            () => OSer.BsonSerializer.Deserialize<Official.Tweet>(tweet));

        var reflectedValue = Decode(tweet, reflected);
        var writer = new BsonWriter();
        var officialValue = OSer.BsonSerializer.Deserialize<Official.Tweet>(tweet);
        var officialBuffer = new MemoryStream(tweet.Length * 2);
        yield return new CompareTask("poco_encode_tweet_reflection", tweet.Length,
            () =>
            {
                writer.Reset();
                reflected.Serialize(writer, reflectedValue);
            },
            () => EncodeOfficial(officialBuffer, officialValue));
    }

    private static IEnumerable<CompareTask> Tasks(string name, byte[] bytes, BsonTypeInfo<Tweet> info) =>
        Tasks<Tweet, Official.Tweet>(name, bytes, info);

    private static IEnumerable<CompareTask> Tasks<TOurs, TOfficial>(string name, byte[] bytes, BsonTypeInfo<TOurs> info)
    {
        IBsonSerializer<TOurs> serializer = info.Serializer;
        yield return new CompareTask($"poco_decode_{name}", bytes.Length,
            () => Decode(bytes, serializer),
            () => OSer.BsonSerializer.Deserialize<TOfficial>(bytes));

        TOurs ours = Decode(bytes, serializer);
        TOfficial official = OSer.BsonSerializer.Deserialize<TOfficial>(bytes);
        var writer = new BsonWriter();
        var officialBuffer = new MemoryStream(bytes.Length * 2);
        yield return new CompareTask($"poco_encode_{name}", bytes.Length,
            () =>
            {
                writer.Reset();
                serializer.Serialize(writer, ours);
            },
            () => EncodeOfficial(officialBuffer, official));
    }

    private static T Decode<T>(byte[] bytes, IBsonSerializer<T> serializer)
    {
        var reader = new BsonReader(bytes);
        reader.Read();
        return serializer.Deserialize(ref reader);
    }

    private static void EncodeOfficial<T>(MemoryStream buffer, T value)
    {
        buffer.Position = 0;
        buffer.SetLength(0);
        using var w = new OIO.BsonBinaryWriter(buffer);
        OSer.BsonSerializer.Serialize(w, value);
    }
}
