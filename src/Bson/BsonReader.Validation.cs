using System.Buffers.Binary;
using System.Text;
using System.Text.Unicode;
using Mongo.Bson.Internal;

namespace Mongo.Bson;

/// <summary>Validation of the variable-length element types.</summary>
public ref partial struct BsonReader
{
    private readonly int ValidateString(ReadOnlySpan<byte> buffer, int valueStart, int available, int nameStart, out bool isAscii)
    {
        if (available < 5)
        {
            ThrowFormat(valueStart, $"String needs at least 5 bytes but only {Math.Max(available, 0)} remain in its document.", nameStart);
        }

        int length = BinaryPrimitives.ReadInt32LittleEndian(buffer.Slice(valueStart));
        if (length < 1 || length > available - 4)
        {
            ThrowFormat(valueStart, $"Invalid string length {length} ({available - 4} bytes remain in the enclosing document).", nameStart);
        }

        int terminator = valueStart + 4 + length - 1;
        if (buffer[terminator] != 0)
        {
            ThrowFormat(terminator, "String is not terminated by 0x00.", nameStart);
        }

        ReadOnlySpan<byte> content = buffer.Slice(valueStart + 4, length - 1);
        isAscii = Ascii.IsValid(content);
        if (!isAscii && !Utf8.IsValid(content))
        {
            ThrowFormat(valueStart + 4, "String is not valid UTF-8.", nameStart);
        }

        return 4 + length;
    }

    private readonly int ValidateBinary(ReadOnlySpan<byte> buffer, int valueStart, int available, int nameStart)
    {
        if (available < 5)
        {
            ThrowFormat(valueStart, $"Binary needs at least 5 bytes but only {Math.Max(available, 0)} remain in its document.", nameStart);
        }

        int length = BinaryPrimitives.ReadInt32LittleEndian(buffer.Slice(valueStart));
        if (length < 0 || length > available - 5)
        {
            ThrowFormat(valueStart, $"Invalid binary length {length} ({available - 5} bytes remain in the enclosing document).", nameStart);
        }

        if (buffer[valueStart + 4] == (byte)BsonBinarySubType.OldBinary)
        {
            if (length < 4)
            {
                ThrowFormat(valueStart, $"Binary subtype 2 length {length} is too short for its inner length.", nameStart);
            }

            int inner = BinaryPrimitives.ReadInt32LittleEndian(buffer.Slice(valueStart + 5));
            if (inner != length - 4)
            {
                ThrowFormat(valueStart + 5, $"Binary subtype 2 inner length {inner} does not match the outer length {length} minus 4.", nameStart);
            }
        }

        return 5 + length;
    }

    private readonly int ValidateRegularExpression(ReadOnlySpan<byte> buffer, int valueStart, int available, int nameStart)
    {
        int patternLength = available <= 0 ? -1 : buffer.Slice(valueStart, available).IndexOf((byte)0);
        if (patternLength < 0)
        {
            ThrowFormat(valueStart, "Regular expression pattern is not terminated within its document.", nameStart);
        }

        int optionsStart = valueStart + patternLength + 1;
        int optionsLength = buffer.Slice(optionsStart, available - patternLength - 1).IndexOf((byte)0);
        if (optionsLength < 0)
        {
            ThrowFormat(optionsStart, "Regular expression options are not terminated within its document.", nameStart);
        }

        if (!Utf8.IsValid(buffer.Slice(valueStart, patternLength)))
        {
            ThrowFormat(valueStart, "Regular expression pattern is not valid UTF-8.", nameStart);
        }

        if (!Utf8.IsValid(buffer.Slice(optionsStart, optionsLength)))
        {
            ThrowFormat(optionsStart, "Regular expression options are not valid UTF-8.", nameStart);
        }

        return patternLength + optionsLength + 2;
    }

    private readonly int ValidateCodeWithScope(ReadOnlySpan<byte> buffer, int valueStart, int available, int nameStart)
    {
        // total length (4) + string (4 + at least 1) + scope document (at least 5)
        if (available < 14)
        {
            ThrowFormat(valueStart, $"Code with scope needs at least 14 bytes but only {Math.Max(available, 0)} remain in its document.", nameStart);
        }

        int total = BinaryPrimitives.ReadInt32LittleEndian(buffer.Slice(valueStart));
        if (total < 14 || total > available)
        {
            ThrowFormat(valueStart, $"Invalid code with scope length {total} ({available} bytes remain in the enclosing document).", nameStart);
        }

        int stringSize = ValidateString(buffer, valueStart + 4, total - 4, nameStart, out _);
        int scopeStart = valueStart + 4 + stringSize;
        int scopeAvailable = total - 4 - stringSize;
        if (scopeAvailable < 5)
        {
            ThrowFormat(scopeStart, "Code with scope has no room for its scope document.", nameStart);
        }

        int scopeLength = BinaryPrimitives.ReadInt32LittleEndian(buffer.Slice(scopeStart));
        if (scopeLength != scopeAvailable)
        {
            ThrowFormat(scopeStart, $"Code with scope total length {total} does not match its parts (string {stringSize} bytes, scope {scopeLength} bytes).", nameStart);
        }

        ValidateScope(buffer.Slice(0, scopeStart + scopeLength), scopeStart, nameStart);
        return total;
    }

    /// <summary>Walks a code-with-scope scope document completely, reporting errors with absolute offsets.</summary>
    private readonly void ValidateScope(ReadOnlySpan<byte> upToScopeEnd, int scopeStart, int nameStart)
    {
        int remainingDepth = _maxDepth - _depth;
        if (remainingDepth < 1)
        {
            ThrowFormat(scopeStart, $"Maximum nesting depth {_maxDepth} exceeded.", nameStart);
        }

        var scopeReader = new BsonReader(upToScopeEnd, scopeStart, remainingDepth);
        try
        {
            while (scopeReader.Read())
            {
            }
        }
        catch (BsonFormatException ex)
        {
            // Re-anchor the scope-relative path under this element's path (built only on failure).
            string message = StripLocation(ex);
            string prefix = BuildPath(nameStart);
            string path = string.IsNullOrEmpty(ex.Path) ? prefix : prefix + "." + ex.Path;
            throw BsonErrors.Format(message, ex.ByteOffset ?? scopeStart, path);
        }
    }
}
