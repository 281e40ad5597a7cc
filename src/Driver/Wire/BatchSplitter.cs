using System.Globalization;
using System.Text;

namespace Mongo.Driver.Wire;

/// <summary>How a batch's documents travel: as an OP_MSG kind-1 document sequence, or inside the command body as a BSON array.</summary>
internal enum BatchLayout
{
    DocumentSequence,
    EmbeddedArray,
}

/// <summary>
/// Splits the documents of a write command (insert/update/delete, or client bulkWrite's ops) into batches
/// that the server accepts: at most <c>maxWriteBatchSize</c> documents, each at most <c>maxBsonObjectSize</c>,
/// the command body at most <c>maxBsonObjectSize</c> + 16 KiB, and the whole message at most
/// <c>maxMessageSizeBytes</c>.
/// </summary>
internal static class BatchSplitter
{
    /// <summary>Bytes of an OP_MSG around a body and one sequence's documents: header, flags, two kind bytes, sequence size, identifier and NUL, optional checksum.</summary>
    public static int MessageOverhead(int bodyLength, int identifierUtf8Length, bool checksum) =>
        MessageHeader.Size + 4 + 1 + bodyLength + 1 + 4 + identifierUtf8Length + 1 + (checksum ? 4 : 0);

    /// <summary>
    /// How many documents, starting with the first of <paramref name="documentSizes"/>, go in the next batch.
    /// </summary>
    /// <param name="bodyLength">The command body's size without the batch's documents.</param>
    /// <param name="identifier">The sequence identifier (or array field name for <see cref="BatchLayout.EmbeddedArray"/>).</param>
    /// <param name="documentSizes">Sizes of the remaining documents, in order.</param>
    /// <param name="limits">The server's limits.</param>
    /// <param name="layout">Where the documents go.</param>
    /// <param name="checksum">Whether the message will carry a checksum.</param>
    /// <param name="firstIndex">The index of the first document in the whole write, for error messages.</param>
    /// <returns>At least 1 when any documents remain.</returns>
    /// <exception cref="MongoClientException">A document or the command is too large to send at all.</exception>
    public static int CountNextBatch(int bodyLength, string identifier, ReadOnlySpan<int> documentSizes, in ServerLimits limits, BatchLayout layout = BatchLayout.DocumentSequence, bool checksum = false, int firstIndex = 0)
    {
        if (documentSizes.IsEmpty)
        {
            return 0;
        }

        int maxCommand = limits.MaxBsonObjectSize + ServerLimits.CommandAllowance;
        if (bodyLength > maxCommand)
        {
            throw new MongoClientException("The '" + identifier + "' command document is " + Num(bodyLength) + " bytes, over the limit of maxBsonObjectSize + 16 KiB (" + Num(maxCommand) + ").");
        }

        int identifierLength = Encoding.UTF8.GetByteCount(identifier);
        long size = layout == BatchLayout.DocumentSequence
            ? MessageOverhead(bodyLength, identifierLength, checksum)
            // The array element itself (type, name, NUL, length prefix, terminator) inside the body.
            : bodyLength + 1 + identifierLength + 1 + 5;
        long limit = layout == BatchLayout.DocumentSequence
            ? limits.MaxMessageSize
            : Math.Min(maxCommand, limits.MaxMessageSize - (MessageHeader.Size + 4 + 1 + (checksum ? 4 : 0)));
        int maxCount = Math.Max(1, limits.MaxWriteBatchSize);
        int count = 0;
        while (count < documentSizes.Length && count < maxCount)
        {
            int documentSize = documentSizes[count];
            if (documentSize > limits.MaxBsonObjectSize)
            {
                throw new MongoClientException("The document at index " + Num(firstIndex + count) + " is " + Num(documentSize) + " bytes, over the server's maxBsonObjectSize of " + Num(limits.MaxBsonObjectSize) + ".");
            }

            long added = documentSize;
            if (layout == BatchLayout.EmbeddedArray)
            {
                // Each array element: type byte, decimal index as the name, NUL.
                added += 1 + Mongo.Bson.Internal.BsonSize.DigitCount(count) + 1;
            }

            if (size + added > limit)
            {
                if (count == 0)
                {
                    throw new MongoClientException("The document at index " + Num(firstIndex) + " (" + Num(documentSize) + " bytes) does not fit in one message with its command (" + Num(bodyLength) + " bytes) under the server's limits.");
                }

                break;
            }

            size += added;
            count++;
        }

        return count;
    }

    /// <summary>As <see cref="CountNextBatch(int, string, ReadOnlySpan{int}, in ServerLimits, BatchLayout, bool, int)"/>, over encoded documents starting at <paramref name="start"/>.</summary>
    public static int CountNextBatch(int bodyLength, string identifier, IReadOnlyList<ReadOnlyMemory<byte>> documents, int start, in ServerLimits limits, BatchLayout layout = BatchLayout.DocumentSequence, bool checksum = false)
    {
        int remaining = documents.Count - start;
        int window = Math.Min(remaining, Math.Max(1, limits.MaxWriteBatchSize));
        if (window <= 0)
        {
            return 0;
        }

        int[] sizes = System.Buffers.ArrayPool<int>.Shared.Rent(window);
        try
        {
            for (int i = 0; i < window; i++)
            {
                sizes[i] = documents[start + i].Length;
            }

            return CountNextBatch(bodyLength, identifier, sizes.AsSpan(0, window), limits, layout, checksum, start);
        }
        finally
        {
            System.Buffers.ArrayPool<int>.Shared.Return(sizes);
        }
    }

    private static string Num(long value) => value.ToString(CultureInfo.InvariantCulture);
}
