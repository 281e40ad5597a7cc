using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Mongo.Bson;

namespace Mongo.InMemory.Engine.Indexing;

/// <summary>
/// The key a hashed index stores for a value: mongod's 64-bit hash (the first eight bytes, little-endian, of an MD5 over
/// the seed 0, the value's canonical type and its bytes, numbers squashed to a 64-bit integer first), so that explain
/// shows the bounds mongod shows and hashed keys sort as on the server.
/// </summary>
internal static class HashedKey
{
    /// <summary>The hash of <paramref name="value"/> (null: a missing field, hashed as null); false for a type it cannot hash.</summary>
    public static bool TryOf(BsonValue? value, out long hash)
    {
        try
        {
            hash = Of(value);
            return true;
        }
        catch (Commands.CommandException)
        {
            hash = 0;
            return false;
        }
    }

    /// <summary>The hash of <paramref name="value"/> (null: a missing field, hashed as null).</summary>
    public static long Of(BsonValue? value)
    {
        var bytes = new List<byte>(32);
        AddInt32(bytes, 0); // the seed
        Add(bytes, value ?? BsonNull.Value);
        Span<byte> digest = stackalloc byte[16];
        MD5.HashData(bytes.ToArray(), digest);
        return BinaryPrimitives.ReadInt64LittleEndian(digest);
    }

    private static void Add(List<byte> bytes, BsonValue value)
    {
        AddInt32(bytes, BsonValue.CanonicalRank(value.BsonType)); // BSONElement::canonicalType; unhashable types throw below
        switch (value)
        {
            case BsonDouble or BsonInt32 or BsonInt64 or BsonDecimal128:
                AddInt64(bytes, NumberForHash(value));
                break;
            case BsonString s:
                AddString(bytes, s.Value);
                break;
            case BsonSymbol symbol:
                AddString(bytes, symbol.Name);
                break;
            case BsonJavaScript code:
                AddString(bytes, code.Code);
                break;
            case BsonBoolean b:
                bytes.Add(b.Value ? (byte)1 : (byte)0);
                break;
            case BsonObjectId oid:
                {
                    Span<byte> raw = stackalloc byte[12];
                    oid.Value.WriteTo(raw);
                    bytes.AddRange(raw.ToArray());
                    break;
                }

            case BsonDateTime date:
                AddInt64(bytes, date.MillisecondsSinceEpoch);
                break;
            case BsonTimestamp ts:
                AddInt64(bytes, unchecked((long)ts.Value));
                break;
            case BsonBinaryData binary:
                AddInt32(bytes, binary.Bytes.Length);
                bytes.Add((byte)binary.SubType);
                bytes.AddRange(binary.Bytes);
                break;
            case BsonRegularExpression regex:
                AddCString(bytes, regex.Pattern);
                AddCString(bytes, regex.Options);
                break;
            case BsonDocument document:
                foreach (var (name, element) in document) AddElement(bytes, name, element);
                AddInt32(bytes, 0); // the end of the object: its EOO element
                break;
            case BsonArray array:
                for (var i = 0; i < array.Count; i++) AddElement(bytes, i.ToString(System.Globalization.CultureInfo.InvariantCulture), array[i]);
                AddInt32(bytes, 0);
                break;
            case BsonNull or BsonUndefined or BsonMinKey or BsonMaxKey:
                break; // no value bytes
            default:
                throw Errors.NotImplemented("hashing a " + BsonOrder.TypeName(value) + " value is not supported by Mongo.InMemory");
        }
    }

    // An embedded element: its canonical type, its field name with the terminating zero, then its value.
    private static void AddElement(List<byte> bytes, string name, BsonValue value)
    {
        var start = bytes.Count;
        Add(bytes, value);
        var nameBytes = Encoding.UTF8.GetBytes(name);
        bytes.InsertRange(start + 4, nameBytes.Append((byte)0));
    }

    /// <summary>mongod's safeNumberLongForHash: NaN is 0, out-of-range doubles clamp, others truncate toward zero.</summary>
    private static long NumberForHash(BsonValue value)
    {
        if (value is BsonInt32 or BsonInt64) return value.ToInt64();
        var d = value is BsonDecimal128 dec ? dec.Value.ToDouble() : value.ToDouble();
        if (double.IsNaN(d)) return 0;
        if (d >= 9223372036854775808.0) return long.MaxValue;
        if (d < -9223372036854775808.0) return long.MinValue;
        return (long)d;
    }

    private static void AddString(List<byte> bytes, string value)
    {
        var utf8 = Encoding.UTF8.GetBytes(value);
        AddInt32(bytes, utf8.Length + 1);
        bytes.AddRange(utf8);
        bytes.Add(0);
    }

    private static void AddCString(List<byte> bytes, string value)
    {
        bytes.AddRange(Encoding.UTF8.GetBytes(value));
        bytes.Add(0);
    }

    private static void AddInt32(List<byte> bytes, int value)
    {
        Span<byte> buffer = stackalloc byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(buffer, value);
        bytes.AddRange(buffer.ToArray());
    }

    private static void AddInt64(List<byte> bytes, long value)
    {
        Span<byte> buffer = stackalloc byte[8];
        BinaryPrimitives.WriteInt64LittleEndian(buffer, value);
        bytes.AddRange(buffer.ToArray());
    }
}
