using System.Globalization;

namespace Mongo.Bson.Serialization;

/// <summary>
/// The small CLR scalars, stored as the official driver stores them by default: the narrow integers and
/// <see cref="char"/> as Int32, <see cref="uint"/> as Int32 (Int64 above int.MaxValue), <see cref="ulong"/> as Int64, <see cref="float"/> as Double.
/// Reading accepts any BSON number that holds the value exactly, so data written by other drivers round-trips.
/// </summary>
internal sealed class NarrowNumberSerializers :
    IBsonSerializer<short>, IBsonSerializer<byte>, IBsonSerializer<sbyte>, IBsonSerializer<ushort>, IBsonSerializer<uint>,
    IBsonSerializer<ulong>, IBsonSerializer<float>, IBsonSerializer<char>
{
    public static readonly NarrowNumberSerializers Instance = new();

    public void Serialize(BsonWriter writer, short value) => writer.WriteInt32(value);

    short IBsonSerializer<short>.Deserialize(ref BsonReader reader) => (short)ReadInt32(ref reader, short.MinValue, short.MaxValue, "Int16");

    public void Serialize(BsonWriter writer, byte value) => writer.WriteInt32(value);

    byte IBsonSerializer<byte>.Deserialize(ref BsonReader reader) => (byte)ReadInt32(ref reader, byte.MinValue, byte.MaxValue, "Byte");

    public void Serialize(BsonWriter writer, sbyte value) => writer.WriteInt32(value);

    sbyte IBsonSerializer<sbyte>.Deserialize(ref BsonReader reader) => (sbyte)ReadInt32(ref reader, sbyte.MinValue, sbyte.MaxValue, "SByte");

    public void Serialize(BsonWriter writer, ushort value) => writer.WriteInt32(value);

    ushort IBsonSerializer<ushort>.Deserialize(ref BsonReader reader) => (ushort)ReadInt32(ref reader, ushort.MinValue, ushort.MaxValue, "UInt16");

    public void Serialize(BsonWriter writer, char value) => writer.WriteInt32(value);

    char IBsonSerializer<char>.Deserialize(ref BsonReader reader)
    {
        // The official CharSerializer also accepts a one-character string.
        if (reader.TokenType == BsonTokenType.Value && reader.CurrentType == BsonType.String)
        {
            string s = reader.GetString();
            return s.Length == 1 ? s[0] : throw BuiltInSerializers.Mismatch(ref reader, "Char");
        }

        return (char)ReadInt32(ref reader, char.MinValue, char.MaxValue, "Char");
    }

    public void Serialize(BsonWriter writer, uint value)
    {
        // The official default is Int32 (and an overflow error above int.MaxValue); larger values go as Int64 instead of failing.
        if (value <= int.MaxValue)
        {
            writer.WriteInt32((int)value);
        }
        else
        {
            writer.WriteInt64(value);
        }
    }

    uint IBsonSerializer<uint>.Deserialize(ref BsonReader reader) =>
        reader.TryGetInt64(out long value) && value is >= uint.MinValue and <= uint.MaxValue
            ? (uint)value
            : throw BuiltInSerializers.Mismatch(ref reader, "UInt32");

    public void Serialize(BsonWriter writer, ulong value)
    {
        // Int64 is what the official driver writes; values above long.MaxValue would silently turn negative.
        if (value > long.MaxValue)
        {
            throw new BsonException($"The UInt64 value {value} does not fit in BSON Int64.");
        }

        writer.WriteInt64((long)value);
    }

    ulong IBsonSerializer<ulong>.Deserialize(ref BsonReader reader) =>
        reader.TryGetInt64(out long value) && value >= 0 ? (ulong)value : throw BuiltInSerializers.Mismatch(ref reader, "UInt64");

    public void Serialize(BsonWriter writer, float value) => writer.WriteDouble(value);

    float IBsonSerializer<float>.Deserialize(ref BsonReader reader) =>
        reader.TryGetDouble(out double value) ? (float)value : throw BuiltInSerializers.Mismatch(ref reader, "Single");

    private static int ReadInt32(ref BsonReader reader, int min, int max, string target) =>
        reader.TryGetInt32(out int value) && value >= min && value <= max ? value : throw BuiltInSerializers.Mismatch(ref reader, target);
}

/// <summary>
/// Dates and times in the official driver's default representations: <see cref="DateTimeOffset"/> as the document
/// <c>{ DateTime: UTC datetime, Ticks: Int64, Offset: Int32 minutes }</c>, <see cref="DateOnly"/> as a datetime at midnight UTC, <see cref="TimeOnly"/> as Int64
/// ticks, <see cref="TimeSpan"/> as its invariant string (<c>"1.02:03:04.5"</c>).
/// </summary>
internal sealed class TimeSerializers :
    IBsonSerializer<DateTimeOffset>, IBsonSerializer<DateOnly>, IBsonSerializer<TimeOnly>, IBsonSerializer<TimeSpan>
{
    public static readonly TimeSerializers Instance = new();

    private static readonly long UnixEpochDays = DateOnly.FromDateTime(DateTime.UnixEpoch).DayNumber;

    public void Serialize(BsonWriter writer, DateTimeOffset value)
    {
        writer.WriteStartDocument();
        writer.WriteName("DateTime"u8);
        writer.WriteDateTime(BsonDateTime.ToMilliseconds(value.UtcDateTime));
        writer.WriteName("Ticks"u8);
        writer.WriteInt64(value.Ticks);
        writer.WriteName("Offset"u8);
        writer.WriteInt32((int)value.Offset.TotalMinutes);
        writer.WriteEndDocument();
    }

    DateTimeOffset IBsonSerializer<DateTimeOffset>.Deserialize(ref BsonReader reader)
    {
        if (reader.TokenType == BsonTokenType.Value && reader.CurrentType == BsonType.DateTime)
        {
            return DateTimeOffset.FromUnixTimeMilliseconds(reader.GetDateTime());
        }

        bool array = reader.TokenType == BsonTokenType.StartArray;
        if (!array && reader.TokenType != BsonTokenType.StartDocument)
        {
            throw BuiltInSerializers.Mismatch(ref reader, "DateTimeOffset ({DateTime, Ticks, Offset})");
        }

        // The document form {DateTime, Ticks, Offset} (the official default) or the array form [ticks, offsetMinutes].
        long ticks = 0;
        int minutes = 0;
        int index = 0;
        bool hasTicks = false;
        BsonTokenType end = array ? BsonTokenType.EndArray : BsonTokenType.EndDocument;
        while (reader.Read() && reader.TokenType != end)
        {
            bool isTicks = array ? index == 0 : reader.NameEquals("Ticks"u8);
            bool isOffset = array ? index == 1 : reader.NameEquals("Offset"u8);
            bool ok = isTicks ? reader.TryGetInt64(out ticks) : !isOffset || reader.TryGetInt32(out minutes);
            if (!ok || (reader.TokenType != BsonTokenType.Value))
            {
                throw BuiltInSerializers.Mismatch(ref reader, "DateTimeOffset ({DateTime, Ticks, Offset})");
            }

            hasTicks |= isTicks;
            index++;
        }

        if (!hasTicks)
        {
            throw new BsonException("A DateTimeOffset document has no Ticks.", reader.ValueOffset, reader.CurrentPath);
        }

        return new DateTimeOffset(ticks, TimeSpan.FromMinutes(minutes));
    }

    public void Serialize(BsonWriter writer, DateOnly value) =>
        writer.WriteDateTime((value.DayNumber - UnixEpochDays) * 86_400_000L);

    DateOnly IBsonSerializer<DateOnly>.Deserialize(ref BsonReader reader)
    {
        if (reader.TokenType != BsonTokenType.Value || reader.CurrentType != BsonType.DateTime)
        {
            throw BuiltInSerializers.Mismatch(ref reader, "DateOnly (datetime at midnight UTC)");
        }

        long ms = reader.GetDateTime();
        if (ms % 86_400_000L != 0)
        {
            throw new BsonException($"The datetime at '{reader.CurrentPath}' is not at midnight UTC, so it is not a DateOnly.", reader.ValueOffset, reader.CurrentPath);
        }

        return DateOnly.FromDayNumber((int)((ms / 86_400_000L) + UnixEpochDays));
    }

    public void Serialize(BsonWriter writer, TimeOnly value) => writer.WriteInt64(value.Ticks);

    TimeOnly IBsonSerializer<TimeOnly>.Deserialize(ref BsonReader reader) =>
        reader.TryGetInt64(out long ticks) && ticks >= 0 && ticks <= TimeOnly.MaxValue.Ticks
            ? new TimeOnly(ticks)
            : throw BuiltInSerializers.Mismatch(ref reader, "TimeOnly (Int64 ticks)");

    public void Serialize(BsonWriter writer, TimeSpan value) => writer.WriteString(value.ToString("c", CultureInfo.InvariantCulture));

    TimeSpan IBsonSerializer<TimeSpan>.Deserialize(ref BsonReader reader)
    {
        if (reader.TokenType == BsonTokenType.Value && reader.CurrentType == BsonType.String &&
            TimeSpan.TryParseExact(reader.GetString(), "c", CultureInfo.InvariantCulture, out TimeSpan value))
        {
            return value;
        }

        throw BuiltInSerializers.Mismatch(ref reader, "TimeSpan (string)");
    }
}

/// <summary>Binary data as subtype 0: <c>byte[]</c> (null as Null) and <see cref="ReadOnlyMemory{T}"/> of bytes.</summary>
internal sealed class BinarySerializers : IBsonSerializer<byte[]>, IBsonSerializer<ReadOnlyMemory<byte>>
{
    public static readonly BinarySerializers Instance = new();

    public void Serialize(BsonWriter writer, byte[] value)
    {
        if (value is null)
        {
            writer.WriteNull();
        }
        else
        {
            writer.WriteBinary(value);
        }
    }

    byte[] IBsonSerializer<byte[]>.Deserialize(ref BsonReader reader)
    {
        if (reader.TokenType == BsonTokenType.Value)
        {
            if (reader.CurrentType == BsonType.Null)
            {
                return null!;
            }

            if (reader.CurrentType == BsonType.Binary)
            {
                return reader.GetBinary(out _).ToArray();
            }
        }

        throw BuiltInSerializers.Mismatch(ref reader, "byte[] (binary)");
    }

    public void Serialize(BsonWriter writer, ReadOnlyMemory<byte> value) => writer.WriteBinary(value.Span);

    ReadOnlyMemory<byte> IBsonSerializer<ReadOnlyMemory<byte>>.Deserialize(ref BsonReader reader) =>
        reader.TokenType == BsonTokenType.Value && reader.CurrentType == BsonType.Binary
            ? reader.GetBinary(out _).ToArray()
            : throw BuiltInSerializers.Mismatch(ref reader, "ReadOnlyMemory<byte> (binary)");
}

/// <summary>
/// <see cref="object"/> members in the natural mapping (numbers, strings, dates, nested
/// <c>Dictionary&lt;string, object?&gt;</c>, <c>List&lt;object?&gt;</c>, ...), as <see cref="DictionarySerializer"/> reads them.
/// </summary>
internal sealed class ObjectValueSerializer : IBsonSerializer<object>
{
    public static readonly ObjectValueSerializer Instance = new();

    public void Serialize(BsonWriter writer, object value) => writer.WriteValue(BsonValue.Create(value));

    public object Deserialize(ref BsonReader reader) => DictionarySerializer.ReadValue(ref reader)!;
}

/// <summary>Arrays as <see cref="BsonArray"/> (null as Null).</summary>
internal sealed class BsonArraySerializer : IBsonSerializer<BsonArray>
{
    public static readonly BsonArraySerializer Instance = new();

    public void Serialize(BsonWriter writer, BsonArray value) => writer.WriteValue((BsonValue?)value ?? BsonNull.Value);

    public BsonArray Deserialize(ref BsonReader reader)
    {
        if (reader.TokenType == BsonTokenType.Value && reader.CurrentType == BsonType.Null)
        {
            return null!;
        }

        return reader.TokenType == BsonTokenType.StartArray
            ? (BsonArray)reader.GetValue()
            : throw BuiltInSerializers.Mismatch(ref reader, nameof(BsonArray));
    }
}

/// <summary>Little helpers shared by the serializers.</summary>
internal static class SerializerHelpers
{
    public static bool IsNull(ref BsonReader reader) => reader.TokenType == BsonTokenType.Value && reader.CurrentType == BsonType.Null;
}
