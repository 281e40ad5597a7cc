using O = MongoDB.Bson;

namespace Mongo.Bson.Tests.Binary;

/// <summary>Random documents of every type and nesting shape, and conversions to and from the official DOM.</summary>
internal static class TestDocuments
{
    private static readonly BsonType[] s_types =
    [
        BsonType.Double, BsonType.String, BsonType.Document, BsonType.Array, BsonType.Binary, BsonType.Undefined,
        BsonType.ObjectId, BsonType.Boolean, BsonType.DateTime, BsonType.Null, BsonType.RegularExpression,
        BsonType.DBPointer, BsonType.JavaScript, BsonType.Symbol, BsonType.JavaScriptWithScope, BsonType.Int32,
        BsonType.Timestamp, BsonType.Int64, BsonType.Decimal128, BsonType.MinKey, BsonType.MaxKey,
    ];

    /// <summary>
    /// A random document. With <paramref name="officialCompatible"/>, avoids what the official library rewrites
    /// on purpose (binary subtype 2 is converted to 0 on output) and duplicate names (it rejects them).
    /// </summary>
    public static BsonDocument RandomDocument(Random random, int maxDepth = 4, bool officialCompatible = true)
    {
        int count = random.Next(0, maxDepth <= 1 ? 6 : 12);
        var doc = new BsonDocument();
        var used = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < count; i++)
        {
            string name = RandomName(random);
            if (!used.Add(name))
            {
                if (officialCompatible)
                {
                    continue;
                }
            }

            doc.Add(name, RandomValue(random, maxDepth - 1, officialCompatible));
        }

        return doc;
    }

    public static BsonValue RandomValue(Random random, int depth, bool officialCompatible)
    {
        BsonType type = s_types[random.Next(s_types.Length)];
        if (depth <= 0 && type is BsonType.Document or BsonType.Array or BsonType.JavaScriptWithScope)
        {
            type = BsonType.Int32;
        }

        // The official library has no DBPointer in its DOM.
        if (officialCompatible && type == BsonType.DBPointer)
        {
            type = BsonType.String;
        }

        switch (type)
        {
            case BsonType.Double:
                return random.Next(8) switch
                {
                    0 => double.NaN,
                    1 => double.PositiveInfinity,
                    2 => -0.0,
                    3 => double.Epsilon,
                    _ => (random.NextDouble() - 0.5) * Math.Pow(10, random.Next(-30, 30)),
                };
            case BsonType.String:
                return RandomString(random);
            case BsonType.Document:
                return RandomDocument(random, depth, officialCompatible);
            case BsonType.Array:
                var array = new BsonArray();
                int n = random.Next(0, random.Next(2) == 0 ? 4 : 15);
                for (int i = 0; i < n; i++)
                {
                    array.Add(RandomValue(random, depth - 1, officialCompatible));
                }

                return array;
            case BsonType.Binary:
                var bytes = new byte[random.Next(0, 40)];
                random.NextBytes(bytes);
                BsonBinarySubType[] subTypes = officialCompatible
                    ? [BsonBinarySubType.Binary, BsonBinarySubType.Function, BsonBinarySubType.MD5, BsonBinarySubType.UserDefined, BsonBinarySubType.Encrypted]
                    : [BsonBinarySubType.Binary, BsonBinarySubType.OldBinary, BsonBinarySubType.UserDefined];
                return new BsonBinaryData(bytes, subTypes[random.Next(subTypes.Length)]);
            case BsonType.Undefined:
                return BsonUndefined.Value;
            case BsonType.ObjectId:
                var oid = new byte[12];
                random.NextBytes(oid);
                return new BsonObjectId(new ObjectId(oid));
            case BsonType.Boolean:
                return random.Next(2) == 0;
            case BsonType.DateTime:
                return new BsonDateTime(random.NextInt64(-62135596800000, 253402300799999));
            case BsonType.Null:
                return BsonNull.Value;
            case BsonType.RegularExpression:
                return new BsonRegularExpression(RandomName(random), new[] { "", "i", "im", "imsux", "x" }[random.Next(5)]);
            case BsonType.DBPointer:
                var pid = new byte[12];
                random.NextBytes(pid);
                return new BsonDBPointer(RandomName(random), new ObjectId(pid));
            case BsonType.JavaScript:
                return new BsonJavaScript(RandomString(random));
            case BsonType.Symbol:
                return new BsonSymbol(RandomString(random));
            case BsonType.JavaScriptWithScope:
                return new BsonJavaScriptWithScope(RandomString(random), RandomDocument(random, depth - 1, officialCompatible));
            case BsonType.Int32:
                return random.Next(3) == 0 ? random.Next(-20, 300) : random.Next(int.MinValue, int.MaxValue);
            case BsonType.Timestamp:
                return new BsonTimestamp((ulong)random.NextInt64());
            case BsonType.Int64:
                return random.NextInt64(long.MinValue, long.MaxValue);
            case BsonType.Decimal128:
                return new BsonDecimal128(new Decimal128((ulong)random.NextInt64(), (ulong)random.NextInt64()));
            case BsonType.MinKey:
                return BsonMinKey.Value;
            default:
                return BsonMaxKey.Value;
        }
    }

    public static string RandomName(Random random)
    {
        return random.Next(6) switch
        {
            0 => string.Empty,
            1 => "é" + random.Next(100),
            2 => "名前" + random.Next(10),
            3 => "$" + random.Next(1000),
            _ => "f" + random.Next(0, 40),
        };
    }

    public static string RandomString(Random random)
    {
        int length = random.Next(0, random.Next(4) == 0 ? 300 : 20);
        var chars = new char[length];
        for (int i = 0; i < length; i++)
        {
            chars[i] = random.Next(10) switch
            {
                0 => (char)random.Next(0x80, 0x800),
                1 => (char)random.Next(0x800, 0xD7FF),
                2 => '\0',
                _ => (char)random.Next(0x20, 0x7F),
            };
        }

        string s = new(chars);
        return random.Next(8) == 0 ? s + "😀" : s;
    }

    public static O.BsonValue ToOfficial(BsonValue value) => value switch
    {
        BsonDouble d => new O.BsonDouble(d.Value),
        BsonString s => new O.BsonString(s.Value),
        BsonDocument doc => ToOfficial(doc),
        BsonArray a => new O.BsonArray(a.Select(ToOfficial)),
        BsonBinaryData b => new O.BsonBinaryData(b.Bytes, (O.BsonBinarySubType)b.SubType),
        BsonUndefined => O.BsonUndefined.Value,
        BsonObjectId id => new O.BsonObjectId(new O.ObjectId(id.Value.ToByteArray())),
        BsonBoolean b => (O.BsonBoolean)b.Value,
        BsonDateTime dt => new O.BsonDateTime(dt.MillisecondsSinceEpoch),
        BsonNull => O.BsonNull.Value,
        BsonRegularExpression r => new O.BsonRegularExpression(r.Pattern, r.Options),
        BsonJavaScriptWithScope j => new O.BsonJavaScriptWithScope(j.Code, ToOfficial(j.Scope)),
        BsonJavaScript j => new O.BsonJavaScript(j.Code),
        BsonSymbol s => (O.BsonSymbol)s.Name,
        BsonInt32 i => new O.BsonInt32(i.Value),
        BsonTimestamp t => new O.BsonTimestamp((long)t.Value),
        BsonInt64 l => new O.BsonInt64(l.Value),
        BsonDecimal128 d => new O.BsonDecimal128(O.Decimal128.FromIEEEBits(d.Value.HighBits, d.Value.LowBits)),
        BsonMinKey => O.BsonMinKey.Value,
        BsonMaxKey => O.BsonMaxKey.Value,
        _ => throw new NotSupportedException(value.GetType().Name),
    };

    public static O.BsonDocument ToOfficial(BsonDocument doc)
    {
        var result = new O.BsonDocument(allowDuplicateNames: true);
        foreach (var element in doc)
        {
            result.Add(element.Name, ToOfficial(element.Value));
        }

        return result;
    }

    public static BsonValue FromOfficial(O.BsonValue value) => value switch
    {
        O.BsonDouble d => new BsonDouble(d.Value),
        O.BsonString s => new BsonString(s.Value),
        O.BsonDocument doc => FromOfficial(doc),
        O.BsonArray a => new BsonArray(a.Select(FromOfficial)),
        O.BsonBinaryData b => new BsonBinaryData(b.Bytes, (BsonBinarySubType)b.SubType),
        O.BsonUndefined => BsonUndefined.Value,
        O.BsonObjectId id => new BsonObjectId(new ObjectId(id.Value.ToByteArray())),
        O.BsonBoolean b => b.Value,
        O.BsonDateTime dt => new BsonDateTime(dt.MillisecondsSinceEpoch),
        O.BsonNull => BsonNull.Value,
        O.BsonRegularExpression r => new BsonRegularExpression(r.Pattern, r.Options),
        O.BsonJavaScriptWithScope j => new BsonJavaScriptWithScope(j.Code, FromOfficial(j.Scope)),
        O.BsonJavaScript j => new BsonJavaScript(j.Code),
        O.BsonSymbol s => new BsonSymbol(s.Name),
        O.BsonInt32 i => i.Value,
        O.BsonTimestamp t => new BsonTimestamp((ulong)t.Value),
        O.BsonInt64 l => l.Value,
        O.BsonDecimal128 d => new BsonDecimal128(new Decimal128(d.Value.GetIEEEHighBits(), d.Value.GetIEEELowBits())),
        O.BsonMinKey => BsonMinKey.Value,
        O.BsonMaxKey => BsonMaxKey.Value,
        _ => throw new NotSupportedException(value.GetType().Name),
    };

    public static BsonDocument FromOfficial(O.BsonDocument doc)
    {
        var result = new BsonDocument();
        foreach (var element in doc)
        {
            result.Add(element.Name, FromOfficial(element.Value));
        }

        return result;
    }

    public static byte[] OfficialBytes(O.BsonDocument doc) => O.BsonExtensionMethods.ToBson(doc);

    public static O.BsonDocument OfficialDecode(byte[] bson) =>
        O.Serialization.BsonSerializer.Deserialize<O.BsonDocument>(bson);

    /// <summary>A document with one element of every type, for fixtures.</summary>
    public static BsonDocument EveryType() => new()
    {
        { "double", 1.5 },
        { "string", "héllo" },
        { "doc", new BsonDocument { { "a", 1 }, { "b", new BsonArray { 1, "two", new BsonDocument("c", true) } } } },
        { "array", new BsonArray { 1, 2L, 3.0 } },
        { "binary", new BsonBinaryData([1, 2, 3], BsonBinarySubType.Binary) },
        { "old", new BsonBinaryData([4, 5], BsonBinarySubType.OldBinary) },
        { "undefined", BsonUndefined.Value },
        { "oid", new BsonObjectId(new ObjectId("0123456789abcdef01234567")) },
        { "bool", true },
        { "date", new BsonDateTime(1_700_000_000_000) },
        { "null", BsonNull.Value },
        { "regex", new BsonRegularExpression("^a.*b$", "im") },
        { "dbp", new BsonDBPointer("db.coll", new ObjectId("0123456789abcdef01234567")) },
        { "js", new BsonJavaScript("function() {}") },
        { "sym", new BsonSymbol("sym") },
        { "jsws", new BsonJavaScriptWithScope("x + y", new BsonDocument { { "x", 1 }, { "y", new BsonArray { "z" } } }) },
        { "int32", 42 },
        { "ts", new BsonTimestamp(7, 9) },
        { "int64", 1L << 40 },
        { "dec", new BsonDecimal128(new Decimal128(0x3040000000000000UL, 12345)) },
        { "min", BsonMinKey.Value },
        { "max", BsonMaxKey.Value },
    };
}
