using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;

namespace Mongo.Driver.Connections;

/// <summary>
/// The client side of one SCRAM exchange (RFC 5802/7677 as MongoDB uses them). Salted passwords are cached
/// per (mechanism, user, password, salt, iterations) so a pool opening many connections pays PBKDF2 once.
/// </summary>
internal sealed class ScramConversation
{
    private static readonly ConcurrentDictionary<string, (byte[] ClientKey, byte[] ServerKey)> s_keyCache = new(StringComparer.Ordinal);

    private readonly string _username;
    private readonly string _password;
    private readonly HashAlgorithmName _hash;
    private readonly string _clientNonce;
    private string? _clientFirstBare;
    private byte[]? _expectedServerSignature;

    public ScramConversation(string mechanism, string username, string password, string? clientNonce = null)
    {
        Mechanism = mechanism;
        _hash = mechanism == MongoAuthMechanism.ScramSha256 ? HashAlgorithmName.SHA256 : HashAlgorithmName.SHA1;
        _username = username;
        _password = password;
        _clientNonce = clientNonce ?? Convert.ToBase64String(RandomNumberGenerator.GetBytes(24));
    }

    public string Mechanism { get; }

    /// <summary>client-first-message: <c>n,,n=user,r=nonce</c>.</summary>
    public byte[] ClientFirst()
    {
        string user = _username.Replace("=", "=3D", StringComparison.Ordinal).Replace(",", "=2C", StringComparison.Ordinal);
        _clientFirstBare = "n=" + user + ",r=" + _clientNonce;
        return Encoding.UTF8.GetBytes("n,," + _clientFirstBare);
    }

    /// <summary>Checks server-first-message and returns client-final-message with the proof.</summary>
    public byte[] ProcessServerFirst(byte[] serverFirstBytes)
    {
        string serverFirst = Encoding.UTF8.GetString(serverFirstBytes);
        string? nonce = null, salt = null, iterationsText = null;
        foreach (string part in serverFirst.Split(','))
        {
            if (part.StartsWith("r=", StringComparison.Ordinal))
            {
                nonce = part[2..];
            }
            else if (part.StartsWith("s=", StringComparison.Ordinal))
            {
                salt = part[2..];
            }
            else if (part.StartsWith("i=", StringComparison.Ordinal))
            {
                iterationsText = part[2..];
            }
        }

        if (nonce is null || salt is null || iterationsText is null || !int.TryParse(iterationsText, out int iterations))
        {
            throw new FormatException("the server-first message is malformed");
        }

        if (!nonce.StartsWith(_clientNonce, StringComparison.Ordinal) || nonce.Length == _clientNonce.Length)
        {
            throw new FormatException("the server nonce does not extend the client nonce");
        }

        if (iterations < 4096)
        {
            throw new FormatException("the server asked for fewer than 4096 iterations");
        }

        (byte[] clientKey, byte[] serverKey) = Keys(salt, iterations);
        string clientFinalWithoutProof = "c=biws,r=" + nonce;
        byte[] authMessage = Encoding.UTF8.GetBytes(_clientFirstBare + "," + serverFirst + "," + clientFinalWithoutProof);
        byte[] storedKey = Hash(clientKey);
        byte[] clientSignature = Hmac(storedKey, authMessage);
        byte[] proof = new byte[clientKey.Length];
        for (int i = 0; i < proof.Length; i++)
        {
            proof[i] = (byte)(clientKey[i] ^ clientSignature[i]);
        }

        _expectedServerSignature = Hmac(serverKey, authMessage);
        return Encoding.UTF8.GetBytes(clientFinalWithoutProof + ",p=" + Convert.ToBase64String(proof));
    }

    /// <summary>Checks server-final-message's signature (mutual authentication).</summary>
    public void VerifyServerFinal(byte[] serverFinalBytes)
    {
        string serverFinal = Encoding.UTF8.GetString(serverFinalBytes);
        if (serverFinal.StartsWith("e=", StringComparison.Ordinal))
        {
            throw new FormatException("the server reported a SCRAM error: " + serverFinal[2..]);
        }

        if (!serverFinal.StartsWith("v=", StringComparison.Ordinal) || _expectedServerSignature is null)
        {
            throw new FormatException("the server-final message is malformed");
        }

        byte[] signature = Convert.FromBase64String(serverFinal[2..].Split(',')[0]);
        if (!CryptographicOperations.FixedTimeEquals(signature, _expectedServerSignature))
        {
            throw new FormatException("the server signature is wrong (the server does not know the password)");
        }
    }

    // Full SASLprep (RFC 4013: mapping, NFKC, prohibited output, bidi, unassigned), not just NFKC.
    private static string PreparePassword(string password)
    {
        try
        {
            return Mongo.Driver.Auth.SaslPrep.Prepare(password);
        }
        catch (ArgumentException e)
        {
            throw new FormatException("SCRAM-SHA-256 could not prepare the password with SASLprep: " + e.Message, e);
        }
    }

    private byte[] Hash(byte[] data) => _hash == HashAlgorithmName.SHA1 ? SHA1.HashData(data) : SHA256.HashData(data);

    private byte[] Hmac(byte[] key, ReadOnlySpan<byte> data) => _hash == HashAlgorithmName.SHA1 ? HMACSHA1.HashData(key, data) : HMACSHA256.HashData(key, data);

    private (byte[] ClientKey, byte[] ServerKey) Keys(string saltBase64, int iterations)
    {
        string password = _hash == HashAlgorithmName.SHA1
            ? Convert.ToHexString(MD5.HashData(Encoding.UTF8.GetBytes(_username + ":mongo:" + _password))).ToLowerInvariant()
            : PreparePassword(_password);
        string cacheKey = Mechanism + "\0" + _username + "\0" + Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(password))) + "\0" + saltBase64 + "\0" + iterations;
        if (s_keyCache.TryGetValue(cacheKey, out (byte[], byte[]) cached))
        {
            return cached;
        }

        byte[] salted = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), Convert.FromBase64String(saltBase64), iterations, _hash, _hash == HashAlgorithmName.SHA1 ? 20 : 32);
        (byte[], byte[]) keys = (
            Hmac(salted, "Client Key"u8),
            Hmac(salted, "Server Key"u8));
        if (s_keyCache.Count > 64)
        {
            s_keyCache.Clear();
        }

        s_keyCache[cacheKey] = keys;
        return keys;
    }
}
