using System.Security.Cryptography;
using System.Text;

namespace Mongo.InMemory.Auth;

/// <summary>
/// The server-side SCRAM secrets of one user for one mechanism (salt, iteration count, StoredKey, ServerKey),
/// derived once when the server starts; the password itself is not needed after that.
/// </summary>
internal sealed class ScramCredentials
{
    public const int IterationCount = 4096; // the minimum drivers accept; keeps start-up cheap

    private ScramCredentials(string mechanism, byte[] salt, byte[] storedKey, byte[] serverKey)
    {
        Mechanism = mechanism;
        Salt = salt;
        StoredKey = storedKey;
        ServerKey = serverKey;
    }

    public string Mechanism { get; }

    public byte[] Salt { get; }

    public byte[] StoredKey { get; }

    public byte[] ServerKey { get; }

    public HashAlgorithmName Hash => HashOf(Mechanism);

    public static HashAlgorithmName HashOf(string mechanism) =>
        mechanism == "SCRAM-SHA-1" ? HashAlgorithmName.SHA1 : HashAlgorithmName.SHA256;

    /// <summary>Derives a user's secrets for one mechanism; SCRAM-SHA-256 passwords go through SASLprep (RFC 4013) first.</summary>
    /// <exception cref="ArgumentException">SASLprep refuses the password (the message does not include it).</exception>
    public static ScramCredentials Derive(InMemoryMongoUser user, string mechanism)
    {
        HashAlgorithmName hash = HashOf(mechanism);
        // SCRAM-SHA-1 in MongoDB hashes the MD5 "user:mongo:password" digest (hex) instead of the password.
        string secret = mechanism == "SCRAM-SHA-1"
            ? Convert.ToHexString(MD5.HashData(Encoding.UTF8.GetBytes(user.UserName + ":mongo:" + user.Password))).ToLowerInvariant()
            : Mongo.Driver.Auth.SaslPrep.Prepare(user.Password);
        byte[] salt = RandomNumberGenerator.GetBytes(hash == HashAlgorithmName.SHA1 ? 16 : 28);
        int length = hash == HashAlgorithmName.SHA1 ? 20 : 32;
        byte[] salted = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(secret), salt, IterationCount, hash, length);
        byte[] clientKey = Hmac(hash, salted, "Client Key"u8);
        byte[] storedKey = Digest(hash, clientKey);
        byte[] serverKey = Hmac(hash, salted, "Server Key"u8);
        return new ScramCredentials(mechanism, salt, storedKey, serverKey);
    }

    public static byte[] Hmac(HashAlgorithmName hash, byte[] key, ReadOnlySpan<byte> data) =>
        hash == HashAlgorithmName.SHA1 ? HMACSHA1.HashData(key, data) : HMACSHA256.HashData(key, data);

    public static byte[] Digest(HashAlgorithmName hash, byte[] data) =>
        hash == HashAlgorithmName.SHA1 ? SHA1.HashData(data) : SHA256.HashData(data);
}
