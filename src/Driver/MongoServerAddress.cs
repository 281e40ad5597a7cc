using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Mongo.Driver;

/// <summary>What kind of endpoint a <see cref="MongoServerAddress"/> names.</summary>
public enum MongoServerAddressType
{
    /// <summary>A DNS host name.</summary>
    Hostname,

    /// <summary>An IPv4 address in dotted-decimal form.</summary>
    IPv4,

    /// <summary>An IP literal (IPv6), written in brackets in a connection string.</summary>
    IPLiteral,

    /// <summary>A UNIX domain socket path (ends in <c>.sock</c>).</summary>
    UnixSocket,
}

/// <summary>
/// The address of one server: a host (name, IPv4 address or IPv6 literal) and port, or a UNIX domain
/// socket path. Host names are compared case-insensitively; socket paths exactly.
/// </summary>
public sealed class MongoServerAddress : IEquatable<MongoServerAddress>
{
    /// <summary>The port used when none is given: 27017.</summary>
    public const int DefaultPort = 27017;

    /// <summary>Creates the address of a host and port. The host may be a name, an IPv4 address or an IPv6 literal (with or without brackets).</summary>
    /// <exception cref="ArgumentException">The host is empty or the port is outside 1..65535.</exception>
    public MongoServerAddress(string host, int port = DefaultPort)
    {
        ArgumentException.ThrowIfNullOrEmpty(host);
        if (port is < 1 or > 65535)
        {
            throw new ArgumentOutOfRangeException(nameof(port), port, "A port must be between 1 and 65535.");
        }

        if (host.Length > 2 && host[0] == '[' && host[^1] == ']')
        {
            host = host[1..^1];
        }

        Host = host;
        Port = port;
        Type = Classify(host);
    }

    private MongoServerAddress(string socketPath)
    {
        Host = socketPath;
        Port = 0;
        Type = MongoServerAddressType.UnixSocket;
    }

    /// <summary>Creates the address of a UNIX domain socket.</summary>
    /// <exception cref="ArgumentException">The path is empty or does not end in <c>.sock</c>.</exception>
    public static MongoServerAddress ForUnixSocket(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!path.EndsWith(".sock", StringComparison.OrdinalIgnoreCase))
        {
            throw new ArgumentException($"A UNIX domain socket path must end in '.sock': '{path}'.", nameof(path));
        }

        return new MongoServerAddress(path);
    }

    /// <summary>The host name or IP address (IPv6 without brackets), or the socket path.</summary>
    public string Host { get; }

    /// <summary>The TCP port; 0 for a UNIX domain socket.</summary>
    public int Port { get; }

    /// <summary>What kind of endpoint this is.</summary>
    public MongoServerAddressType Type { get; }

    /// <summary>Whether this is a UNIX domain socket.</summary>
    public bool IsUnixSocket => Type == MongoServerAddressType.UnixSocket;

    /// <summary>
    /// Parses <c>host</c>, <c>host:port</c>, <c>[ipv6]</c>, <c>[ipv6]:port</c> or a socket path ending in
    /// <c>.sock</c> that contains a slash.
    /// </summary>
    /// <exception cref="FormatException">The text is not a valid address.</exception>
    public static MongoServerAddress Parse(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return TryParse(value, out var address, out string? error) ? address : throw new FormatException(error);
    }

    /// <summary>Parses an address like <see cref="Parse"/>, returning false instead of throwing.</summary>
    public static bool TryParse(string? value, [NotNullWhen(true)] out MongoServerAddress? address) =>
        TryParse(value, out address, out _);

    internal static bool TryParse(string? value, [NotNullWhen(true)] out MongoServerAddress? address, [NotNullWhen(false)] out string? error)
    {
        address = null;
        if (string.IsNullOrEmpty(value))
        {
            error = "A host must not be empty.";
            return false;
        }

        if (value.Contains('/') || value.Contains('\\'))
        {
            if (!value.EndsWith(".sock", StringComparison.OrdinalIgnoreCase))
            {
                error = $"Unsupported host '{value}': a UNIX domain socket path must end in '.sock'.";
                return false;
            }

            address = new MongoServerAddress(value);
            error = null;
            return true;
        }

        string host;
        string? portText = null;
        if (value[0] == '[')
        {
            int close = value.IndexOf(']');
            if (close < 0)
            {
                error = $"Invalid host '{value}': an IP literal is missing its closing ']'.";
                return false;
            }

            host = value[1..close];
            if (!IPAddress.TryParse(host, out var ip) || ip.AddressFamily != AddressFamily.InterNetworkV6)
            {
                error = $"Invalid host '{value}': '{host}' is not an IPv6 address.";
                return false;
            }

            string rest = value[(close + 1)..];
            if (rest.Length > 0)
            {
                if (rest[0] != ':')
                {
                    error = $"Invalid host '{value}': unexpected text after the IP literal.";
                    return false;
                }

                portText = rest[1..];
            }
        }
        else
        {
            int colon = value.IndexOf(':');
            if (colon >= 0)
            {
                if (value.IndexOf(':', colon + 1) >= 0)
                {
                    error = $"Invalid host '{value}': more than one ':' (IPv6 addresses must be enclosed in brackets).";
                    return false;
                }

                host = value[..colon];
                portText = value[(colon + 1)..];
            }
            else
            {
                host = value;
            }

            if (host.Length == 0)
            {
                error = $"Invalid host '{value}': the host name is empty.";
                return false;
            }
        }

        int port = DefaultPort;
        if (portText is not null && !TryParsePort(portText, out port))
        {
            error = $"Invalid port '{portText}' in host '{value}': a port must be an integer between 1 and 65535.";
            return false;
        }

        address = new MongoServerAddress(host, port);
        error = null;
        return true;
    }

    private static bool TryParsePort(string text, out int port)
    {
        port = 0;
        if (text.Length is 0 or > 5)
        {
            return false;
        }

        foreach (char c in text)
        {
            if (c is < '0' or > '9')
            {
                return false;
            }
        }

        port = int.Parse(text, NumberStyles.None, CultureInfo.InvariantCulture);
        return port is >= 1 and <= 65535;
    }

    private static MongoServerAddressType Classify(string host)
    {
        if (host.Contains(':'))
        {
            return MongoServerAddressType.IPLiteral;
        }

        // Only canonical dotted-quad counts as IPv4 ("256.0.0.1" is a host name, as the connection-string spec says).
        int dots = 0;
        foreach (char c in host)
        {
            if (c == '.')
            {
                dots++;
            }
            else if (c is < '0' or > '9')
            {
                return MongoServerAddressType.Hostname;
            }
        }

        return dots == 3 && IPAddress.TryParse(host, out var ip) && ip.AddressFamily == AddressFamily.InterNetwork && ip.ToString() == host
            ? MongoServerAddressType.IPv4
            : MongoServerAddressType.Hostname;
    }

    /// <inheritdoc />
    public bool Equals(MongoServerAddress? other) =>
        other is not null && Port == other.Port && Type == other.Type &&
        string.Equals(Host, other.Host, IsUnixSocket ? StringComparison.Ordinal : StringComparison.OrdinalIgnoreCase);

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as MongoServerAddress);

    /// <inheritdoc />
    public override int GetHashCode() =>
        HashCode.Combine(IsUnixSocket ? StringComparer.Ordinal.GetHashCode(Host) : StringComparer.OrdinalIgnoreCase.GetHashCode(Host), Port);

    /// <summary><c>host:port</c>, <c>[ipv6]:port</c>, or the socket path.</summary>
    public override string ToString() => Type switch
    {
        MongoServerAddressType.UnixSocket => Host,
        MongoServerAddressType.IPLiteral => string.Create(CultureInfo.InvariantCulture, $"[{Host}]:{Port}"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{Host}:{Port}"),
    };
}
