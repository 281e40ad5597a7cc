using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Mongo.InMemory.Auth;

namespace Mongo.InMemory.Server;

/// <summary>Wraps an accepted connection in TLS when <see cref="InMemoryMongoServerOptions.TlsCertificate"/> is set.</summary>
internal static class TlsServerStream
{
    /// <summary>Runs the server side of the TLS handshake; null (stream closed) when it fails.</summary>
    public static async Task<SslStream?> AuthenticateAsync(Stream inner, InMemoryMongoServerOptions options, CancellationToken cancellationToken)
    {
        var ssl = new SslStream(inner, leaveInnerStreamOpen: false);
        var serverOptions = new SslServerAuthenticationOptions
        {
            ServerCertificate = options.TlsCertificate,

            // Always ask for a certificate (as mongod with a CA file does), so clients can authenticate with
            // MONGODB-X509; whether one is required is decided in the callback.
            ClientCertificateRequired = true,
            RemoteCertificateValidationCallback = (_, certificate, chain, _) => AcceptClientCertificate(certificate, chain, options),
        };
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(10));
            await ssl.AuthenticateAsServerAsync(serverOptions, timeout.Token).ConfigureAwait(false);
            return ssl;
        }
        catch (Exception ex) when (ex is AuthenticationException or IOException or OperationCanceledException)
        {
            await ssl.DisposeAsync().ConfigureAwait(false);
            return null;
        }
    }

    /// <summary>The RFC 2253 subject of the client's certificate, or null when it presented none.</summary>
    public static string? ClientSubject(SslStream stream)
    {
        if (stream.RemoteCertificate is not { } certificate)
        {
            return null;
        }

        try
        {
            if (certificate is X509Certificate2 full)
            {
                return X509Subject.Format(full);
            }

            using var copy = new X509Certificate2(certificate);
            return X509Subject.Format(copy);
        }
        catch (CryptographicException)
        {
            return null; // an unreadable subject authenticates nobody
        }
    }

    /// <summary>
    /// No certificate: fine unless <see cref="InMemoryMongoServerOptions.TlsRequireClientCertificate"/>. A certificate:
    /// with <see cref="InMemoryMongoServerOptions.TlsClientCertificateAuthority"/> it must chain to that CA; without
    /// one, any certificate is accepted (a test server trusts its clients' certificates).
    /// </summary>
    private static bool AcceptClientCertificate(X509Certificate? certificate, X509Chain? chain, InMemoryMongoServerOptions options)
    {
        if (certificate is null)
        {
            return !options.TlsRequireClientCertificate;
        }

        if (options.TlsClientCertificateAuthority is not { } authority)
        {
            return true;
        }

        using var customChain = new X509Chain();
        customChain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        customChain.ChainPolicy.CustomTrustStore.Add(authority);
        customChain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        if (chain is not null)
        {
            foreach (X509ChainElement element in chain.ChainElements)
            {
                customChain.ChainPolicy.ExtraStore.Add(element.Certificate);
            }
        }

        using var leaf = new X509Certificate2(certificate);
        return customChain.Build(leaf);
    }
}
