using System.Globalization;

namespace Mongo.Bson.Serialization;

/// <summary>
/// The representations rule 8 allows (see <see cref="BsonRepresentationAttribute"/>), each a small serializer from a
/// CLR type to a BSON type other than its default. <see cref="Create{T}"/> picks one or names the unsupported pair.
/// </summary>
internal static class RepresentationSerializers
{
    public static IBsonSerializer<T> Create<T>(BsonType representation)
    {
        object? serializer = typeof(T) switch
        {
            _ when typeof(T).IsEnum => new EnumSerializer<T>(representation),
            _ when typeof(T) == typeof(string) => representation switch
            {
                BsonType.String => BsonSerializers.String,
                BsonType.ObjectId => StringAsObjectId.Instance,
                _ => null,
            },
            _ when typeof(T) == typeof(ObjectId) => representation switch
            {
                BsonType.ObjectId => BsonSerializers.ObjectId,
                BsonType.String => ObjectIdAsString.Instance,
                _ => null,
            },
            _ when typeof(T) == typeof(Guid) => representation switch
            {
                BsonType.Binary => BsonSerializers.Guid,
                BsonType.String => GuidAsString.Instance,
                _ => null,
            },
            _ when typeof(T) == typeof(decimal) => representation switch
            {
                BsonType.Decimal128 => BsonSerializers.Decimal,
                BsonType.Double or BsonType.String or BsonType.Int32 or BsonType.Int64 => new NumberAs<decimal>(representation),
                _ => null,
            },
            _ when typeof(T) == typeof(int) || typeof(T) == typeof(long) || typeof(T) == typeof(double) => representation switch
            {
                BsonType.Int32 or BsonType.Int64 or BsonType.Double or BsonType.String or BsonType.Decimal128 => CreateNumber<T>(representation),
                _ => null,
            },
            _ => null,
        };

        return serializer as IBsonSerializer<T>
            ?? throw new ArgumentException($"A {typeof(T)} cannot be stored with representation {representation} (BsonRepresentation supports ObjectId<->String, string as ObjectId, enum as Int32/Int64/String, decimal as Decimal128/Double/String/Int32/Int64, Guid as String, and int/long/double as each other, String or Decimal128).", nameof(representation));
    }

    private static object CreateNumber<T>(BsonType representation)
    {
        if (typeof(T) == typeof(int))
        {
            return new NumberAs<int>(representation);
        }

        return typeof(T) == typeof(long) ? new NumberAs<long>(representation) : new NumberAs<double>(representation);
    }

    /// <summary>The official "string id as ObjectId": the string holds 24 hex digits.</summary>
    private sealed class StringAsObjectId : IBsonSerializer<string>
    {
        public static readonly StringAsObjectId Instance = new();

        public void Serialize(BsonWriter writer, string value)
        {
            if (value is null)
            {
                writer.WriteNull();
                return;
            }

            if (!ObjectId.TryParse(value, out ObjectId id))
            {
                throw new BsonException($"The string '{value}' is stored as an ObjectId but is not 24 hex digits.");
            }

            writer.WriteObjectId(id);
        }

        public string Deserialize(ref BsonReader reader) =>
            reader.TokenType == BsonTokenType.Value
                ? reader.CurrentType switch
                {
                    BsonType.ObjectId => reader.GetObjectId().ToString(),
                    BsonType.String => reader.GetString(),
                    BsonType.Null => null!,
                    _ => throw BuiltInSerializers.Mismatch(ref reader, "String (ObjectId)"),
                }
                : throw BuiltInSerializers.Mismatch(ref reader, "String (ObjectId)");
    }

    private sealed class ObjectIdAsString : IBsonSerializer<ObjectId>
    {
        public static readonly ObjectIdAsString Instance = new();

        public void Serialize(BsonWriter writer, ObjectId value) => writer.WriteString(value.ToString());

        public ObjectId Deserialize(ref BsonReader reader)
        {
            if (reader.TokenType == BsonTokenType.Value && reader.CurrentType == BsonType.ObjectId)
            {
                return reader.GetObjectId();
            }

            if (reader.TokenType == BsonTokenType.Value && reader.CurrentType == BsonType.String && ObjectId.TryParse(reader.GetString(), out ObjectId id))
            {
                return id;
            }

            throw BuiltInSerializers.Mismatch(ref reader, "ObjectId (string)");
        }
    }

    private sealed class GuidAsString : IBsonSerializer<Guid>
    {
        public static readonly GuidAsString Instance = new();

        public void Serialize(BsonWriter writer, Guid value) => writer.WriteString(value.ToString());

        public Guid Deserialize(ref BsonReader reader) =>
            reader.TokenType == BsonTokenType.Value && reader.CurrentType == BsonType.String && Guid.TryParse(reader.GetString(), out Guid value)
                ? value
                : throw BuiltInSerializers.Mismatch(ref reader, "Guid (string)");
    }

    /// <summary>A number stored as another BSON number or string; writing checks the value fits (as the official driver does).</summary>
    private sealed class NumberAs<T>(BsonType representation) : IBsonSerializer<T>
        where T : struct, IConvertible
    {
        public void Serialize(BsonWriter writer, T value)
        {
            try
            {
                switch (representation)
                {
                    case BsonType.Int32:
                        decimal d32 = Convert.ToDecimal(value, CultureInfo.InvariantCulture);
                        int i = checked((int)d32);
                        writer.WriteInt32(i == d32 ? i : throw new OverflowException());
                        break;
                    case BsonType.Int64:
                        decimal d64 = Convert.ToDecimal(value, CultureInfo.InvariantCulture);
                        long l = checked((long)d64);
                        writer.WriteInt64(l == d64 ? l : throw new OverflowException());
                        break;
                    case BsonType.Double:
                        writer.WriteDouble(Convert.ToDouble(value, CultureInfo.InvariantCulture));
                        break;
                    case BsonType.Decimal128:
                        writer.WriteDecimal128(new Decimal128(Convert.ToDecimal(value, CultureInfo.InvariantCulture)));
                        break;
                    default:
                        writer.WriteString(Convert.ToString(value, CultureInfo.InvariantCulture)!);
                        break;
                }
            }
            catch (OverflowException ex)
            {
                throw new BsonException($"The {typeof(T).Name} value {value} does not fit in BSON {representation} without loss.", ex);
            }
        }

        public T Deserialize(ref BsonReader reader)
        {
            if (reader.TokenType == BsonTokenType.Value)
            {
                try
                {
                    object? read = reader.CurrentType switch
                    {
                        BsonType.Int32 => reader.GetInt32(),
                        BsonType.Int64 => reader.GetInt64(),
                        BsonType.Double => reader.GetDouble(),
                        BsonType.Decimal128 => reader.GetDecimal128().ToDecimal(),
                        BsonType.String => decimal.Parse(reader.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture),
                        _ => null,
                    };
                    if (read is not null)
                    {
                        return (T)Convert.ChangeType(read, typeof(T), CultureInfo.InvariantCulture);
                    }
                }
                catch (Exception ex) when (ex is OverflowException or FormatException)
                {
                    throw new BsonException($"The value at '{reader.CurrentPath}' does not fit in {typeof(T).Name}.", reader.ValueOffset, reader.CurrentPath, ex);
                }
            }

            throw BuiltInSerializers.Mismatch(ref reader, $"{typeof(T).Name} ({representation})");
        }
    }
}
