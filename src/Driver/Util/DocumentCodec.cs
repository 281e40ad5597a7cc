using System.Buffers.Binary;
using Mongo.Bson;

namespace Mongo.Driver.Util;

/// <summary>Encodes and decodes one document type through its registered serializer.</summary>
internal sealed class DocumentCodec<T>
{
    private readonly IBsonSerializer<T> _serializer;

    public DocumentCodec(BsonSerializerRegistry registry)
    {
        if (!registry.TryGet<T>(out var serializer))
        {
            throw new MongoClientException("No IBsonSerializer<" + typeof(T).Name + "> is registered; register one in the BsonSerializerRegistry passed in the settings.");
        }

        _serializer = serializer;
    }

    public IBsonSerializer<T> Serializer => _serializer;

    public byte[] Encode(T value)
    {
        if (value is BsonDocument document)
        {
            return document.ToBytes();
        }

        using var writer = new BsonWriter();
        _serializer.Serialize(writer, value);
        return writer.ToArray();
    }

    public T Decode(ReadOnlyMemory<byte> bson)
    {
        var reader = new BsonReader(bson);
        reader.Read();
        return _serializer.Deserialize(ref reader);
    }
}

/// <summary>Small helpers over encoded documents, without building a DOM.</summary>
internal static class BsonBytes
{
    /// <summary>Finds a top-level field and materialises only its value.</summary>
    public static bool TryGetValue(ReadOnlyMemory<byte> document, string name, out BsonValue value)
    {
        var reader = new BsonReader(document);
        reader.Read();
        while (reader.Read() && reader.TokenType != BsonTokenType.EndDocument)
        {
            if (reader.NameEquals(name))
            {
                value = ReadValue(ref reader);
                return true;
            }

            if (reader.TokenType is BsonTokenType.StartDocument or BsonTokenType.StartArray)
            {
                reader.Skip();
            }
        }

        value = BsonNull.Value;
        return false;
    }

    /// <summary>Finds a top-level embedded document and returns its bytes (a slice, not a copy).</summary>
    public static bool TryGetDocument(ReadOnlyMemory<byte> document, string name, out ReadOnlyMemory<byte> value)
    {
        var reader = new BsonReader(document);
        reader.Read();
        while (reader.Read() && reader.TokenType != BsonTokenType.EndDocument)
        {
            bool match = reader.NameEquals(name);
            if (reader.TokenType == BsonTokenType.StartDocument)
            {
                if (match)
                {
                    value = reader.GetRawDocumentMemory();
                    return true;
                }

                reader.Skip();
            }
            else if (reader.TokenType == BsonTokenType.StartArray)
            {
                reader.Skip();
            }
            else if (match)
            {
                break;
            }
        }

        value = default;
        return false;
    }

    public static BsonValue ReadValue(ref BsonReader reader) => reader.GetValue();

    /// <summary>Returns a copy of <paramref name="document"/> with an ObjectId element inserted first.</summary>
    public static byte[] PrependObjectId(ReadOnlySpan<byte> document, string name, ObjectId id)
    {
        int nameLength = System.Text.Encoding.UTF8.GetByteCount(name);
        int added = 1 + nameLength + 1 + 12;
        var result = new byte[document.Length + added];
        BinaryPrimitives.WriteInt32LittleEndian(result, result.Length);
        result[4] = (byte)BsonType.ObjectId;
        System.Text.Encoding.UTF8.GetBytes(name, result.AsSpan(5));
        result[5 + nameLength] = 0;
        id.WriteTo(result.AsSpan(6 + nameLength, 12));
        document[4..].CopyTo(result.AsSpan(4 + added));
        return result;
    }
}
