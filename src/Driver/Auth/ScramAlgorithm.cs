using System.Security.Cryptography;

namespace Mongo.Driver.Auth;

/// <summary>The hash-specific parts of SCRAM (RFC 5802 with SHA-1, RFC 7677 with SHA-256).</summary>
internal sealed class ScramAlgorithm
{
    public static readonly ScramAlgorithm Sha1 = new("SCRAM-SHA-1", HashAlgorithmName.SHA1, SHA1.HashSizeInBytes);
    public static readonly ScramAlgorithm Sha256 = new("SCRAM-SHA-256", HashAlgorithmName.SHA256, SHA256.HashSizeInBytes);

    private ScramAlgorithm(string mechanism, HashAlgorithmName hash, int hashSize)
    {
        Mechanism = mechanism;
        HashName = hash;
        HashSize = hashSize;
    }

    /// <summary>The SASL mechanism name.</summary>
    public string Mechanism { get; }

    public HashAlgorithmName HashName { get; }

    /// <summary>Output size of the hash in bytes.</summary>
    public int HashSize { get; }

    /// <summary>The mechanism for a name (SCRAM-SHA-1 or SCRAM-SHA-256), or null.</summary>
    public static ScramAlgorithm? FromMechanism(string mechanism) =>
        mechanism == Sha256.Mechanism ? Sha256 : mechanism == Sha1.Mechanism ? Sha1 : null;

    /// <summary>Hi(): PBKDF2 with one block of the hash's output size.</summary>
    public byte[] Hi(ReadOnlySpan<byte> password, ReadOnlySpan<byte> salt, int iterations) =>
        Rfc2898DeriveBytes.Pbkdf2(password, salt, iterations, HashName, HashSize);

    /// <summary>
    /// Hi() as a loop over HMAC (PBKDF2's definition for one block: U1 = HMAC(P, S || 1), Ui = HMAC(P, Ui-1), the
    /// XOR of all), checking <paramref name="cancellationToken"/> as it goes, for counts large enough to take a while.
    /// </summary>
    public byte[] HiCancellable(ReadOnlySpan<byte> password, ReadOnlySpan<byte> salt, int iterations, CancellationToken cancellationToken)
    {
        using var hmac = IncrementalHash.CreateHMAC(HashName, password);
        Span<byte> u = stackalloc byte[HashSize];
        var result = new byte[HashSize];
        hmac.AppendData(salt);
        hmac.AppendData([0, 0, 0, 1]);
        hmac.GetHashAndReset(u);
        u.CopyTo(result);
        for (int i = 1; i < iterations; i++)
        {
            if ((i & 0xFFF) == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }

            hmac.AppendData(u);
            hmac.GetHashAndReset(u);
            for (int j = 0; j < result.Length; j++)
            {
                result[j] ^= u[j];
            }
        }

        CryptographicOperations.ZeroMemory(u);
        return result;
    }

    public void Hmac(ReadOnlySpan<byte> key, ReadOnlySpan<byte> data, Span<byte> destination)
    {
        if (this == Sha1)
        {
            HMACSHA1.HashData(key, data, destination);
        }
        else
        {
            HMACSHA256.HashData(key, data, destination);
        }
    }

    public void Hash(ReadOnlySpan<byte> data, Span<byte> destination)
    {
        if (this == Sha1)
        {
            SHA1.HashData(data, destination);
        }
        else
        {
            SHA256.HashData(data, destination);
        }
    }

    /// <inheritdoc />
    public override string ToString() => Mechanism;
}
