using System.Text;

namespace Mongo.Bson.Tests.Binary;

/// <summary>Hand-built BSON fragments for malformed-input fixtures.</summary>
internal static class Bytes
{
    public static byte[] Doc(params byte[][] elements)
    {
        int length = 4 + elements.Sum(e => e.Length) + 1;
        return [.. BitConverter.GetBytes(length), .. elements.SelectMany(e => e), 0];
    }

    public static byte[] Element(byte type, string name, params byte[] value) =>
        [type, .. Encoding.UTF8.GetBytes(name), 0, .. value];

    public static byte[] Int32(int value) => BitConverter.GetBytes(value);

    public static byte[] Str(string value)
    {
        byte[] utf8 = Encoding.UTF8.GetBytes(value);
        return [.. BitConverter.GetBytes(utf8.Length + 1), .. utf8, 0];
    }
}
