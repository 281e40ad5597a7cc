using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using ArmCrc32 = System.Runtime.Intrinsics.Arm.Crc32;
using X86Sse42 = System.Runtime.Intrinsics.X86.Sse42;

namespace Mongo.Bson.Internal;

/// <summary>
/// CRC-32C (Castagnoli, reflected polynomial 0x82F63B78), the OP_MSG checksum, here so that the driver and the
/// in-memory server (which both build on Mongo.Bson) share one implementation. Uses the SSE4.2 or ARMv8
/// CRC32C instructions when the CPU has them and a slice-by-8 table otherwise (System.IO.Hashing is not
/// part of the shared framework and only offers the other polynomial).
/// </summary>
internal static class Crc32C
{
    /// <summary>The CRC of <paramref name="data"/>.</summary>
    public static uint Compute(ReadOnlySpan<byte> data) => ~Update(uint.MaxValue, data);

    /// <summary>
    /// Continues a CRC over more data: <c>Compute(a + b) == Finish(Update(Update(Start, a), b))</c> where
    /// Start is <see cref="uint.MaxValue"/> and Finish is bitwise not.
    /// </summary>
    public static uint Update(uint state, ReadOnlySpan<byte> data)
    {
        if (X86Sse42.X64.IsSupported)
        {
            return UpdateSse42X64(state, data);
        }

        if (X86Sse42.IsSupported)
        {
            return UpdateSse42X86(state, data);
        }

        if (ArmCrc32.Arm64.IsSupported)
        {
            return UpdateArm64(state, data);
        }

        return UpdateTable(state, data);
    }

    /// <summary>Whether <see cref="Compute"/> uses a CPU instruction (for tests that want both paths covered).</summary>
    internal static bool IsHardwareAccelerated => X86Sse42.IsSupported || ArmCrc32.Arm64.IsSupported;

    internal static uint UpdateSse42X64(uint state, ReadOnlySpan<byte> data)
    {
        ulong crc = state;
        while (data.Length >= 8)
        {
            crc = X86Sse42.X64.Crc32(crc, BinaryPrimitives.ReadUInt64LittleEndian(data));
            data = data[8..];
        }

        uint crc32 = (uint)crc;
        foreach (byte b in data)
        {
            crc32 = X86Sse42.Crc32(crc32, b);
        }

        return crc32;
    }

    internal static uint UpdateSse42X86(uint state, ReadOnlySpan<byte> data)
    {
        uint crc = state;
        while (data.Length >= 4)
        {
            crc = X86Sse42.Crc32(crc, BinaryPrimitives.ReadUInt32LittleEndian(data));
            data = data[4..];
        }

        foreach (byte b in data)
        {
            crc = X86Sse42.Crc32(crc, b);
        }

        return crc;
    }

    internal static uint UpdateArm64(uint state, ReadOnlySpan<byte> data)
    {
        uint crc = state;
        while (data.Length >= 8)
        {
            crc = ArmCrc32.Arm64.ComputeCrc32C(crc, BinaryPrimitives.ReadUInt64LittleEndian(data));
            data = data[8..];
        }

        foreach (byte b in data)
        {
            crc = ArmCrc32.ComputeCrc32C(crc, b);
        }

        return crc;
    }

    internal static uint UpdateTable(uint state, ReadOnlySpan<byte> data)
    {
        uint[] t = Table.Values;
        uint crc = state;
        while (data.Length >= 8)
        {
            uint low = BinaryPrimitives.ReadUInt32LittleEndian(data) ^ crc;
            uint high = BinaryPrimitives.ReadUInt32LittleEndian(data[4..]);
            crc = t[(7 * 256) + (low & 0xFF)] ^ t[(6 * 256) + ((low >> 8) & 0xFF)]
                ^ t[(5 * 256) + ((low >> 16) & 0xFF)] ^ t[(4 * 256) + (low >> 24)]
                ^ t[(3 * 256) + (high & 0xFF)] ^ t[(2 * 256) + ((high >> 8) & 0xFF)]
                ^ t[256 + ((high >> 16) & 0xFF)] ^ t[high >> 24];
            data = data[8..];
        }

        foreach (byte b in data)
        {
            crc = t[(crc ^ b) & 0xFF] ^ (crc >> 8);
        }

        return crc;
    }

    // A nested class so the 8 KiB of tables are only built on CPUs that need them.
    private static class Table
    {
        public static readonly uint[] Values = Build();

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static uint[] Build()
        {
            const uint Polynomial = 0x82F63B78;
            var table = new uint[8 * 256];
            for (uint i = 0; i < 256; i++)
            {
                uint crc = i;
                for (int bit = 0; bit < 8; bit++)
                {
                    crc = (crc & 1) != 0 ? (crc >> 1) ^ Polynomial : crc >> 1;
                }

                table[i] = crc;
            }

            // Slice k: the CRC of byte i followed by k zero bytes.
            for (int slice = 1; slice < 8; slice++)
            {
                for (int i = 0; i < 256; i++)
                {
                    uint previous = table[((slice - 1) * 256) + i];
                    table[(slice * 256) + i] = table[previous & 0xFF] ^ (previous >> 8);
                }
            }

            return table;
        }
    }
}
