using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;

namespace Mongo.Bson.Internal;

/// <summary>
/// A process-wide, lock-free cache from short UTF-8 element names to strings, so that decoding the same
/// shapes of document over and over does not allocate a string per element name. One entry per slot; a
/// collision simply replaces the slot. Entries are immutable, so a reader sees either the old or the new one.
/// </summary>
internal static class NameCache
{
    /// <summary>Names longer than this (in UTF-8 bytes) are decoded without caching.</summary>
    public const int MaxCachedLength = 32;

    private const int SlotCount = 4096;
    private const ulong Prime = 0x9E3779B97F4A7C15UL;

    // Seeded per process so that crafted names cannot force every name into one slot.
    private static readonly ulong s_seed = BitConverter.ToUInt64(RandomNumberGenerator.GetBytes(8));
    private static readonly Entry?[] s_slots = new Entry?[SlotCount];

    /// <summary>Gets the string for a UTF-8 name that has already been validated.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static string Get(ReadOnlySpan<byte> utf8)
    {
        if ((uint)(utf8.Length - 1) >= MaxCachedLength)
        {
            return utf8.Length == 0 ? string.Empty : Encoding.UTF8.GetString(utf8);
        }

        // Two-way set: a name is looked for in its slot and the neighbouring one, so two hot names that
        // collide do not evict each other on every lookup.
        int slot = (int)(Hash(utf8) & (SlotCount - 2));
        Entry?[] slots = s_slots;
        Entry? entry = slots[slot];
        if (entry is not null && utf8.SequenceEqual(entry.Utf8))
        {
            return entry.Name;
        }

        entry = slots[slot + 1];
        if (entry is not null && utf8.SequenceEqual(entry.Utf8))
        {
            return entry.Name;
        }

        return Add(utf8, slot);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static string Add(ReadOnlySpan<byte> utf8, int slot)
    {
        string name = Encoding.UTF8.GetString(utf8);
        var entry = new Entry(utf8.ToArray(), name);

        // Fill an empty way first; otherwise the newcomer takes the first way and the old occupant moves to
        // the second (a cheap approximation of least-recently-added eviction).
        Entry?[] slots = s_slots;
        if (slots[slot] is null)
        {
            slots[slot] = entry;
        }
        else
        {
            slots[slot + 1] = slots[slot];
            slots[slot] = entry;
        }

        return name;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Hash(ReadOnlySpan<byte> utf8)
    {
        ref byte start = ref MemoryMarshal.GetReference(utf8);
        int length = utf8.Length;
        ulong h = s_seed ^ ((ulong)length * Prime);
        if (length >= 8)
        {
            int i = 0;
            for (; i <= length - 8; i += 8)
            {
                h = (h ^ Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref start, i))) * Prime;
                h ^= h >> 29;
            }

            if (i < length)
            {
                // Overlapping read of the last 8 bytes.
                h = (h ^ Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref start, length - 8))) * Prime;
            }
        }
        else if (length >= 4)
        {
            ulong tail = Unsafe.ReadUnaligned<uint>(ref start) | ((ulong)Unsafe.ReadUnaligned<uint>(ref Unsafe.Add(ref start, length - 4)) << 32);
            h = (h ^ tail) * Prime;
        }
        else
        {
            ulong tail = start | ((ulong)Unsafe.Add(ref start, length >> 1) << 8) | ((ulong)Unsafe.Add(ref start, length - 1) << 16);
            h = (h ^ tail) * Prime;
        }

        h ^= h >> 32;
        return h * Prime >> 32;
    }

    private sealed class Entry(byte[] utf8, string name)
    {
        public readonly byte[] Utf8 = utf8;
        public readonly string Name = name;
    }
}
