using Xunit;
using System.Text;
using Mongo.Bson.Internal;

namespace Mongo.Bson.Tests.Binary;

public class Crc32CTests
{
    public static TheoryData<string, uint> Vectors => new()
    {
        // The standard check value for CRC-32C.
        { Convert.ToHexString(Encoding.ASCII.GetBytes("123456789")), 0xE3069283 },
        // RFC 3720 (iSCSI) appendix B.4.
        { new string('0', 64), 0x8A9136AA },
        { new string('F', 64), 0x62A8AB43 },
        { "000102030405060708090A0B0C0D0E0F101112131415161718191A1B1C1D1E1F", 0x46DD794E },
        { "1F1E1D1C1B1A191817161514131211100F0E0D0C0B0A09080706050403020100", 0x113FDB5C },
        { "", 0x00000000 },
    };

    [Theory]
    [MemberData(nameof(Vectors))]
    public void Known_vectors_on_every_available_path(string hex, uint expected)
    {
        byte[] data = Convert.FromHexString(hex);
        Assert.Equal(expected, Crc32C.Compute(data));
        Assert.Equal(expected, ~Crc32C.UpdateTable(uint.MaxValue, data));
        if (System.Runtime.Intrinsics.X86.Sse42.X64.IsSupported)
        {
            Assert.Equal(expected, ~Crc32C.UpdateSse42X64(uint.MaxValue, data));
        }

        if (System.Runtime.Intrinsics.X86.Sse42.IsSupported)
        {
            Assert.Equal(expected, ~Crc32C.UpdateSse42X86(uint.MaxValue, data));
        }

        if (System.Runtime.Intrinsics.Arm.Crc32.Arm64.IsSupported)
        {
            Assert.Equal(expected, ~Crc32C.UpdateArm64(uint.MaxValue, data));
        }
    }

    [Fact]
    public void Hardware_and_table_paths_agree_on_every_length_and_alignment()
    {
        byte[] data = RandomBytes(300, seed: 7);
        for (int start = 0; start < 9; start++)
        {
            for (int length = 0; length + start <= data.Length; length += 13)
            {
                ReadOnlySpan<byte> slice = data.AsSpan(start, length);
                Assert.Equal(~Crc32C.UpdateTable(uint.MaxValue, slice), Crc32C.Compute(slice));
            }
        }
    }

    [Fact]
    public void Incremental_update_equals_one_shot()
    {
        byte[] data = RandomBytes(1000, seed: 3);
        uint whole = Crc32C.Compute(data);
        for (int split = 0; split <= data.Length; split += 37)
        {
            uint state = Crc32C.Update(uint.MaxValue, data.AsSpan(0, split));
            state = Crc32C.Update(state, data.AsSpan(split));
            Assert.Equal(whole, ~state);
        }
    }

    [Fact]
    public void A_single_flipped_bit_changes_the_checksum()
    {
        byte[] data = RandomBytes(64, seed: 11);
        uint original = Crc32C.Compute(data);
        data[17] ^= 0x04;
        Assert.NotEqual(original, Crc32C.Compute(data));
    }

    private static byte[] RandomBytes(int length, int seed)
    {
        byte[] data = new byte[length];
        new Random(seed).NextBytes(data);
        return data;
    }
}
