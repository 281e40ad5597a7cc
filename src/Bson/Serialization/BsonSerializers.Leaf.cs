namespace Mongo.Bson.Serialization;

public static partial class BsonSerializers
{
    /// <summary><see cref="short"/> as Int32.</summary>
    public static IBsonSerializer<short> Int16 => NarrowNumberSerializers.Instance;

    /// <summary><see cref="byte"/> as Int32.</summary>
    public static IBsonSerializer<byte> Byte => NarrowNumberSerializers.Instance;

    /// <summary><see cref="sbyte"/> as Int32.</summary>
    public static IBsonSerializer<sbyte> SByte => NarrowNumberSerializers.Instance;

    /// <summary><see cref="ushort"/> as Int32.</summary>
    public static IBsonSerializer<ushort> UInt16 => NarrowNumberSerializers.Instance;

    /// <summary><see cref="uint"/> as Int32 like the official driver; above <see cref="int.MaxValue"/> as Int64 (the official driver fails there).</summary>
    public static IBsonSerializer<uint> UInt32 => NarrowNumberSerializers.Instance;

    /// <summary><see cref="ulong"/> as Int64; a value above <see cref="long.MaxValue"/> is an error.</summary>
    public static IBsonSerializer<ulong> UInt64 => NarrowNumberSerializers.Instance;

    /// <summary><see cref="float"/> as Double.</summary>
    public static IBsonSerializer<float> Single => NarrowNumberSerializers.Instance;

    /// <summary><see cref="char"/> as Int32 (its UTF-16 code), as the official driver stores it.</summary>
    public static IBsonSerializer<char> Char => NarrowNumberSerializers.Instance;

    /// <summary>
    /// <see cref="System.DateTimeOffset"/> as the official default, the document
    /// <c>{ DateTime: UTC datetime, Ticks: Int64, Offset: Int32 minutes }</c>; the array <c>[ticks, offsetMinutes]</c> and a
    /// BSON datetime (offset zero) are also read.
    /// </summary>
    public static IBsonSerializer<DateTimeOffset> DateTimeOffset => TimeSerializers.Instance;

    /// <summary><see cref="System.DateOnly"/> as a datetime at midnight UTC (the official default).</summary>
    public static IBsonSerializer<DateOnly> DateOnly => TimeSerializers.Instance;

    /// <summary><see cref="System.TimeOnly"/> as Int64 ticks since midnight (the official default).</summary>
    public static IBsonSerializer<TimeOnly> TimeOnly => TimeSerializers.Instance;

    /// <summary><see cref="System.TimeSpan"/> as its invariant constant-format string, e.g. <c>"1.02:03:04.5000000"</c> (the official default).</summary>
    public static IBsonSerializer<TimeSpan> TimeSpan => TimeSerializers.Instance;

    /// <summary><c>byte[]</c> as binary subtype 0 (null as Null).</summary>
    public static IBsonSerializer<byte[]> ByteArray => BinarySerializers.Instance;

    /// <summary><c>ReadOnlyMemory&lt;byte&gt;</c> as binary subtype 0 (reading copies the bytes out of the input).</summary>
    public static IBsonSerializer<ReadOnlyMemory<byte>> ReadOnlyMemoryOfByte => BinarySerializers.Instance;

    /// <summary>
    /// <see cref="object"/> in the natural mapping: writing maps the runtime value as <see cref="Bson.BsonValue.Create"/> does;
    /// reading yields int, long, double, string, bool, <see cref="Bson.Decimal128"/>, <see cref="Bson.ObjectId"/>, UTC
    /// <see cref="System.DateTime"/>, <see cref="System.Guid"/>, <c>byte[]</c>, <c>Dictionary&lt;string, object?&gt;</c>,
    /// <c>List&lt;object?&gt;</c> or null, and any other BSON value as a <see cref="Bson.BsonValue"/>.
    /// </summary>
    public static IBsonSerializer<object> Object => ObjectValueSerializer.Instance;

    /// <summary>An array as a <see cref="Bson.BsonArray"/> (null as Null).</summary>
    public static IBsonSerializer<BsonArray> BsonArray => BsonArraySerializer.Instance;

    /// <summary><c>Dictionary&lt;string, object?&gt;</c> with values in the natural mapping (see <see cref="Object"/>).</summary>
    public static IBsonSerializer<Dictionary<string, object?>> ObjectDictionary => DictionarySerializer.Instance;
}
