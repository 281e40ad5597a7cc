using System.Runtime.CompilerServices;
using System.Buffers;
using System.Runtime.InteropServices;

namespace Mongo.Bson.Serialization;

/// <summary>
/// Any sequence stored as a BSON array. Items are read into a pooled buffer and the collection is built once from a
/// list of the exact size, so reading costs the result and nothing per item. <c>null</c> is written and read as BSON null.
/// </summary>
internal sealed class CollectionSerializer<TCollection, TItem>(IBsonSerializer<TItem> item, Func<List<TItem>, TCollection> create)
    : IBsonSerializer<TCollection>
    where TCollection : IEnumerable<TItem>
{
    public void Serialize(BsonWriter writer, TCollection value)
    {
        if (value is null)
        {
            writer.WriteNull();
            return;
        }

        writer.WriteStartArray();
        switch (value)
        {
            case TItem[] array:
                WriteSpan(writer, array);
                break;
            case List<TItem> list:
                WriteSpan(writer, CollectionsMarshal.AsSpan(list));
                break;
            default:
                foreach (TItem entry in value)
                {
                    item.Serialize(writer, entry);
                }

                break;
        }

        writer.WriteEndArray();
    }

    public TCollection Deserialize(ref BsonReader reader)
    {
        if (SerializerHelpers.IsNull(ref reader))
        {
            return default!;
        }

        if (reader.TokenType != BsonTokenType.StartArray)
        {
            throw BuiltInSerializers.Mismatch(ref reader, typeof(TCollection).Name + " (array)");
        }

        TItem[] buffer = ArrayPool<TItem>.Shared.Rent(16);
        int count = 0;
        try
        {
            while (reader.Read() && reader.TokenType != BsonTokenType.EndArray)
            {
                if (count == buffer.Length)
                {
                    TItem[] grown = ArrayPool<TItem>.Shared.Rent(count * 2);
                    buffer.AsSpan(0, count).CopyTo(grown);
                    Return(buffer, count);
                    buffer = grown;
                }

                buffer[count++] = item.Deserialize(ref reader);
            }

            var list = new List<TItem>(count);
            list.AddRange(buffer.AsSpan(0, count));
            return create(list);
        }
        finally
        {
            Return(buffer, count);
        }
    }

    private void WriteSpan(BsonWriter writer, ReadOnlySpan<TItem> items)
    {
        foreach (TItem entry in items)
        {
            item.Serialize(writer, entry);
        }
    }

    internal static void Return(TItem[] buffer, int count)
    {
        // Clear references so the pool does not keep user objects alive.
        if (RuntimeHelpers.IsReferenceOrContainsReferences<TItem>())
        {
            buffer.AsSpan(0, count).Clear();
        }

        ArrayPool<TItem>.Shared.Return(buffer);
    }
}

/// <summary><c>T[]</c> as a BSON array, built straight from the pooled buffer (no intermediate list).</summary>
internal sealed class ArraySerializer<TItem>(IBsonSerializer<TItem> item) : IBsonSerializer<TItem[]>
{
    private readonly CollectionSerializer<TItem[], TItem> _inner = new(item, static list => [.. list]);

    public void Serialize(BsonWriter writer, TItem[] value) => _inner.Serialize(writer, value);

    public TItem[] Deserialize(ref BsonReader reader)
    {
        if (SerializerHelpers.IsNull(ref reader) || reader.TokenType != BsonTokenType.StartArray)
        {
            return _inner.Deserialize(ref reader);
        }

        TItem[] buffer = ArrayPool<TItem>.Shared.Rent(16);
        int count = 0;
        try
        {
            while (reader.Read() && reader.TokenType != BsonTokenType.EndArray)
            {
                if (count == buffer.Length)
                {
                    TItem[] grown = ArrayPool<TItem>.Shared.Rent(count * 2);
                    buffer.AsSpan(0, count).CopyTo(grown);
                    CollectionSerializer<TItem[], TItem>.Return(buffer, count);
                    buffer = grown;
                }

                buffer[count++] = item.Deserialize(ref reader);
            }

            return buffer.AsSpan(0, count).ToArray();
        }
        finally
        {
            CollectionSerializer<TItem[], TItem>.Return(buffer, count);
        }
    }
}

/// <summary>
/// String-keyed dictionaries as BSON documents (key = element name). Reading builds a
/// <see cref="Dictionary{TKey,TValue}"/> and hands it to <c>create</c>; duplicate names: the last one wins.
/// </summary>
internal sealed class DictionarySerializer<TDictionary, TValue>(IBsonSerializer<TValue> value, Func<Dictionary<string, TValue>, TDictionary> create)
    : IBsonSerializer<TDictionary>
    where TDictionary : IEnumerable<KeyValuePair<string, TValue>>
{
    public void Serialize(BsonWriter writer, TDictionary dictionary)
    {
        if (dictionary is null)
        {
            writer.WriteNull();
            return;
        }

        writer.WriteStartDocument();
        if (dictionary is Dictionary<string, TValue> concrete)
        {
            // The struct enumerator: no allocation for the common case.
            foreach (KeyValuePair<string, TValue> pair in concrete)
            {
                writer.WriteName(pair.Key);
                value.Serialize(writer, pair.Value);
            }
        }
        else
        {
            foreach (KeyValuePair<string, TValue> pair in dictionary)
            {
                writer.WriteName(pair.Key);
                value.Serialize(writer, pair.Value);
            }
        }

        writer.WriteEndDocument();
    }

    public TDictionary Deserialize(ref BsonReader reader)
    {
        if (SerializerHelpers.IsNull(ref reader))
        {
            return default!;
        }

        if (reader.TokenType != BsonTokenType.StartDocument)
        {
            throw BuiltInSerializers.Mismatch(ref reader, typeof(TDictionary).Name + " (document)");
        }

        var result = new Dictionary<string, TValue>(StringComparer.Ordinal);
        while (reader.Read() && reader.TokenType != BsonTokenType.EndDocument)
        {
            string key = reader.GetName();
            result[key] = value.Deserialize(ref reader);
        }

        return create(result);
    }
}
