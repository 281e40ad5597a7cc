using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Mongo.Driver.Connections;

/// <summary>Certificate loading and server certificate validation for TLS connections.</summary>
internal static class TlsCertificates
{
    /// <summary>Loads a PEM file holding a certificate and its (optionally encrypted) private key.</summary>
    public static X509Certificate2 LoadClientCertificate(string path, string? password)
    {
        try
        {
            X509Certificate2 pem = password is null
                ? X509Certificate2.CreateFromPemFile(path)
                : X509Certificate2.CreateFromEncryptedPemFile(path, password);

            // SslStream on Windows needs a certificate whose key is not ephemeral; exporting to PKCS#12 and
            // loading it back gives a persisted key on every platform.
            using (pem)
            {
                byte[] pkcs12 = pem.Export(X509ContentType.Pkcs12);
#if NET9_0_OR_GREATER
                return X509CertificateLoader.LoadPkcs12(pkcs12, null);
#else
                return new X509Certificate2(pkcs12);
#endif
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or CryptographicException or ArgumentException)
        {
            // Never include the password in the message.
            throw new MongoConfigurationException("tlsCertificateKeyFile '" + path + "' could not be loaded (it must be PEM with the certificate and private key): " + ex.Message, ex);
        }
    }

    /// <summary>
    /// Validates a server certificate: with a custom CA the chain is rebuilt against that CA only;
    /// tlsAllowInvalidHostnames ignores name mismatches; tlsAllowInvalidCertificates accepts anything. Revocation
    /// checking soft-fails (OCSP spec): a certificate whose status cannot be determined (no CRL or OCSP endpoint,
    /// responder offline) is accepted; only a certificate known to be revoked is refused.
    /// </summary>
    public static bool Validate(X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors, TlsSettings tls, X509Certificate2Collection? caCertificates)
    {
        if (tls.AllowInvalidCertificates)
        {
            return true;
        }

        if (tls.AllowInvalidHostnames)
        {
            errors &= ~SslPolicyErrors.RemoteCertificateNameMismatch;
        }

        bool customRoots = caCertificates is { Count: > 0 };
        if (errors == SslPolicyErrors.None && !customRoots)
        {
            return true;
        }

        // Name mismatch and "no certificate" still count; chain errors are re-evaluated (against our CA, if any).
        if (certificate is null || (errors & ~SslPolicyErrors.RemoteCertificateChainErrors) != SslPolicyErrors.None)
        {
            return false;
        }

        using var customChain = new X509Chain();
        if (customRoots)
        {
            customChain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            customChain.ChainPolicy.CustomTrustStore.AddRange(caCertificates!);
        }

        customChain.ChainPolicy.RevocationMode = tls.CheckCertificateRevocation ? X509RevocationMode.Online : X509RevocationMode.NoCheck;
        customChain.ChainPolicy.VerificationFlags = X509VerificationFlags.IgnoreCertificateAuthorityRevocationUnknown
            | X509VerificationFlags.IgnoreEndRevocationUnknown
            | X509VerificationFlags.IgnoreCtlSignerRevocationUnknown
            | X509VerificationFlags.IgnoreRootRevocationUnknown;
        if (chain is not null)
        {
            foreach (X509ChainElement element in chain.ChainElements)
            {
                customChain.ChainPolicy.ExtraStore.Add(element.Certificate);
            }
        }

        using var leaf = new X509Certificate2(certificate);
        if (customChain.Build(leaf))
        {
            return true;
        }

        // Offline revocation sources are not a verdict either (soft fail); anything else is.
        foreach (X509ChainStatus status in customChain.ChainStatus)
        {
            if (status.Status is not (X509ChainStatusFlags.RevocationStatusUnknown or X509ChainStatusFlags.OfflineRevocation))
            {
                return false;
            }
        }

        return true;
    }
}
