using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;

namespace Mongo.Bson;

/// <summary>
/// A 12-byte BSON ObjectId: a 4-byte big-endian timestamp (seconds since the Unix epoch), a 5-byte random
/// value fixed per process, and a 3-byte counter that starts at a random value.
/// </summary>
public readonly struct ObjectId : IEquatable<ObjectId>, IComparable<ObjectId>, IComparable
{
    private static readonly long s_processRandom = CreateProcessRandom();
    private static int s_counter = RandomNumberGenerator.GetInt32(0, 0x00FF_FFFF);

    // Three big-endian words: comparing them as unsigned integers orders ObjectIds bytewise.
    private readonly uint _a;
    private readonly uint _b;
    private readonly uint _c;

    /// <summary>Creates an ObjectId from its 12 bytes.</summary>
    /// <exception cref="ArgumentException">The span is not 12 bytes long.</exception>
    public ObjectId(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length != 12)
        {
            throw new ArgumentException($"An ObjectId is 12 bytes, got {bytes.Length}.", nameof(bytes));
        }

        _a = BinaryPrimitives.ReadUInt32BigEndian(bytes);
        _b = BinaryPrimitives.ReadUInt32BigEndian(bytes[4..]);
        _c = BinaryPrimitives.ReadUInt32BigEndian(bytes[8..]);
    }

    /// <summary>Creates an ObjectId from its 24-character hexadecimal form.</summary>
    /// <exception cref="FormatException">The string is not 24 hexadecimal digits.</exception>
    public ObjectId(string hex) : this(ParseBytes(hex)) { }

    private ObjectId(uint a, uint b, uint c)
    {
        _a = a;
        _b = b;
        _c = c;
    }

    /// <summary>The all-zero ObjectId.</summary>
    public static ObjectId Empty => default;

    /// <summary>The timestamp part: seconds since the Unix epoch.</summary>
    public int Timestamp => (int)_a;

    /// <summary>The timestamp part as a UTC <see cref="DateTime"/>.</summary>
    public DateTime CreationTime => DateTime.UnixEpoch.AddSeconds(_a);

    /// <summary>Generates a new, process-unique ObjectId for the current time. Thread-safe.</summary>
    public static ObjectId GenerateNewId() => GenerateNewId(DateTimeOffset.UtcNow.ToUnixTimeSeconds());

    /// <summary>Generates a new ObjectId whose timestamp part is the given time. Thread-safe.</summary>
    public static ObjectId GenerateNewId(DateTime timestamp) =>
        GenerateNewId(new DateTimeOffset(timestamp.ToUniversalTime()).ToUnixTimeSeconds());

    private static ObjectId GenerateNewId(long seconds)
    {
        uint counter = (uint)Interlocked.Increment(ref s_counter) & 0x00FF_FFFF;
        // Bytes 4..8 are the process random (5 bytes), bytes 9..11 the counter.
        uint b = (uint)(s_processRandom >> 8);
        uint c = ((uint)(s_processRandom & 0xFF) << 24) | counter;
        return new ObjectId((uint)seconds, b, c);
    }

    /// <summary>Parses the 24-character hexadecimal form.</summary>
    /// <exception cref="FormatException">The string is not 24 hexadecimal digits.</exception>
    public static ObjectId Parse(string hex) => new(ParseBytes(hex));

    /// <summary>Tries to parse the 24-character hexadecimal form.</summary>
    public static bool TryParse([NotNullWhen(true)] string? hex, out ObjectId value)
    {
        Span<byte> bytes = stackalloc byte[12];
        if (hex is not null && TryParseBytes(hex, bytes))
        {
            value = new ObjectId(bytes);
            return true;
        }

        value = default;
        return false;
    }

    /// <summary>Writes the 12 bytes into a destination of at least 12 bytes.</summary>
    public void WriteTo(Span<byte> destination)
    {
        BinaryPrimitives.WriteUInt32BigEndian(destination, _a);
        BinaryPrimitives.WriteUInt32BigEndian(destination[4..], _b);
        BinaryPrimitives.WriteUInt32BigEndian(destination[8..], _c);
    }

    /// <summary>The 12 bytes as a new array.</summary>
    public byte[] ToByteArray()
    {
        var bytes = new byte[12];
        WriteTo(bytes);
        return bytes;
    }

    /// <summary>The 24-character lowercase hexadecimal form.</summary>
    public override string ToString()
    {
        return string.Create(24, this, static (chars, id) =>
        {
            Span<byte> raw = stackalloc byte[12];
            id.WriteTo(raw);
            for (int i = 0; i < raw.Length; i++)
            {
                chars[2 * i] = HexDigits[raw[i] >> 4];
                chars[(2 * i) + 1] = HexDigits[raw[i] & 0xF];
            }
        });
    }

    /// <inheritdoc />
    public bool Equals(ObjectId other) => _a == other._a && _b == other._b && _c == other._c;

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is ObjectId other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(_a, _b, _c);

    /// <summary>Orders ObjectIds bytewise, as the server does.</summary>
    public int CompareTo(ObjectId other)
    {
        int c = _a.CompareTo(other._a);
        if (c != 0)
        {
            return c;
        }

        c = _b.CompareTo(other._b);
        return c != 0 ? c : _c.CompareTo(other._c);
    }

    /// <inheritdoc />
    public int CompareTo(object? obj) => obj switch
    {
        null => 1,
        ObjectId other => CompareTo(other),
        _ => throw new ArgumentException("Object is not an ObjectId.", nameof(obj)),
    };

    /// <summary>Equality.</summary>
    public static bool operator ==(ObjectId left, ObjectId right) => left.Equals(right);

    /// <summary>Inequality.</summary>
    public static bool operator !=(ObjectId left, ObjectId right) => !left.Equals(right);

    /// <summary>Bytewise ordering.</summary>
    public static bool operator <(ObjectId left, ObjectId right) => left.CompareTo(right) < 0;

    /// <summary>Bytewise ordering.</summary>
    public static bool operator >(ObjectId left, ObjectId right) => left.CompareTo(right) > 0;

    /// <summary>Bytewise ordering.</summary>
    public static bool operator <=(ObjectId left, ObjectId right) => left.CompareTo(right) <= 0;

    /// <summary>Bytewise ordering.</summary>
    public static bool operator >=(ObjectId left, ObjectId right) => left.CompareTo(right) >= 0;

    private static byte[] ParseBytes(string hex)
    {
        ArgumentNullException.ThrowIfNull(hex);
        var bytes = new byte[12];
        if (!TryParseBytes(hex, bytes))
        {
            throw new FormatException($"'{hex}' is not a valid ObjectId: expected 24 hexadecimal digits.");
        }

        return bytes;
    }

    private const string HexDigits = "0123456789abcdef";

    private static bool TryParseBytes(string hex, Span<byte> destination)
    {
        if (hex.Length != 24)
        {
            return false;
        }

        for (int i = 0; i < 12; i++)
        {
            int hi = HexValue(hex[2 * i]);
            int lo = HexValue(hex[(2 * i) + 1]);
            if ((hi | lo) < 0)
            {
                return false;
            }

            destination[i] = (byte)((hi << 4) | lo);
        }

        return true;
    }

    private static int HexValue(char c) => c switch
    {
        >= '0' and <= '9' => c - '0',
        >= 'a' and <= 'f' => c - 'a' + 10,
        >= 'A' and <= 'F' => c - 'A' + 10,
        _ => -1,
    };

    private static long CreateProcessRandom()
    {
        Span<byte> bytes = stackalloc byte[8];
        RandomNumberGenerator.Fill(bytes);
        return BinaryPrimitives.ReadInt64LittleEndian(bytes) & 0xFF_FFFF_FFFF;
    }
}
