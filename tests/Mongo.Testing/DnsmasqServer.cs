using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Mongo.Testing;

/// <summary>
/// A real DNS server for tests: dnsmasq on a free 127.0.0.1 port, serving only the records given (no upstream,
/// no /etc/hosts). <see cref="TryStart"/> returns null with a reason when dnsmasq is not installed.
/// </summary>
public sealed class DnsmasqServer : IDisposable
{
    private readonly Process _process;
    private readonly string _directory;

    private DnsmasqServer(Process process, string directory, IPEndPoint endPoint)
    {
        _process = process;
        _directory = directory;
        EndPoint = endPoint;
    }

    /// <summary>Where the server listens (UDP and TCP).</summary>
    public IPEndPoint EndPoint { get; }

    /// <summary>The dnsmasq binary, or null when it is not installed.</summary>
    public static string? FindBinary()
    {
        foreach (string dir in (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator).Append("/usr/sbin").Append("/sbin"))
        {
            if (dir.Length > 0 && File.Exists(Path.Combine(dir, "dnsmasq")))
            {
                return Path.Combine(dir, "dnsmasq");
            }
        }

        return null;
    }

    /// <summary>
    /// Starts dnsmasq with the given configuration lines (e.g. <c>srv-host=...</c>, <c>txt-record=...</c>,
    /// <c>host-record=...</c>, <c>local=/example/</c>). Returns null and a reason when it cannot run.
    /// </summary>
    public static DnsmasqServer? TryStart(IEnumerable<string> configLines, out string? reason)
    {
        string? binary = FindBinary();
        if (binary is null)
        {
            reason = "dnsmasq is not installed (Debian package dnsmasq-base); the DNS seedlist tests need a real DNS server.";
            return null;
        }

        string directory = Directory.CreateTempSubdirectory("mongo-dnsmasq-").FullName;
        string conf = Path.Combine(directory, "dnsmasq.conf");
        File.WriteAllLines(conf, configLines, new UTF8Encoding(false));
        string lastError = string.Empty;
        for (int attempt = 0; attempt < 5; attempt++)
        {
            int port = FreePort();
            var start = new ProcessStartInfo(binary)
            {
                RedirectStandardError = true,
                RedirectStandardOutput = true,
                UseShellExecute = false,
            };
            foreach (string arg in (string[])[
                "--keep-in-foreground", "--conf-file=" + conf, $"--port={port}", "--listen-address=127.0.0.1",
                "--bind-interfaces", "--no-resolv", "--no-hosts", "--no-poll", "--local-ttl=300", "--user=root",
                "--pid-file=" + Path.Combine(directory, "dnsmasq.pid"), "--log-facility=" + Path.Combine(directory, "dnsmasq.log")])
            {
                start.ArgumentList.Add(arg);
            }

            var process = Process.Start(start)!;
            var endPoint = new IPEndPoint(IPAddress.Loopback, port);
            if (WaitUntilAnswering(endPoint, process))
            {
                reason = null;
                return new DnsmasqServer(process, directory, endPoint);
            }

            lastError = process.HasExited ? process.StandardError.ReadToEnd() : "no answer within 5 s";
            if (!process.HasExited)
            {
                process.Kill();
            }

            process.WaitForExit(2000);
            process.Dispose();
        }

        Directory.Delete(directory, recursive: true);
        reason = "dnsmasq did not start: " + lastError.Trim();
        return null;
    }

    private static int FreePort()
    {
        // A port that is free for both UDP and TCP at the moment of the check.
        for (int i = 0; i < 50; i++)
        {
            using var tcp = new TcpListener(IPAddress.Loopback, 0);
            tcp.Start();
            int port = ((IPEndPoint)tcp.LocalEndpoint).Port;
            try
            {
                using var udp = new UdpClient(new IPEndPoint(IPAddress.Loopback, port));
                return port;
            }
            catch (SocketException)
            {
            }
        }

        throw new InvalidOperationException("No free loopback port found.");
    }

    private static bool WaitUntilAnswering(IPEndPoint endPoint, Process process)
    {
        // A minimal DNS query (id 1, RD, one question "." type SOA) — any reply means the server is up.
        byte[] query = [0, 1, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 6, 0, 1];
        using var udp = new UdpClient();
        udp.Client.ReceiveTimeout = 200;
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (DateTime.UtcNow < deadline && !process.HasExited)
        {
            try
            {
                udp.Send(query, query.Length, endPoint);
                var from = new IPEndPoint(IPAddress.Any, 0);
                if (udp.Receive(ref from).Length >= 12)
                {
                    return true;
                }
            }
            catch (SocketException)
            {
                Thread.Sleep(50);
            }
        }

        return false;
    }

    /// <summary>Stops dnsmasq and removes its files.</summary>
    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill();
                _process.WaitForExit(2000);
            }
        }
        finally
        {
            _process.Dispose();
            try
            {
                Directory.Delete(_directory, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }
}
