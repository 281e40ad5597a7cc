using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Mongo.Testing;

/// <summary>
/// Certificates made on the fly for TLS and MONGODB-X509 tests (ECDSA P-256, valid from yesterday to tomorrow):
/// self-signed ones, a CA, server and client certificates it issues, and PEM files for tlsCAFile/tlsCertificateKeyFile.
/// </summary>
public static class TestCertificates
{
    private static readonly Oid s_serverAuth = new("1.3.6.1.5.5.7.3.1");
    private static readonly Oid s_clientAuth = new("1.3.6.1.5.5.7.3.2");

    /// <summary>A self-signed certificate (with its key) valid for a DNS name and optionally an IP address, usable by servers and clients.</summary>
    public static X509Certificate2 CreateSelfSigned(string subject, string dnsName, IPAddress? ip = null)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(AlternativeNames(dnsName, ip));
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([s_serverAuth, s_clientAuth], false));
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
    }

    /// <summary>A certificate authority (with its key) to issue server and client certificates.</summary>
    public static X509Certificate2 CreateAuthority(string subject = "CN=Mongo Test CA,O=Mongo Tests")
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-2), DateTimeOffset.UtcNow.AddDays(2));
    }

    /// <summary>A server certificate for localhost and 127.0.0.1 issued by <paramref name="authority"/>.</summary>
    public static X509Certificate2 IssueServer(X509Certificate2 authority, string subject = "CN=localhost,O=Mongo Tests") =>
        Issue(authority, new X500DistinguishedName(subject), s_serverAuth, AlternativeNames("localhost", IPAddress.Loopback));

    /// <summary>A client certificate (for MONGODB-X509) with <paramref name="subject"/> issued by <paramref name="authority"/>.</summary>
    public static X509Certificate2 IssueClient(X509Certificate2 authority, X500DistinguishedName subject) =>
        Issue(authority, subject, s_clientAuth, null);

    /// <summary>Writes a certificate's PEM (tlsCAFile) and returns the path.</summary>
    public static string WriteCertificatePem(X509Certificate2 certificate, string path)
    {
        File.WriteAllText(path, certificate.ExportCertificatePem() + "\n");
        return path;
    }

    /// <summary>Writes a certificate and its private key as one PEM file (tlsCertificateKeyFile), the key encrypted when a password is given.</summary>
    public static string WriteCertificateKeyPem(X509Certificate2 certificate, string path, string? password = null)
    {
        using ECDsa key = certificate.GetECDsaPrivateKey() ?? throw new ArgumentException("The certificate has no ECDSA private key.", nameof(certificate));
        string keyPem = password is null
            ? key.ExportPkcs8PrivateKeyPem()
            : key.ExportEncryptedPkcs8PrivateKeyPem(password, new PbeParameters(PbeEncryptionAlgorithm.Aes256Cbc, HashAlgorithmName.SHA256, 1000));
        File.WriteAllText(path, certificate.ExportCertificatePem() + "\n" + keyPem + "\n");
        return path;
    }

    private static X509Certificate2 Issue(X509Certificate2 authority, X500DistinguishedName subject, Oid usage, X509Extension? names)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        if (names is not null)
        {
            request.CertificateExtensions.Add(names);
        }

        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyAgreement, false));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([usage], false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(authority, true, false));
        byte[] serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7F;
        using X509Certificate2 issued = request.Create(authority, DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1), serial);
        return issued.CopyWithPrivateKey(key);
    }

    private static X509Extension AlternativeNames(string dnsName, IPAddress? ip)
    {
        var san = new SubjectAlternativeNameBuilder();
        san.AddDnsName(dnsName);
        if (ip is not null)
        {
            san.AddIpAddress(ip);
        }

        return san.Build();
    }
}
