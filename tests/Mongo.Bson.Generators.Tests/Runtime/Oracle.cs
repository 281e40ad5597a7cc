using MongoDB.Bson;
using MongoDB.Bson.Serialization.Conventions;
using MongoDB.Bson.Serialization.Serializers;
using OfficialSerializer = MongoDB.Bson.Serialization.BsonSerializer;
using SerializationArgs = MongoDB.Bson.Serialization.BsonSerializationArgs;

namespace Mongo.Bson.Generators.Tests.Runtime;

/// <summary>The official serializer, configured once to this project's conventions (shared model, rule 7).</summary>
internal static class Oracle
{
    private static readonly object Gate = new();
    private static bool s_configured;

    /// <summary>
    /// What the official driver stores on insert: <c>ToBson</c> with <see cref="SerializationArgs.SerializeIdFirst"/>, so
    /// a root document starts with <c>_id</c> (then <c>_t</c>); embedded documents keep declaration order with <c>_t</c>
    /// first. Both of our paths (generated and reflection) write this.
    /// </summary>
    public static byte[] ToBson<T>(T value)
    {
        Configure();
        return value.ToBson(args: new SerializationArgs { NominalType = typeof(T), SerializeIdFirst = true });
    }

    public static T FromBson<T>(byte[] bytes)
    {
        Configure();
        return OfficialSerializer.Deserialize<T>(bytes);
    }

    private static void Configure()
    {
        lock (Gate)
        {
            if (s_configured)
            {
                return;
            }

            OfficialSerializer.TryRegisterSerializer(new GuidSerializer(MongoDB.Bson.GuidRepresentation.Standard));
            OfficialSerializer.TryRegisterSerializer(new DecimalSerializer(MongoDB.Bson.BsonType.Decimal128));
            var camel = new ConventionPack { new CamelCaseElementNameConvention(), new IgnoreExtraElementsConvention(true) };
            ConventionRegistry.Register("camel twins", camel, t => t.Namespace?.EndsWith(".CamelTwins", StringComparison.Ordinal) == true);
            ConventionRegistry.Register("twins ignore extra", new ConventionPack { new IgnoreExtraElementsConvention(true) }, t => t.Namespace?.EndsWith(".Twins", StringComparison.Ordinal) == true);
            s_configured = true;
        }
    }
}
