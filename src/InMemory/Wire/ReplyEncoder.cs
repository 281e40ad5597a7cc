using System.Buffers.Text;
using System.Text;
using Mongo.Bson;

namespace Mongo.InMemory.Wire;

/// <summary>
/// Encodes a reply document straight into the connection's pooled reply buffer. A cursor reply is mostly stored
/// documents that were never materialised (every unprojected find or getMore result): their validated bytes are
/// copied into the reply once, in place, with no trip through a writer's own buffer. A <see cref="BsonWriter"/> over
/// an <see cref="System.Buffers.IBufferWriter{T}"/> would copy every byte three more times (into its buffer, while
/// that buffer doubles, then out to ours), which for a 16 MiB getMore batch costs more than building it.
/// </summary>
/// <remarks>
/// Only the envelope is laid out here: the reply, the documents and arrays inside it, and the items of those arrays
/// (<c>{cursor: {nextBatch: [documents]}}</c> is three levels). Everything else — scalars, materialised documents
/// at that depth, anything deeper — goes through a <see cref="BsonWriter"/>, which keeps its validation of names
/// and sizes; names written here are checked the same way (no NUL, valid UTF-16).
/// </remarks>
internal static class ReplyEncoder
{
    // The reply, a document in it, an array in that document; the array's items are written whole.
    private const int ExpandDepth = 3;

    private static readonly UTF8Encoding s_strictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Appends the BSON encoding of <paramref name="document"/> to <paramref name="output"/>.</summary>
    /// <exception cref="BsonException">A name the writer would refuse, or a reply over <paramref name="options"/>' size limit.</exception>
    public static void Write(PooledBuffer output, BsonDocument document, BsonWriterOptions options)
    {
        var encoder = new State(output, options);
        try
        {
            int start = output.Length;
            encoder.WriteDocumentValue(document, ExpandDepth);
            int length = output.Length - start;
            if (length > options.MaxDocumentSize)
            {
                throw new BsonSizeException($"The reply is {length} bytes, over the limit of {options.MaxDocumentSize}.");
            }
        }
        finally
        {
            encoder.Dispose();
        }
    }

    /// <summary>One encoding: the output and the writer (made on first need) for what is not laid out here.</summary>
    private struct State(PooledBuffer output, BsonWriterOptions options)
    {
        private BsonWriter? _writer;

        private BsonWriter Writer => _writer ??= new BsonWriter(output, options);

        public readonly void Dispose() => _writer?.Dispose();

        /// <summary>A document as a value (or the top level): its stored bytes, its elements laid out, or the writer's encoding.</summary>
        public void WriteDocumentValue(BsonDocument document, int depth)
        {
            ReadOnlySpan<byte> encoded = document.UnmaterializedBytes;
            if (!encoded.IsEmpty)
            {
                output.Write(encoded);
                return;
            }

            if (depth == 0)
            {
                // A writer at depth 0 writes a document as a top-level one, which is exactly its value's encoding.
                Writer.WriteValue(document);
                return;
            }

            int start = output.Length;
            output.WriteInt32(0); // patched below
            foreach (BsonElement element in document)
            {
                WriteElement(element.Name, element.Value, depth - 1);
            }

            EndContainer(start);
        }

        private void WriteArrayValue(BsonArray array, int depth)
        {
            ReadOnlySpan<byte> encoded = array.UnmaterializedBytes;
            if (!encoded.IsEmpty)
            {
                output.Write(encoded);
                return;
            }

            int start = output.Length;
            output.WriteInt32(0);
            int count = array.Count;
            // Size the buffer for the stored documents at once, so a 16 MiB batch does not grow it by doubling.
            long stored = 0;
            for (int i = 0; i < count; i++)
            {
                if (array[i] is BsonDocument item)
                {
                    stored += item.UnmaterializedBytes.Length + 8;
                }
            }

            output.EnsureCapacity((int)Math.Min(Array.MaxLength, output.Length + stored + 1));
            Span<byte> name = stackalloc byte[11];
            for (int i = 0; i < count; i++)
            {
                Utf8Formatter.TryFormat(i, name, out int digits);
                WriteElement(name[..digits], array[i], depth - 1);
            }

            EndContainer(start);
        }

        private void WriteElement(string name, BsonValue value, int depth)
        {
            if (CanLayOut(value, depth))
            {
                if (name.AsSpan().IndexOf('\0') >= 0)
                {
                    throw new BsonException($"Element name '{name.Replace("\0", "\\0", StringComparison.Ordinal)}' contains a NUL character.");
                }

                byte[] utf8;
                try
                {
                    utf8 = s_strictUtf8.GetBytes(name);
                }
                catch (EncoderFallbackException ex)
                {
                    throw new BsonException($"Element name '{name}' is not valid UTF-16.", ex);
                }

                WriteLaidOut(utf8, value, depth);
                return;
            }

            // Through the writer as a one-element document, then without that document's length and terminator.
            int start = output.Length;
            BsonWriter writer = Writer;
            writer.WriteStartDocument();
            writer.WriteName(name);
            writer.WriteValue(value);
            writer.WriteEndDocument();
            Unwrap(start);
        }

        private void WriteElement(ReadOnlySpan<byte> asciiName, BsonValue value, int depth)
        {
            if (CanLayOut(value, depth))
            {
                WriteLaidOut(asciiName, value, depth);
                return;
            }

            int start = output.Length;
            BsonWriter writer = Writer;
            writer.WriteStartDocument();
            writer.WriteName(asciiName);
            writer.WriteValue(value);
            writer.WriteEndDocument();
            Unwrap(start);
        }

        /// <summary>Documents are always written here (whole when stored or too deep); arrays when stored or shallow.</summary>
        private static bool CanLayOut(BsonValue value, int depth) =>
            value is BsonDocument || (value is BsonArray array && (depth > 0 || !array.UnmaterializedBytes.IsEmpty));

        private void WriteLaidOut(ReadOnlySpan<byte> utf8Name, BsonValue value, int depth)
        {
            output.WriteByte(value is BsonDocument ? (byte)BsonType.Document : (byte)BsonType.Array);
            output.Write(utf8Name);
            output.WriteByte(0);
            if (value is BsonDocument document)
            {
                WriteDocumentValue(document, depth);
            }
            else
            {
                WriteArrayValue((BsonArray)value, depth);
            }
        }

        /// <summary>Drops the length prefix and terminator of the one-element document the writer just appended at <paramref name="start"/>.</summary>
        private readonly void Unwrap(int start)
        {
            Span<byte> written = output.WrittenSpan[start..];
            written[4..^1].CopyTo(written);
            output.SetLength(output.Length - 5);
        }

        private readonly void EndContainer(int start)
        {
            output.WriteByte(0);
            output.PatchInt32(start, output.Length - start);
        }
    }
}
