using System.Net.Security;
using System.Security.Authentication;

namespace Mongo.InMemory.Server;

/// <summary>Wraps an accepted connection in TLS when <see cref="InMemoryMongoServerOptions.TlsCertificate"/> is set.</summary>
internal static class TlsServerStream
{
    /// <summary>Runs the server side of the TLS handshake; null (stream closed) when it fails.</summary>
    public static async Task<Stream?> AuthenticateAsync(Stream inner, InMemoryMongoServerOptions options, CancellationToken cancellationToken)
    {
        var ssl = new SslStream(inner, leaveInnerStreamOpen: false);
        var serverOptions = new SslServerAuthenticationOptions
        {
            ServerCertificate = options.TlsCertificate,
            ClientCertificateRequired = options.TlsRequireClientCertificate,

            // The test server accepts any client certificate; it only records that one was presented.
            RemoteCertificateValidationCallback = (_, certificate, _, _) => !options.TlsRequireClientCertificate || certificate is not null,
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
}
