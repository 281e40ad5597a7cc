using System.Buffers.Binary;
using System.Text;

namespace Mongo.Driver.Tests;

/// <summary>Hand-built BSON and hex helpers, so wire tests do not depend on the BSON library under test.</summary>
internal static class TestBytes
{
    public static byte[] Hex(string hex) => Convert.FromHexString(hex.Replace(" ", "", StringComparison.Ordinal));

    /// <summary>A document with int32 elements, e.g. <c>Doc(("hello", 1))</c>.</summary>
    public static byte[] Doc(params (string Name, int Value)[] elements)
    {
        var body = new List<byte>();
        foreach ((string name, int value) in elements)
        {
            body.Add(0x10);
            body.AddRange(Encoding.UTF8.GetBytes(name));
            body.Add(0);
            var v = new byte[4];
            BinaryPrimitives.WriteInt32LittleEndian(v, value);
            body.AddRange(v);
        }

        return Wrap(body);
    }

    /// <summary>A document with one string element.</summary>
    public static byte[] DocString(string name, string value)
    {
        var body = new List<byte> { 0x02 };
        body.AddRange(Encoding.UTF8.GetBytes(name));
        body.Add(0);
        byte[] utf8 = Encoding.UTF8.GetBytes(value);
        var len = new byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(len, utf8.Length + 1);
        body.AddRange(len);
        body.AddRange(utf8);
        body.Add(0);
        return Wrap(body);
    }

    /// <summary>A document of exactly <paramref name="totalSize"/> bytes (one string element padded to fit; at least 13).</summary>
    public static byte[] DocOfSize(int totalSize)
    {
        // 4 length + 1 type + "s\0" (2) + 4 strlen + chars + NUL + 1 terminator = 13 + chars
        return DocString("s", new string('x', totalSize - 13));
    }

    public static byte[] Random(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    /// <summary>Compressible, text-like data.</summary>
    public static byte[] Repetitive(int length)
    {
        byte[] pattern = Encoding.ASCII.GetBytes("{\"name\":\"alice\",\"age\":42,\"tags\":[\"a\",\"b\"]},");
        var bytes = new byte[length];
        for (int i = 0; i < length; i++)
        {
            bytes[i] = pattern[i % pattern.Length];
        }

        return bytes;
    }

    private static byte[] Wrap(List<byte> body)
    {
        var doc = new byte[body.Count + 5];
        BinaryPrimitives.WriteInt32LittleEndian(doc, doc.Length);
        body.CopyTo(doc, 4);
        return doc;
    }
}
