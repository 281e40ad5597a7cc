using MongoDB.Bson.IO;
using MongoDB.Bson.Serialization;
using MongoDB.Bson.Serialization.Conventions;
using MongoDB.Bson.Serialization.Serializers;
using OB = MongoDB.Bson;
using OS = MongoDB.Bson.Serialization;

namespace Mongo.Bson.Tests.Typed;

/// <summary>
/// The official MongoDB.Bson 3.14 class-map serializer, configured to our conventions: Guid as standard subtype 4,
/// decimal as Decimal128, camelCase for <see cref="CamelPoco"/>, and bridges for our own ObjectId/BsonDocument/BsonValue
/// types (written as the official driver writes its own).
/// </summary>
internal static class OfficialOracle
{
    private static readonly object Gate = new();
    private static bool _configured;

    public static void Configure()
    {
        lock (Gate)
        {
            if (_configured)
            {
                return;
            }

            OS.BsonSerializer.TryRegisterSerializer(new GuidSerializer(OB.GuidRepresentation.Standard));
            OS.BsonSerializer.TryRegisterSerializer(new DecimalSerializer(OB.BsonType.Decimal128));
            OS.BsonSerializer.TryRegisterSerializer(new ObjectIdBridge());
            OS.BsonSerializer.TryRegisterSerializer(new DocumentBridge());
            OS.BsonSerializer.TryRegisterSerializer(new ValueBridge());
            ConventionRegistry.Register("typed-camel", new ConventionPack { new CamelCaseElementNameConvention() }, t => t == typeof(CamelPoco) || t == typeof(CamelAddress));
            _configured = true;
        }
    }

    /// <summary>What the official driver writes (id first, as its insert path does).</summary>
    public static byte[] Serialize<T>(T value)
    {
        Configure();
        using var stream = new MemoryStream();
        using (var writer = new BsonBinaryWriter(stream))
        {
            var context = BsonSerializationContext.CreateRoot(writer);
            OS.BsonSerializer.LookupSerializer<T>().Serialize(context, new BsonSerializationArgs(typeof(T), false, true), value);
        }

        return stream.ToArray();
    }

    /// <summary>What <c>value.ToBson()</c> writes (no id-first request).</summary>
    public static byte[] ToBson<T>(T value)
    {
        Configure();
        return OB.BsonExtensionMethods.ToBson(value);
    }

    public static T Deserialize<T>(byte[] bson)
    {
        Configure();
        return OS.BsonSerializer.Deserialize<T>(bson);
    }

    private sealed class ObjectIdBridge(OB.BsonType representation = OB.BsonType.ObjectId)
        : SerializerBase<ObjectId>, IRepresentationConfigurable<ObjectIdBridge>
    {
        public OB.BsonType Representation => representation;

        public override void Serialize(BsonSerializationContext context, BsonSerializationArgs args, ObjectId value) =>
            new ObjectIdSerializer(representation).Serialize(context, args, new OB.ObjectId(value.ToByteArray()));

        public override ObjectId Deserialize(BsonDeserializationContext context, BsonDeserializationArgs args) =>
            new(new ObjectIdSerializer(representation).Deserialize(context, args).ToByteArray());

        public ObjectIdBridge WithRepresentation(OB.BsonType value) => new(value);

        IBsonSerializer IRepresentationConfigurable.WithRepresentation(OB.BsonType value) => WithRepresentation(value);
    }

    private sealed class DocumentBridge : SerializerBase<BsonDocument>
    {
        public override void Serialize(BsonSerializationContext context, BsonSerializationArgs args, BsonDocument value)
        {
            if (value is null)
            {
                context.Writer.WriteNull();
                return;
            }

            BsonDocumentSerializer.Instance.Serialize(context, OS.BsonSerializer.Deserialize<OB.BsonDocument>(value.ToBytes()));
        }

        public override BsonDocument Deserialize(BsonDeserializationContext context, BsonDeserializationArgs args)
        {
            if (context.Reader.CurrentBsonType == OB.BsonType.Null)
            {
                context.Reader.ReadNull();
                return null!;
            }

            return BsonDocument.FromBytes(OB.BsonExtensionMethods.ToBson(BsonDocumentSerializer.Instance.Deserialize(context)));
        }
    }

    private sealed class ValueBridge : SerializerBase<BsonValue>
    {
        public override void Serialize(BsonSerializationContext context, BsonSerializationArgs args, BsonValue value)
        {
            byte[] wrapped = new BsonDocument("v", value ?? BsonNull.Value).ToBytes();
            BsonValueSerializer.Instance.Serialize(context, OS.BsonSerializer.Deserialize<OB.BsonDocument>(wrapped)["v"]);
        }

        public override BsonValue Deserialize(BsonDeserializationContext context, BsonDeserializationArgs args)
        {
            OB.BsonValue value = BsonValueSerializer.Instance.Deserialize(context);
            return BsonDocument.FromBytes(OB.BsonExtensionMethods.ToBson(new OB.BsonDocument("v", value)))["v"];
        }
    }
}
