using System.Buffers;
using System.Text;

namespace Mongo.Bson.Internal;

/// <summary>UTF-8 helpers shared by the reader, the writer and the codec.</summary>
internal static class Utf8Util
{
    /// <summary>Strict UTF-8: lone surrogates in strings to encode are errors, not silently replaced.</summary>
    public static readonly UTF8Encoding Strict = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Decodes UTF-8 that has already been validated.</summary>
    public static string GetString(ReadOnlySpan<byte> utf8) =>
        utf8.Length == 0 ? string.Empty : Ascii.IsValid(utf8) ? GetAsciiString(utf8) : Encoding.UTF8.GetString(utf8);

    /// <summary>Decodes bytes known to be ASCII in a single widening pass.</summary>
    public static unsafe string GetAsciiString(ReadOnlySpan<byte> ascii)
    {
        if (ascii.Length == 0)
        {
            return string.Empty;
        }

        // Straight into the new string: no char count pass and no encoder dispatch, which dominate for the
        // short strings typical of documents.
        fixed (byte* source = ascii)
        {
            return string.Create(ascii.Length, (IntPtr)source, static (destination, state) =>
                Ascii.ToUtf16(new ReadOnlySpan<byte>((byte*)state, destination.Length), destination, out _));
        }
    }

    /// <summary>Whether UTF-8 bytes spell the same text as a string, without allocating.</summary>
    public static bool EqualsString(ReadOnlySpan<byte> utf8, string value)
    {
        if (utf8.Length < value.Length || utf8.Length > value.Length * 3)
        {
            return false;
        }

        int i = 0;
        for (; i < value.Length && i < utf8.Length; i++)
        {
            byte b = utf8[i];
            if (b >= 0x80 || value[i] >= 0x80)
            {
                break;
            }

            if (b != value[i])
            {
                return false;
            }
        }

        if (i == value.Length)
        {
            return i == utf8.Length;
        }

        return SlowEquals(utf8.Slice(i), value.AsSpan(i));
    }

    private static bool SlowEquals(ReadOnlySpan<byte> utf8, ReadOnlySpan<char> value)
    {
        int max = value.Length * 3;
        byte[]? rented = null;
        Span<byte> buffer = max <= 256 ? stackalloc byte[256] : (rented = ArrayPool<byte>.Shared.Rent(max));
        try
        {
            OperationStatus status = System.Text.Unicode.Utf8.FromUtf16(value, buffer, out _, out int written, replaceInvalidSequences: false);
            return status == OperationStatus.Done && buffer.Slice(0, written).SequenceEqual(utf8);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }
}
