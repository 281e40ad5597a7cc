using Mongo.Bson.Serialization;
using Xunit;

namespace Mongo.Bson.Generators.Tests.Runtime;

/// <summary>Writes and reads through a generated model, and compares documents readably.</summary>
internal static class Bytes
{
    public static byte[] Write<T>(BsonTypeInfo<T> info, T value)
    {
        using var writer = new BsonWriter();
        info.Serializer.Serialize(writer, value);
        return writer.ToArray();
    }

    public static T Read<T>(BsonTypeInfo<T> info, byte[] bytes)
    {
        var reader = new BsonReader(bytes);
        Assert.True(reader.Read());
        return info.Serializer.Deserialize(ref reader);
    }

    /// <summary>Equal bytes; on failure the message shows both documents as JSON.</summary>
    public static void Same(byte[] expected, byte[] actual)
    {
        if (!expected.AsSpan().SequenceEqual(actual))
        {
            Assert.Fail($"Different bytes.\nexpected: {Json(expected)}\nactual:   {Json(actual)}\nexpected: {Convert.ToHexString(expected)}\nactual:   {Convert.ToHexString(actual)}");
        }
    }

    public static string Json(byte[] bytes) => BsonDocument.FromBytes(bytes).ToJson(ExtendedJsonMode.Canonical);
}
