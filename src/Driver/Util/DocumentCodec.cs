using System.Buffers.Binary;
using Mongo.Bson;
using Mongo.Bson.Serialization;

namespace Mongo.Driver.Util;

/// <summary>
/// Encodes and decodes one document type. The serializer is resolved once, in this order: a serializer registered
/// by hand in the registry (the <see cref="BsonDocument"/>/<see cref="RawBsonDocument"/> built-ins included), then
/// <c>resolver</c> (collection, database and client <c>SerializerContext</c>s, in that order), then the reflection
/// fallback when <see cref="BsonTypeInfoResolver.IsReflectionEnabledByDefault"/>; otherwise the error names the
/// missing <c>[BsonSerializable]</c>.
/// </summary>
internal sealed class DocumentCodec<T>
{
    private readonly IBsonSerializer<T> _serializer;

    // The id member GenerateId fills, found once: only settable ids of a class whose type can be generated.
    private readonly BsonMemberInfo? _generatedId;

    public DocumentCodec(BsonSerializerRegistry registry, IBsonTypeInfoResolver? resolver = null)
    {
        Resolver = BsonTypeInfoResolver.Combine(resolver, BsonTypeInfoResolver.Default);
        if (registry.TryGet<T>(out var serializer))
        {
            _serializer = serializer;
            return;
        }

        TypeInfo = Resolver.GetTypeInfo(typeof(T)) as BsonTypeInfo<T> ?? throw BsonTypeInfoResolver.NoTypeInfo(typeof(T));
        _serializer = TypeInfo.Serializer;
        if (!typeof(T).IsValueType && TypeInfo.IdMember is { CanSet: true } id && IsGeneratable(id))
        {
            _generatedId = id;
        }
    }

    private static bool IsGeneratable(BsonMemberInfo id) =>
        id.MemberType == typeof(ObjectId) || id.MemberType == typeof(ObjectId?) || id.MemberType == typeof(Guid) || id.MemberType == typeof(Guid?)
        || (id.MemberType == typeof(string) && id.Representation == BsonType.ObjectId);

    public IBsonSerializer<T> Serializer => _serializer;

    /// <summary>The chain typed builders resolve member names against (contexts, then the default resolution).</summary>
    public IBsonTypeInfoResolver Resolver { get; }

    /// <summary>The model, when the serializer came from a resolver rather than the registry.</summary>
    public BsonTypeInfo<T>? TypeInfo { get; }

    /// <summary>
    /// Rule 14, as the official driver does on insert: an id member that is an ObjectId, a Guid or a string stored as an
    /// ObjectId and still default/null/empty gets a new value, set back on the object (classes only; a struct is a copy).
    /// </summary>
    public void GenerateId(T value)
    {
        if (_generatedId is not { } id || value is null)
        {
            return;
        }

        object? current = id.GetValue(value);
        object? generated = id.MemberType switch
        {
            Type t when t == typeof(ObjectId) && (ObjectId)current! == default => ObjectId.GenerateNewId(),
            Type t when t == typeof(ObjectId?) && current is null => ObjectId.GenerateNewId(),
            Type t when t == typeof(Guid) && (Guid)current! == Guid.Empty => Guid.NewGuid(),
            Type t when t == typeof(Guid?) && current is null => Guid.NewGuid(),
            Type t when t == typeof(string) && id.Representation == BsonType.ObjectId && string.IsNullOrEmpty((string?)current) => ObjectId.GenerateNewId().ToString(),
            _ => null,
        };
        if (generated is not null)
        {
            id.SetValue(value, generated);
        }
    }

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

    /// <summary>
    /// Whether <see cref="DecodeCopying"/> may read batches that stay in a pooled reply buffer: true for serializers
    /// from a resolver (generated or reflection-built) and for the built-in <see cref="BsonDocument"/> one, whose
    /// results hold no reference to the bytes they were read from (a decoded document keeps a private copy of what
    /// it leaves encoded). Other registry serializers (RawBsonDocument, a user's own) may keep slices, so their
    /// replies are not leased: a large one is handed over in the array it was received in.
    /// </summary>
    /// <remarks>
    /// Leasing matters for large untyped reads too: a reply buffer handed over is lost to the pool, so every large
    /// reply would allocate a new multi-megabyte array (and the collections of the large object heap that follow).
    /// </remarks>
    public bool CanDecodeLeased => TypeInfo is not null || _serializer is BsonDocumentSerializer;

    /// <summary>
    /// Decodes through a span reader, so nothing read can alias the bytes: embedded raw documents are copied and a
    /// serializer asking for the reader's memory is refused. For replies in a pooled buffer (<see cref="CanDecodeLeased"/>).
    /// </summary>
    public T DecodeCopying(ReadOnlySpan<byte> bson)
    {
        var reader = new BsonReader(bson);
        reader.Read();
        return _serializer.Deserialize(ref reader);
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
