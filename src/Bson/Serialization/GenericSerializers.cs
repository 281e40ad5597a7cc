using System.Runtime.CompilerServices;

namespace Mongo.Bson.Serialization;

/// <summary><see cref="Nullable{T}"/>: no value as BSON null, otherwise as the inner serializer writes it.</summary>
internal sealed class NullableSerializer<T>(IBsonSerializer<T> inner) : IBsonSerializer<T?>
    where T : struct
{
    public void Serialize(BsonWriter writer, T? value)
    {
        if (value.HasValue)
        {
            inner.Serialize(writer, value.GetValueOrDefault());
        }
        else
        {
            writer.WriteNull();
        }
    }

    public T? Deserialize(ref BsonReader reader) =>
        SerializerHelpers.IsNull(ref reader) ? null : inner.Deserialize(ref reader);
}

/// <summary>
/// Enums as their underlying integer (Int32, or Int64 for 64-bit and <see cref="uint"/> bases, as the official driver
/// writes them) or as their name. Works for any enum <typeparamref name="T"/> without reflection: the value is
/// reinterpreted by size.
/// </summary>
internal sealed class EnumSerializer<T> : IBsonSerializer<T>
{
    private readonly BsonType _representation;
    private readonly bool _wide;
    private readonly bool _unsigned;

    // The declared names as UTF-8 with their values, so the string form reads and writes without Enum.Parse/ToString
    // (which box and search); combinations of flags fall back to those.
    private readonly byte[][] _names = [];
    private readonly long[] _values = [];

    public EnumSerializer(BsonType representation)
    {
        Type underlying = Enum.GetUnderlyingType(typeof(T));
        _unsigned = underlying == typeof(byte) || underlying == typeof(ushort) || underlying == typeof(uint) || underlying == typeof(ulong);
        _wide = underlying == typeof(long) || underlying == typeof(ulong) || underlying == typeof(uint);
        if (representation == BsonType.EndOfDocument)
        {
            representation = _wide ? BsonType.Int64 : BsonType.Int32;
        }

        if (representation is not (BsonType.Int32 or BsonType.Int64 or BsonType.String))
        {
            throw new ArgumentException($"An enum ({typeof(T)}) cannot be stored as {representation}; use Int32, Int64 or String.", nameof(representation));
        }

        _representation = representation;
        if (representation == BsonType.String)
        {
            string[] names = Enum.GetNames(typeof(T));
            Array values = Enum.GetValuesAsUnderlyingType(typeof(T));
            _names = new byte[names.Length][];
            _values = new long[names.Length];
            for (int i = 0; i < names.Length; i++)
            {
                _names[i] = System.Text.Encoding.UTF8.GetBytes(names[i]);
                _values[i] = values.GetValue(i) switch
                {
                    ulong u => unchecked((long)u),
                    object o => Convert.ToInt64(o, System.Globalization.CultureInfo.InvariantCulture),
                    _ => 0,
                };
            }
        }
    }

    public void Serialize(BsonWriter writer, T value)
    {
        switch (_representation)
        {
            case BsonType.String:
                int index = System.Array.IndexOf(_values, ToInt64(value));
                if (index >= 0)
                {
                    writer.WriteString(_names[index]);
                }
                else
                {
                    writer.WriteString(value!.ToString()!);
                }

                break;
            case BsonType.Int32:
                writer.WriteInt32((int)ToInt64(value));
                break;
            default:
                writer.WriteInt64(ToInt64(value));
                break;
        }
    }

    public T Deserialize(ref BsonReader reader)
    {
        if (reader.TokenType == BsonTokenType.Value && reader.CurrentType == BsonType.String)
        {
            ReadOnlySpan<byte> utf8 = reader.GetStringSpan();
            for (int i = 0; i < _names.Length; i++)
            {
                if (utf8.SequenceEqual(_names[i]))
                {
                    return FromInt64(_values[i]);
                }
            }

            string name = reader.GetString();
            return Enum.TryParse(typeof(T), name, ignoreCase: false, out object? parsed)
                ? (T)parsed
                : throw new BsonException($"'{name}' is not a value of {typeof(T)}.", reader.ValueOffset, reader.CurrentPath);
        }

        return reader.TryGetInt64(out long number)
            ? FromInt64(number)
            : throw BuiltInSerializers.Mismatch(ref reader, typeof(T).Name);
    }

    private long ToInt64(T value) => Unsafe.SizeOf<T>() switch
    {
        1 => _unsigned ? Unsafe.As<T, byte>(ref value) : Unsafe.As<T, sbyte>(ref value),
        2 => _unsigned ? Unsafe.As<T, ushort>(ref value) : Unsafe.As<T, short>(ref value),
        4 => _unsigned ? Unsafe.As<T, uint>(ref value) : Unsafe.As<T, int>(ref value),
        _ => Unsafe.As<T, long>(ref value),
    };

    private static T FromInt64(long number)
    {
        T value = default!;
        switch (Unsafe.SizeOf<T>())
        {
            case 1:
                Unsafe.As<T, byte>(ref value) = (byte)number;
                break;
            case 2:
                Unsafe.As<T, ushort>(ref value) = (ushort)number;
                break;
            case 4:
                Unsafe.As<T, uint>(ref value) = (uint)number;
                break;
            default:
                Unsafe.As<T, long>(ref value) = number;
                break;
        }

        return value;
    }
}
