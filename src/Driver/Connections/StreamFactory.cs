using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;

namespace Mongo.Driver.Connections;

/// <summary>Opens the byte stream of a connection: TCP (IPv4/IPv6) or a unix domain socket, then TLS when configured.</summary>
internal static class StreamFactory
{
    public static async ValueTask<(Stream Stream, Socket? Socket)> OpenAsync(
        bool async, MongoServerAddress address, ConnectionSettings settings, CancellationToken cancellationToken)
    {
        if (settings.StreamFactory is { } custom)
        {
            return (await custom(address, cancellationToken).ConfigureAwait(false), null);
        }

        Deadline deadline = settings.ConnectTimeout == TimeSpan.Zero ? Deadline.Infinite : Deadline.After(settings.ConnectTimeout);
        Socket socket = await ConnectSocketAsync(async, address, deadline, cancellationToken).ConfigureAwait(false);
        Stream stream = new NetworkStream(socket, ownsSocket: true);
        if (settings.Tls is { } tls)
        {
            try
            {
                stream = await AuthenticateTlsAsync(async, stream, address, tls, deadline, cancellationToken).ConfigureAwait(false);
            }
            catch
            {
                await stream.DisposeAsync().ConfigureAwait(false);
                throw;
            }
        }

        return (stream, socket);
    }

    private static async ValueTask<Socket> ConnectSocketAsync(bool async, MongoServerAddress address, Deadline deadline, CancellationToken cancellationToken)
    {
        if (address.IsUnixSocket)
        {
            var unix = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            try
            {
                await ConnectAsync(async, unix, new UnixDomainSocketEndPoint(address.Host), address, deadline, cancellationToken).ConfigureAwait(false);
                return unix;
            }
            catch
            {
                unix.Dispose();
                throw;
            }
        }

        IPAddress[] addresses;
        if (IPAddress.TryParse(address.Host, out IPAddress? literal))
        {
            addresses = [literal];
        }
        else
        {
            try
            {
                addresses = async
                    ? await Dns.GetHostAddressesAsync(address.Host, cancellationToken).ConfigureAwait(false)
                    : Dns.GetHostAddresses(address.Host);
            }
            catch (SocketException ex)
            {
                throw new MongoConnectionException("Could not resolve host '" + address.Host + "' for server " + address + ": " + ex.Message, ex);
            }
        }

        Exception? last = null;
        foreach (IPAddress ip in addresses)
        {
            var socket = new Socket(ip.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            try
            {
                socket.NoDelay = true;
                socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.KeepAlive, true);
                await ConnectAsync(async, socket, new IPEndPoint(ip, address.Port), address, deadline, cancellationToken).ConfigureAwait(false);
                return socket;
            }
            catch (Exception ex) when (ex is MongoConnectionException or SocketException)
            {
                socket.Dispose();
                last = ex;
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }

        throw last as MongoConnectionException
            ?? new MongoConnectionException("Could not connect to server " + address + (last is null ? ": no addresses." : ": " + last.Message), last);
    }

    private static async ValueTask ConnectAsync(bool async, Socket socket, EndPoint endPoint, MongoServerAddress address, Deadline deadline, CancellationToken cancellationToken)
    {
        try
        {
            if (async)
            {
                using var timeout = deadline.IsInfinite ? null : CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                timeout?.CancelAfter(deadline.TimeLeft);
                try
                {
                    await socket.ConnectAsync(endPoint, timeout?.Token ?? cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    throw TimedOut(address, deadline);
                }

                return;
            }

            if (deadline.IsInfinite)
            {
                socket.Connect(endPoint);
                return;
            }

            // A blocking connect has no timeout: connect non-blocking and wait for writability.
            socket.Blocking = false;
            try
            {
                socket.Connect(endPoint);
            }
            catch (SocketException ex) when (ex.SocketErrorCode is SocketError.WouldBlock or SocketError.InProgress or SocketError.AlreadyInProgress)
            {
                long micros = (long)deadline.TimeLeft.TotalMicroseconds;
                if (!socket.Poll(micros > int.MaxValue ? -1 : (int)micros, SelectMode.SelectWrite))
                {
                    throw TimedOut(address, deadline);
                }

                int error = (int)socket.GetSocketOption(SocketOptionLevel.Socket, SocketOptionName.Error)!;
                if (error != 0)
                {
                    throw new SocketException(error);
                }
            }
            finally
            {
                socket.Blocking = true;
            }
        }
        catch (SocketException ex)
        {
            throw new MongoConnectionException("Could not connect to server " + address + " (" + endPoint + "): " + ex.Message, ex);
        }
    }

    private static MongoConnectionException TimedOut(MongoServerAddress address, Deadline deadline) =>
        new("Timed out connecting to server " + address + " (connectTimeoutMS" + (deadline.IsInfinite ? "" : " elapsed") + ").",
            new TimeoutException("connect timed out"));

    private static async ValueTask<Stream> AuthenticateTlsAsync(bool async, Stream inner, MongoServerAddress address, TlsSettings tls, Deadline deadline, CancellationToken cancellationToken)
    {
        X509Certificate2Collection? caCertificates = tls.CACertificates;
        if (caCertificates is null && tls.CAFile is not null)
        {
            caCertificates = new X509Certificate2Collection();
            try
            {
                caCertificates.ImportFromPemFile(tls.CAFile);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException)
            {
                throw new MongoConfigurationException("tlsCAFile '" + tls.CAFile + "' could not be read: " + ex.Message, ex);
            }
        }

        X509Certificate2? clientCertificate = tls.ClientCertificate;
        if (clientCertificate is null && tls.CertificateKeyFile is not null)
        {
            clientCertificate = TlsCertificates.LoadClientCertificate(tls.CertificateKeyFile, tls.CertificateKeyFilePassword);
        }

        RemoteCertificateValidationCallback validation = tls.ServerCertificateValidationCallback
            ?? ((_, certificate, chain, errors) => TlsCertificates.Validate(certificate, chain, errors, tls, caCertificates));
        var ssl = new SslStream(inner, leaveInnerStreamOpen: false);
        var options = new SslClientAuthenticationOptions
        {
            TargetHost = address.IsUnixSocket ? "localhost" : address.Host,
            ClientCertificates = clientCertificate is null ? null : [clientCertificate],
            EnabledSslProtocols = SslProtocols.None, // let the OS pick (TLS 1.2/1.3)
            CertificateRevocationCheckMode = tls.CheckCertificateRevocation ? X509RevocationMode.Online : X509RevocationMode.NoCheck,
            RemoteCertificateValidationCallback = validation,
        };
        try
        {
            if (async)
            {
                using var timeout = deadline.IsInfinite ? null : CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                timeout?.CancelAfter(deadline.TimeLeft);
                try
                {
                    await ssl.AuthenticateAsClientAsync(options, timeout?.Token ?? cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    throw new MongoConnectionException("Timed out during the TLS handshake with server " + address + ".");
                }
            }
            else
            {
                if (!deadline.IsInfinite)
                {
                    ssl.ReadTimeout = deadline.TimeLeftMilliseconds;
                    ssl.WriteTimeout = deadline.TimeLeftMilliseconds;
                }

                ssl.AuthenticateAsClient(options);
                ssl.ReadTimeout = Timeout.Infinite;
                ssl.WriteTimeout = Timeout.Infinite;
            }
        }
        catch (Exception ex) when (ex is AuthenticationException or IOException)
        {
            await ssl.DisposeAsync().ConfigureAwait(false);
            throw new MongoConnectionException("The TLS handshake with server " + address + " failed: " + ex.Message, ex);
        }

        return ssl;
    }
}
