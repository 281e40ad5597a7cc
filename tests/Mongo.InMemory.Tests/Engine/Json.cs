using Mongo.Bson;
using Mongo.InMemory.Wire;
using O = MongoDB.Bson;

namespace Mongo.InMemory.Tests.Engine;

/// <summary>Builds our DOM from shell-style JSON via the official parser and the server's own BSON codec.</summary>
internal static class Json
{
    public static BsonDocument Doc(string json)
    {
        var bytes = O.BsonExtensionMethods.ToBson(O.BsonDocument.Parse(json));
        return BsonCodec.ReadDocument(bytes);
    }

    public static BsonArray Array(string json) => Doc("{a: " + json + "}")["a"].AsArray;

    public static BsonValue Value(string json) => Doc("{a: " + json + "}")["a"];
}
