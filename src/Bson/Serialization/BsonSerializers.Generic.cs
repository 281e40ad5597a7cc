using System.Collections.Immutable;

namespace Mongo.Bson.Serialization;

public static partial class BsonSerializers
{
    /// <summary><see cref="Nullable{T}"/>: no value as BSON null, otherwise as <paramref name="inner"/> writes it.</summary>
    public static IBsonSerializer<T?> Nullable<T>(IBsonSerializer<T> inner)
        where T : struct
    {
        ArgumentNullException.ThrowIfNull(inner);
        return new NullableSerializer<T>(inner);
    }

    /// <summary>
    /// An enum as its underlying integer (Int32; Int64 for <see cref="long"/>, <see cref="ulong"/> and <see cref="uint"/>
    /// bases) or as its name (<see cref="BsonEnumRepresentation.String"/>). Reading accepts both.
    /// </summary>
    public static IBsonSerializer<TEnum> Enum<TEnum>(BsonEnumRepresentation representation = BsonEnumRepresentation.Integer)
        where TEnum : struct, Enum =>
        new EnumSerializer<TEnum>(representation == BsonEnumRepresentation.String ? BsonType.String : BsonType.EndOfDocument);

    /// <summary>
    /// Any sequence as a BSON array: <typeparamref name="TCollection"/> is written by enumerating it (arrays and lists
    /// without an enumerator) and read by collecting the items into a list of the exact size and calling
    /// <paramref name="create"/> (e.g. <c>l =&gt; l</c> for <c>List&lt;T&gt;</c>/<c>IList&lt;T&gt;</c>,
    /// <c>l =&gt; new HashSet&lt;T&gt;(l)</c>, <c>l =&gt; l.ToImmutableArray()</c>). Null is BSON null.
    /// </summary>
    public static IBsonSerializer<TCollection> Collection<TCollection, TItem>(IBsonSerializer<TItem> item, Func<List<TItem>, TCollection> create)
        where TCollection : IEnumerable<TItem>
    {
        ArgumentNullException.ThrowIfNull(item);
        ArgumentNullException.ThrowIfNull(create);
        return new CollectionSerializer<TCollection, TItem>(item, create);
    }

    /// <summary><c>T[]</c> as a BSON array.</summary>
    public static IBsonSerializer<T[]> Array<T>(IBsonSerializer<T> item)
    {
        ArgumentNullException.ThrowIfNull(item);
        return new ArraySerializer<T>(item);
    }

    /// <summary><see cref="List{T}"/> as a BSON array.</summary>
    public static IBsonSerializer<List<T>> List<T>(IBsonSerializer<T> item) => Collection<List<T>, T>(item, static l => l);

    /// <summary><see cref="ImmutableArray{T}"/> as a BSON array (a default array is written as an empty one).</summary>
    public static IBsonSerializer<ImmutableArray<T>> ImmutableArray<T>(IBsonSerializer<T> item) =>
        new ImmutableArraySerializer<T>(Collection<ImmutableArray<T>, T>(item, static l => [.. l]));

    /// <summary>
    /// A string-keyed dictionary as a BSON document (keys are element names). Reading fills a
    /// <see cref="Dictionary{TKey,TValue}"/> and calls <paramref name="create"/> (e.g. <c>d =&gt; d</c>,
    /// <c>d =&gt; d.ToImmutableDictionary()</c>).
    /// </summary>
    public static IBsonSerializer<TDictionary> Dictionary<TDictionary, TValue>(IBsonSerializer<TValue> value, Func<Dictionary<string, TValue>, TDictionary> create)
        where TDictionary : IEnumerable<KeyValuePair<string, TValue>>
    {
        ArgumentNullException.ThrowIfNull(value);
        ArgumentNullException.ThrowIfNull(create);
        return new DictionarySerializer<TDictionary, TValue>(value, create);
    }

    /// <summary>
    /// <typeparamref name="T"/> stored as <paramref name="representation"/> (what <see cref="BsonRepresentationAttribute"/>
    /// asks for): ObjectId as String, a string holding an ObjectId as ObjectId, an enum as Int32/Int64/String, decimal as
    /// Decimal128/Double/String/Int32/Int64, Guid as String, int/long/double as one another, String or Decimal128; the
    /// type's own default representation gives its default serializer.
    /// </summary>
    /// <exception cref="ArgumentException">The combination is not supported; the message names it.</exception>
    public static IBsonSerializer<T> WithRepresentation<T>(BsonType representation) => RepresentationSerializers.Create<T>(representation);
}

/// <summary>Guards the default (uninitialised) <see cref="ImmutableArray{T}"/>, which cannot be enumerated.</summary>
internal sealed class ImmutableArraySerializer<T>(IBsonSerializer<ImmutableArray<T>> inner) : IBsonSerializer<ImmutableArray<T>>
{
    public void Serialize(BsonWriter writer, ImmutableArray<T> value) => inner.Serialize(writer, value.IsDefault ? [] : value);

    public ImmutableArray<T> Deserialize(ref BsonReader reader) => inner.Deserialize(ref reader);
}
