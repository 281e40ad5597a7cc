using Mongo.Driver.Wire;
using Xunit;

namespace Mongo.Driver.Tests.Wire;

public class BatchSplitterTests
{
    private static readonly ServerLimits Small = new(MaxBsonObjectSize: 1000, MaxMessageSize: 3000, MaxWriteBatchSize: 5);

    [Fact]
    public void Splits_by_max_write_batch_size()
    {
        int[] sizes = Enumerable.Repeat(10, 12).ToArray();
        Assert.Equal(5, BatchSplitter.CountNextBatch(50, "documents", sizes, Small));
        Assert.Equal(2, BatchSplitter.CountNextBatch(50, "documents", sizes.AsSpan(10), Small));
        Assert.Equal(0, BatchSplitter.CountNextBatch(50, "documents", ReadOnlySpan<int>.Empty, Small));
    }

    [Fact]
    public void Splits_by_max_message_size_exactly_at_the_boundary()
    {
        // Overhead: 16 header + 4 flags + 1 + 100 body + 1 + 4 size + "documents" 9 + 1 NUL = 136.
        Assert.Equal(136, BatchSplitter.MessageOverhead(100, 9, checksum: false));
        var limits = new ServerLimits(1000, 136 + 1000 + 999, 100);
        int[] sizes = [1000, 999, 1];
        Assert.Equal(2, BatchSplitter.CountNextBatch(100, "documents", sizes, limits));
        Assert.Equal(1, BatchSplitter.CountNextBatch(100, "documents", sizes, limits, checksum: true));
        Assert.Equal(3, BatchSplitter.CountNextBatch(100, "documents", sizes, limits with { MaxMessageSize = 136 + 2000 }));
    }

    [Fact]
    public void A_document_over_max_bson_object_size_is_an_error_naming_its_index()
    {
        int[] sizes = [10, 10, 1001];
        var ex = Assert.Throws<MongoClientException>(() => BatchSplitter.CountNextBatch(50, "documents", sizes.AsSpan(2), Small, firstIndex: 2));
        Assert.Contains("index 2", ex.Message, StringComparison.Ordinal);
        // The documents before it still form a batch; the error comes when it is first in line.
        Assert.Equal(2, BatchSplitter.CountNextBatch(50, "documents", sizes.AsSpan(0, 2), Small));
    }

    [Fact]
    public void The_command_may_exceed_max_bson_object_size_by_16_KiB_only()
    {
        var limits = ServerLimits.Default;
        Assert.Equal(1, BatchSplitter.CountNextBatch(limits.MaxBsonObjectSize + 16 * 1024, "documents", [10], limits));
        var ex = Assert.Throws<MongoClientException>(() => BatchSplitter.CountNextBatch(limits.MaxBsonObjectSize + 16 * 1024 + 1, "documents", [10], limits));
        Assert.Contains("16 KiB", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Max_size_documents_fill_a_48_MB_message_two_at_a_time()
    {
        var limits = ServerLimits.Default;
        int[] sizes = [limits.MaxBsonObjectSize, limits.MaxBsonObjectSize, limits.MaxBsonObjectSize, 5];
        Assert.Equal(2, BatchSplitter.CountNextBatch(200, "documents", sizes, limits));
    }

    [Fact]
    public void A_first_document_that_cannot_fit_with_its_command_is_an_error()
    {
        var limits = new ServerLimits(1000, 1100, 10);
        Assert.Throws<MongoClientException>(() => BatchSplitter.CountNextBatch(200, "documents", [1000], limits));
    }

    [Fact]
    public void Embedded_arrays_count_element_overhead_and_use_the_command_limit()
    {
        // Command limit = 1000 + 16384; body 100 + array element ("documents": 1 + 9 + 1 + 5 = 16) = 116.
        var limits = new ServerLimits(1000, 48_000_000, 1000);
        int[] sizes = Enumerable.Repeat(1000, 30).ToArray();
        // Element i adds 1000 + type + digits(i) + NUL: indices 0-9 take 1002, 10-16 take 1003: 116 + 10020 + 7021 = 17157 <= 17384; an 18th would make 18160.
        Assert.Equal(17, BatchSplitter.CountNextBatch(100, "documents", sizes, limits, BatchLayout.EmbeddedArray));
        Assert.Equal(30, BatchSplitter.CountNextBatch(100, "documents", sizes, limits, BatchLayout.DocumentSequence));
    }

    [Fact]
    public void Works_over_encoded_documents_from_an_offset()
    {
        var docs = new List<ReadOnlyMemory<byte>>();
        for (int i = 0; i < 8; i++)
        {
            docs.Add(TestBytes.DocOfSize(500));
        }

        // Overhead 16+4+1+50+1+4+9+1 = 86; 3000 - 86 = 2914 -> 5 documents of 500.
        Assert.Equal(5, BatchSplitter.CountNextBatch(50, "documents", docs, 0, Small with { MaxWriteBatchSize = 100 }));
        Assert.Equal(3, BatchSplitter.CountNextBatch(50, "documents", docs, 5, Small with { MaxWriteBatchSize = 100 }));
        Assert.Equal(0, BatchSplitter.CountNextBatch(50, "documents", docs, 8, Small));
    }
}
