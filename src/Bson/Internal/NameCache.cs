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

        // Names of up to 16 bytes are fully described by two (possibly overlapping) words and the length, so
        // one pass both hashes and compares them; longer ones also compare their bytes.
        Load(utf8, out ulong w0, out ulong w1);
        int slot = (int)(Hash(w0, w1, utf8.Length) & (SlotCount - 2));

        // Two-way set: a name is looked for in its slot and the neighbouring one, so two hot names that
        // collide do not evict each other on every lookup.
        Entry?[] slots = s_slots;
        Entry? entry = slots[slot];
        if (entry is not null && entry.Matches(w0, w1, utf8))
        {
            return entry.Name;
        }

        entry = slots[slot + 1];
        if (entry is not null && entry.Matches(w0, w1, utf8))
        {
            return entry.Name;
        }

        return Add(utf8, w0, w1, slot);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static string Add(ReadOnlySpan<byte> utf8, ulong w0, ulong w1, int slot)
    {
        string name = Encoding.UTF8.GetString(utf8);
        var entry = new Entry(w0, w1, utf8.Length, utf8.Length > 16 ? utf8.ToArray() : null, name);

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

    /// <summary>Reads the first and the last 8 bytes (or 4, or single bytes, for shorter names).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Load(ReadOnlySpan<byte> utf8, out ulong w0, out ulong w1)
    {
        ref byte start = ref MemoryMarshal.GetReference(utf8);
        int length = utf8.Length;
        if (length >= 8)
        {
            w0 = Unsafe.ReadUnaligned<ulong>(ref start);
            w1 = Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref start, length - 8));
        }
        else if (length >= 4)
        {
            w0 = Unsafe.ReadUnaligned<uint>(ref start);
            w1 = Unsafe.ReadUnaligned<uint>(ref Unsafe.Add(ref start, length - 4));
        }
        else
        {
            w0 = start | ((ulong)Unsafe.Add(ref start, length >> 1) << 8) | ((ulong)Unsafe.Add(ref start, length - 1) << 16);
            w1 = 0;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Hash(ulong w0, ulong w1, int length)
    {
        ulong h = (s_seed ^ w0 ^ ((ulong)length << 56)) * Prime;
        h = (h ^ (h >> 29) ^ w1) * Prime;
        return h >> 32;
    }

    private sealed class Entry(ulong w0, ulong w1, int length, byte[]? utf8, string name)
    {
        public readonly ulong W0 = w0;
        public readonly ulong W1 = w1;
        public readonly int Length = length;
        public readonly byte[]? Utf8 = utf8;
        public readonly string Name = name;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public bool Matches(ulong w0, ulong w1, ReadOnlySpan<byte> utf8) =>
            W0 == w0 && W1 == w1 && Length == utf8.Length && (Utf8 is null || utf8.SequenceEqual(Utf8));
    }
}
