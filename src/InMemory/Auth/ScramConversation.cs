using System.Security.Cryptography;
using System.Text;

namespace Mongo.InMemory.Auth;

/// <summary>
/// One SCRAM exchange on a connection (RFC 5802): client-first -> server-first (nonce, salt, iterations) ->
/// client-final with proof -> server-final with the server signature.
/// </summary>
internal sealed class ScramConversation
{
    private readonly string _database;
    private readonly Func<string, string, string, ScramCredentials?> _lookup;
    private string? _clientFirstBare;
    private string? _serverFirst;
    private string? _nonce;
    private ScramCredentials? _credentials;

    public ScramConversation(string mechanism, string database, Func<string, string, string, ScramCredentials?> lookup)
    {
        Mechanism = mechanism;
        _database = database;
        _lookup = lookup;
    }

    public string Mechanism { get; }

    public string? UserName { get; private set; }

    /// <summary>Whether the user named in the client-first message has credentials for <see cref="Mechanism"/>.</summary>
    public bool HasCredentials => _credentials is not null;

    /// <summary>True once the client proved it knows the password.</summary>
    public bool Succeeded { get; private set; }

    /// <summary>True once the server-final message went out.</summary>
    public bool Finished { get; private set; }

    /// <summary>Handles the client-first message; returns the server-first message, or null when authentication fails.</summary>
    public byte[]? Start(ReadOnlySpan<byte> payload)
    {
        string message = Encoding.UTF8.GetString(payload);
        // gs2 header: "n,," (no channel binding) or "y,,"; an authzid ("a=") is ignored, channel binding refused.
        if (!(message.StartsWith("n,", StringComparison.Ordinal) || message.StartsWith("y,", StringComparison.Ordinal)))
        {
            return null;
        }

        int second = message.IndexOf(',', 2);
        if (second < 0)
        {
            return null;
        }

        _clientFirstBare = message[(second + 1)..];
        string? user = null;
        string? clientNonce = null;
        foreach (string part in _clientFirstBare.Split(','))
        {
            if (part.StartsWith("n=", StringComparison.Ordinal))
            {
                user = part[2..].Replace("=2C", ",", StringComparison.Ordinal).Replace("=3D", "=", StringComparison.Ordinal);
            }
            else if (part.StartsWith("r=", StringComparison.Ordinal))
            {
                clientNonce = part[2..];
            }
            else if (part.StartsWith("m=", StringComparison.Ordinal))
            {
                return null; // mandatory extensions are not supported
            }
        }

        if (string.IsNullOrEmpty(user) || string.IsNullOrEmpty(clientNonce))
        {
            return null;
        }

        UserName = user;
        _credentials = _lookup(_database, user, Mechanism);
        // An unknown user still gets a plausible challenge, so the reply does not reveal which users exist.
        byte[] salt = _credentials?.Salt ?? RandomNumberGenerator.GetBytes(16);
        _nonce = clientNonce + Convert.ToBase64String(RandomNumberGenerator.GetBytes(24));
        _serverFirst = $"r={_nonce},s={Convert.ToBase64String(salt)},i={ScramCredentials.IterationCount}";
        return Encoding.UTF8.GetBytes(_serverFirst);
    }

    /// <summary>Handles the client-final message; returns the server-final message, or null when the proof is wrong.</summary>
    public byte[]? Continue(ReadOnlySpan<byte> payload)
    {
        if (_serverFirst is null || _credentials is null || Finished)
        {
            return null;
        }

        string message = Encoding.UTF8.GetString(payload);
        int proofAt = message.LastIndexOf(",p=", StringComparison.Ordinal);
        if (proofAt < 0)
        {
            return null;
        }

        string withoutProof = message[..proofAt];
        string? nonce = null;
        foreach (string part in withoutProof.Split(','))
        {
            if (part.StartsWith("r=", StringComparison.Ordinal))
            {
                nonce = part[2..];
            }
        }

        if (nonce != _nonce)
        {
            return null;
        }

        byte[] proof;
        try
        {
            proof = Convert.FromBase64String(message[(proofAt + 3)..]);
        }
        catch (FormatException)
        {
            return null;
        }

        var hash = _credentials.Hash;
        byte[] authMessage = Encoding.UTF8.GetBytes(_clientFirstBare + "," + _serverFirst + "," + withoutProof);
        byte[] clientSignature = ScramCredentials.Hmac(hash, _credentials.StoredKey, authMessage);
        if (proof.Length != clientSignature.Length)
        {
            return null;
        }

        byte[] clientKey = new byte[proof.Length];
        for (int i = 0; i < proof.Length; i++)
        {
            clientKey[i] = (byte)(proof[i] ^ clientSignature[i]);
        }

        if (!CryptographicOperations.FixedTimeEquals(ScramCredentials.Digest(hash, clientKey), _credentials.StoredKey))
        {
            return null;
        }

        Succeeded = true;
        Finished = true;
        byte[] serverSignature = ScramCredentials.Hmac(hash, _credentials.ServerKey, authMessage);
        return Encoding.UTF8.GetBytes("v=" + Convert.ToBase64String(serverSignature));
    }
}
