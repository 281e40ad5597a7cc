using System.Buffers.Binary;
using System.Runtime.CompilerServices;

namespace Mongo.Bson.Internal;

/// <summary>DOM values for scalar elements, from their encoded value bytes (shared by the validating and trusted paths).</summary>
internal static partial class BsonDecoder
{
    /// <summary>A scalar value from its encoded bytes (as <see cref="BsonReader.ValueSpan"/> gives them, already validated).</summary>
    /// <param name="type">The element type (not a container or code-with-scope).</param>
    /// <param name="value">The value bytes.</param>
    /// <param name="ascii">Whether a string value is known to be ASCII (a faster conversion).</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static BsonValue CreateScalar(BsonType type, ReadOnlySpan<byte> value, bool ascii)
    {
        switch (type)
        {
            case BsonType.String:
                ReadOnlySpan<byte> content = value.Slice(4, value.Length - 5);
                return new BsonString(ascii ? Utf8Util.GetAsciiString(content) : Utf8Util.GetString(content));
            case BsonType.Int32:
                return BsonInt32.Create(BinaryPrimitives.ReadInt32LittleEndian(value));
            case BsonType.Double:
                return new BsonDouble(BinaryPrimitives.ReadDoubleLittleEndian(value));
            case BsonType.Boolean:
                return value[0] != 0 ? BsonBoolean.True : BsonBoolean.False;
            case BsonType.Int64:
                return new BsonInt64(BinaryPrimitives.ReadInt64LittleEndian(value));
            default:
                return CreateOtherScalar(type, value);
        }
    }

    private static BsonValue CreateOtherScalar(BsonType type, ReadOnlySpan<byte> value)
    {
        switch (type)
        {
            case BsonType.ObjectId:
                return new BsonObjectId(new ObjectId(value));
            case BsonType.DateTime:
                return new BsonDateTime(BinaryPrimitives.ReadInt64LittleEndian(value));
            case BsonType.Null:
                return BsonNull.Value;
            case BsonType.Binary:
                var subType = (BsonBinarySubType)value[4];

                // The old binary subtype repeats the length inside the payload.
                return new BsonBinaryData(value[(subType == BsonBinarySubType.OldBinary ? 9 : 5)..].ToArray(), subType);
            case BsonType.Decimal128:
                return new BsonDecimal128(Decimal128.Read(value));
            case BsonType.Timestamp:
                return new BsonTimestamp(BinaryPrimitives.ReadUInt64LittleEndian(value));
            case BsonType.RegularExpression:
                int patternLength = value.IndexOf((byte)0);
                return new BsonRegularExpression(
                    Utf8Util.GetString(value[..patternLength]),
                    NameCache.Get(value.Slice(patternLength + 1, value.Length - patternLength - 2)));
            case BsonType.JavaScript:
                return new BsonJavaScript(Utf8Util.GetString(value.Slice(4, value.Length - 5)));
            case BsonType.Symbol:
                return new BsonSymbol(Utf8Util.GetString(value.Slice(4, value.Length - 5)));
            case BsonType.DBPointer:
                return new BsonDBPointer(Utf8Util.GetString(value.Slice(4, value.Length - 17)), new ObjectId(value[^12..]));
            case BsonType.Undefined:
                return BsonUndefined.Value;
            case BsonType.MinKey:
                return BsonMinKey.Value;
            case BsonType.MaxKey:
                return BsonMaxKey.Value;
            default:
                throw BsonErrors.Misuse($"Unexpected element type {type}.");
        }
    }
}
