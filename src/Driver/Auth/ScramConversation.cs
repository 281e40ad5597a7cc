using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Mongo.Driver.Auth;

/// <summary>
/// The client side of one SCRAM exchange (RFC 5802 / RFC 7677) as a state machine with no I/O: it produces
/// the client-first message, turns the server-first message into the client-final message, and verifies
/// the server's signature. The connection drives it with saslStart/saslContinue (or speculative
/// authentication in hello).
/// </summary>
internal sealed class ScramConversation
{
    /// <summary>The auth spec's floor: lower counts may be a downgrade attack.</summary>
    public const int MinimumIterationCount = 4096;

    /// <summary>
    /// The default ceiling (<see cref="MongoClientSettings.MaxScramIterationCount"/>): servers use 10,000 (SHA-1) and
    /// 15,000 (SHA-256) by default; a count far above is a misconfiguration or a hostile server making every new
    /// connection burn CPU (i=2147483647 is minutes of PBKDF2).
    /// </summary>
    public const int DefaultMaximumIterationCount = 100_000;

    // Below this many iterations the one-shot PBKDF2 (milliseconds) runs; above it, a loop that watches cancellation.
    private const int OneShotIterations = 20_000;

    private const string Gs2Header = "n,,";
    private readonly ScramAlgorithm _algorithm;
    private readonly byte[] _preparedPassword;
    private readonly ScramCache? _cache;
    private readonly string _clientNonce;
    private readonly string _clientFirstBare;
    private State _state;
    private byte[]? _expectedServerSignature;
    private readonly int _maximumIterationCount;

    /// <summary>
    /// Creates a conversation over an already prepared password (what RFC 5802 calls Normalize(password)).
    /// Use <see cref="Create"/> for MongoDB credentials.
    /// </summary>
    internal ScramConversation(ScramAlgorithm algorithm, string username, string preparedPassword, ScramCache? cache, string? clientNonce = null, int maximumIterationCount = DefaultMaximumIterationCount)
    {
        _maximumIterationCount = maximumIterationCount;
        _algorithm = algorithm;
        _preparedPassword = Encoding.UTF8.GetBytes(preparedPassword);
        _cache = cache;
        _clientNonce = clientNonce ?? GenerateNonce();
        if (_clientNonce.Length == 0 || _clientNonce.Contains(',', StringComparison.Ordinal))
        {
            throw new ArgumentException("A SCRAM nonce must be non-empty printable text without commas.", nameof(clientNonce));
        }

        // The auth spec forbids SASLprep on user names (against RFC 5802's SHOULD); only escape = and ,.
        _clientFirstBare = "n=" + EscapeUsername(username) + ",r=" + _clientNonce;
    }

    private enum State
    {
        Initial,
        SentClientFirst,
        SentClientFinal,
        Verified,
    }

    public string Mechanism => _algorithm.Mechanism;

    /// <summary>Whether the server proved it knows the password (its signature matched).</summary>
    public bool IsVerified => _state == State.Verified;

    /// <summary>
    /// A conversation for a MongoDB credential: SCRAM-SHA-1 uses the hex MD5 "mongo hashed password",
    /// SCRAM-SHA-256 the SASLprep'd password.
    /// </summary>
    /// <exception cref="MongoAuthenticationException">SASLprep rejected the password.</exception>
    public static ScramConversation Create(ScramAlgorithm algorithm, string username, string password, ScramCache? cache = null, string? clientNonce = null, int maximumIterationCount = DefaultMaximumIterationCount)
    {
        string prepared;
        if (algorithm == ScramAlgorithm.Sha1)
        {
            prepared = MongoPasswordDigest.Compute(username, password);
        }
        else
        {
            try
            {
                prepared = SaslPrep.Prepare(password);
            }
            catch (ArgumentException e)
            {
                throw new MongoAuthenticationException("SCRAM-SHA-256 could not prepare the password with SASLprep: " + e.Message, e);
            }
        }

        return new ScramConversation(algorithm, username, prepared, cache ?? ScramCache.Shared, clientNonce, maximumIterationCount);
    }

    /// <summary>The client-first message (<c>n,,n=user,r=nonce</c>), the saslStart payload.</summary>
    public byte[] GetClientFirstMessage()
    {
        if (_state != State.Initial)
        {
            throw new InvalidOperationException("The client-first message was already produced.");
        }

        _state = State.SentClientFirst;
        return Encoding.UTF8.GetBytes(Gs2Header + _clientFirstBare);
    }

    /// <summary>
    /// Feeds the next server payload and returns the next client payload: the client-final message after
    /// server-first; an empty payload after a verified server-final (for servers that want the extra empty
    /// round trip); an empty payload again for that round trip's empty reply.
    /// </summary>
    /// <exception cref="MongoAuthenticationException">The server's message is malformed, its nonce or iteration count is unacceptable, or its signature does not verify.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> fired while deriving the keys.</exception>
    public byte[] Step(ReadOnlySpan<byte> serverPayload, CancellationToken cancellationToken = default)
    {
        switch (_state)
        {
            case State.SentClientFirst:
                return ProcessServerFirst(serverPayload, cancellationToken);
            case State.SentClientFinal:
                VerifyServerFinal(serverPayload);
                return [];
            case State.Verified:
                if (!serverPayload.IsEmpty)
                {
                    throw Fail("the server sent more data after the conversation was verified");
                }

                return [];
            default:
                throw new InvalidOperationException("GetClientFirstMessage must be called first.");
        }
    }

    /// <summary>Call when the server says <c>done: true</c>: a conversation the server ends before proving itself fails.</summary>
    public void EnsureVerified()
    {
        if (_state != State.Verified)
        {
            throw Fail("the server ended the conversation without proving that it knows the password");
        }
    }

    private byte[] ProcessServerFirst(ReadOnlySpan<byte> payload, CancellationToken cancellationToken)
    {
        string serverFirst = DecodeUtf8(payload);
        string[] parts = serverFirst.Split(',');
        if (parts.Length > 0 && parts[0].StartsWith("m=", StringComparison.Ordinal))
        {
            throw Fail("the server requires a SCRAM extension this driver does not support");
        }

        if (parts.Length < 3 || !parts[0].StartsWith("r=", StringComparison.Ordinal) || !parts[1].StartsWith("s=", StringComparison.Ordinal) || !parts[2].StartsWith("i=", StringComparison.Ordinal))
        {
            throw Fail("the server-first message is malformed");
        }

        string nonce = parts[0][2..];
        if (nonce.Length <= _clientNonce.Length || !nonce.StartsWith(_clientNonce, StringComparison.Ordinal))
        {
            throw Fail("the server nonce does not extend the client nonce");
        }

        byte[] salt;
        try
        {
            salt = Convert.FromBase64String(parts[1][2..]);
        }
        catch (FormatException)
        {
            throw Fail("the server salt is not valid base64");
        }

        if (salt.Length == 0)
        {
            throw Fail("the server salt is empty");
        }

        if (!int.TryParse(parts[2].AsSpan(2), NumberStyles.None, CultureInfo.InvariantCulture, out int iterations))
        {
            throw Fail("the iteration count is not a positive integer");
        }

        if (iterations < MinimumIterationCount)
        {
            throw Fail("the server asked for " + iterations.ToString(CultureInfo.InvariantCulture) + " iterations, below the minimum of " + MinimumIterationCount.ToString(CultureInfo.InvariantCulture));
        }

        if (iterations > _maximumIterationCount)
        {
            throw Fail("the server asked for " + iterations.ToString(CultureInfo.InvariantCulture) + " iterations, above the limit of "
                + _maximumIterationCount.ToString(CultureInfo.InvariantCulture) + " (MongoClientSettings.MaxScramIterationCount)");
        }

        (byte[] clientKey, byte[] serverKey) = _cache is null
            ? DeriveKeys(salt, iterations, cancellationToken)
            : _cache.GetOrAdd(_algorithm, _preparedPassword, salt, iterations, () => DeriveKeys(salt, iterations, cancellationToken));

        string withoutProof = "c=biws,r=" + nonce;
        byte[] authMessage = Encoding.UTF8.GetBytes(_clientFirstBare + "," + serverFirst + "," + withoutProof);

        int size = _algorithm.HashSize;
        Span<byte> storedKey = stackalloc byte[size];
        Span<byte> clientSignature = stackalloc byte[size];
        _algorithm.Hash(clientKey, storedKey);
        _algorithm.Hmac(storedKey, authMessage, clientSignature);
        var proof = new byte[size];
        for (int i = 0; i < size; i++)
        {
            proof[i] = (byte)(clientKey[i] ^ clientSignature[i]);
        }

        _expectedServerSignature = new byte[size];
        _algorithm.Hmac(serverKey, authMessage, _expectedServerSignature);
        _state = State.SentClientFinal;
        return Encoding.UTF8.GetBytes(withoutProof + ",p=" + Convert.ToBase64String(proof));
    }

    private void VerifyServerFinal(ReadOnlySpan<byte> payload)
    {
        string serverFinal = DecodeUtf8(payload);
        if (serverFinal.StartsWith("e=", StringComparison.Ordinal))
        {
            throw Fail("the server reported '" + serverFinal[2..] + "'");
        }

        int comma = serverFinal.IndexOf(',', StringComparison.Ordinal);
        string verifier = comma < 0 ? serverFinal : serverFinal[..comma];
        if (!verifier.StartsWith("v=", StringComparison.Ordinal))
        {
            throw Fail("the server-final message is malformed");
        }

        byte[] signature;
        try
        {
            signature = Convert.FromBase64String(verifier[2..]);
        }
        catch (FormatException)
        {
            throw Fail("the server signature is not valid base64");
        }

        if (!CryptographicOperations.FixedTimeEquals(signature, _expectedServerSignature))
        {
            throw Fail("the server signature is wrong (the server may not be who it claims to be)");
        }

        _state = State.Verified;
    }

    private (byte[] ClientKey, byte[] ServerKey) DeriveKeys(byte[] salt, int iterations, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        byte[] salted = iterations <= OneShotIterations || !cancellationToken.CanBeCanceled
            ? _algorithm.Hi(_preparedPassword, salt, iterations)
            : _algorithm.HiCancellable(_preparedPassword, salt, iterations, cancellationToken);
        var clientKey = new byte[_algorithm.HashSize];
        var serverKey = new byte[_algorithm.HashSize];
        _algorithm.Hmac(salted, "Client Key"u8, clientKey);
        _algorithm.Hmac(salted, "Server Key"u8, serverKey);
        CryptographicOperations.ZeroMemory(salted);
        return (clientKey, serverKey);
    }

    private string DecodeUtf8(ReadOnlySpan<byte> payload)
    {
        try
        {
            return new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(payload);
        }
        catch (DecoderFallbackException)
        {
            throw Fail("the server message is not valid UTF-8");
        }
    }

    private MongoAuthenticationException Fail(string reason) => new(_algorithm.Mechanism + " authentication failed: " + reason + ".");

    internal static string EscapeUsername(string username) =>
        username.Replace("=", "=3D", StringComparison.Ordinal).Replace(",", "=2C", StringComparison.Ordinal);

    private static string GenerateNonce()
    {
        Span<byte> random = stackalloc byte[24];
        RandomNumberGenerator.Fill(random);
        return Convert.ToBase64String(random);
    }
}
