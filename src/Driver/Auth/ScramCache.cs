using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace Mongo.Driver.Auth;

/// <summary>
/// Caches SCRAM's expensive derived keys (the auth spec requires it: PBKDF2 with thousands of iterations
/// on every new connection would dominate connection set-up). Keyed by mechanism, a SHA-256 digest of the
/// prepared password (the password itself is never stored), the salt and the iteration count; the value
/// is the ClientKey/ServerKey pair.
/// </summary>
internal sealed class ScramCache
{
    private const int MaxEntries = 64;
    private readonly ConcurrentDictionary<Key, Entry> _entries = new();

    /// <summary>The process-wide cache.</summary>
    public static ScramCache Shared { get; } = new();

    public int Count => _entries.Count;

    /// <summary>Returns the cached keys, or derives them with <paramref name="derive"/> and caches them.</summary>
    internal (byte[] ClientKey, byte[] ServerKey) GetOrAdd(ScramAlgorithm algorithm, ReadOnlySpan<byte> preparedPassword, ReadOnlySpan<byte> salt, int iterations, Func<(byte[] ClientKey, byte[] ServerKey)> derive)
    {
        var key = new Key(algorithm.Mechanism, Convert.ToHexString(SHA256.HashData(preparedPassword)), Convert.ToBase64String(salt), iterations);
        if (_entries.TryGetValue(key, out Entry? hit))
        {
            return (hit.ClientKey, hit.ServerKey);
        }

        (byte[] clientKey, byte[] serverKey) = derive();
        if (_entries.Count >= MaxEntries)
        {
            // Rotating credentials could grow this forever; a rare full reset costs one derivation per user.
            _entries.Clear();
        }

        _entries[key] = new Entry(clientKey, serverKey);
        return (clientKey, serverKey);
    }

    private readonly record struct Key(string Mechanism, string PasswordDigest, string Salt, int Iterations);

    private sealed record Entry(byte[] ClientKey, byte[] ServerKey);
}
