using System.Text;

namespace Mongo.Driver;

public sealed partial class MongoUrl
{
    private const string Redacted = "<redacted>";

    /// <summary>
    /// The structural pieces of a connection string (connection-string spec, "reference implementation" steps 1-9),
    /// before any option is interpreted. Kept so that SRV resolution can rebuild the URL with DNS seeds and TXT options.
    /// </summary>
    internal sealed class Parts
    {
        public bool IsSrv { get; init; }

        public bool HasUserInfo { get; init; }

        public string? Username { get; init; }

        public string? Password { get; init; }

        public string? RawUsername { get; init; }

        public required List<MongoServerAddress> Hosts { get; init; }

        public bool SrvHostHasPort { get; init; }

        public string? DatabaseName { get; init; }

        public string RawPath { get; init; } = string.Empty;

        public required List<KeyValuePair<string, string>> Options { get; init; }

        public required List<KeyValuePair<string, string>> RawOptions { get; init; }

        public static Parts Split(string connectionString)
        {
            ArgumentNullException.ThrowIfNull(connectionString);
            bool isSrv;
            string rest;
            if (connectionString.StartsWith("mongodb://", StringComparison.OrdinalIgnoreCase))
            {
                isSrv = false;
                rest = connectionString["mongodb://".Length..];
            }
            else if (connectionString.StartsWith("mongodb+srv://", StringComparison.OrdinalIgnoreCase))
            {
                isSrv = true;
                rest = connectionString["mongodb+srv://".Length..];
            }
            else
            {
                int colon = connectionString.IndexOf("://", StringComparison.Ordinal);
                throw new MongoConfigurationException(colon > 0
                    ? $"Invalid connection string: unsupported scheme '{connectionString[..colon]}' (expected 'mongodb' or 'mongodb+srv')."
                    : "Invalid connection string: it must start with 'mongodb://' or 'mongodb+srv://'.");
            }

            // The host information ends at the first '/' or '?'; an '@' after that belongs to the options.
            int end = rest.AsSpan().IndexOfAny('/', '?');
            string hostInfo = end < 0 ? rest : rest[..end];
            string tail = end < 0 ? string.Empty : rest[end..];

            string? username = null, password = null, rawUsername = null;
            bool hasUserInfo = false;
            int at = hostInfo.LastIndexOf('@');
            if (at >= 0)
            {
                hasUserInfo = true;
                string userInfo = hostInfo[..at];
                ValidateUserInfo(userInfo);
                int colon = userInfo.IndexOf(':');
                rawUsername = colon < 0 ? userInfo : userInfo[..colon];
                username = Uri.UnescapeDataString(rawUsername);
                password = colon < 0 ? null : Uri.UnescapeDataString(userInfo[(colon + 1)..]);
                hostInfo = hostInfo[(at + 1)..];
            }

            if (at < 0 && UserInfoWasCut(rest, end))
            {
                // "user:pa/ss@host": the '/' (or '?') ended the host part inside the password. Parsing on would echo
                // the password's pieces as a bad port, database or option name, so stop here and say why.
                throw new MongoConfigurationException(
                    "Invalid connection string: the user name or password contains an unescaped '/', '?' or '@'; percent-encode those characters (e.g. '/' as %2F).");
            }

            if (hostInfo.Length == 0)
            {
                throw new MongoConfigurationException(tail.Contains(".sock", StringComparison.OrdinalIgnoreCase)
                    ? "Invalid connection string: no host given. UNIX domain socket paths must be URL encoded (e.g. '%2Ftmp%2Fmongodb-27017.sock')."
                    : "Invalid connection string: no host given.");
            }

            var hosts = new List<MongoServerAddress>();
            bool srvHostHasPort = false;
            foreach (string rawHost in hostInfo.Split(','))
            {
                string host = Uri.UnescapeDataString(rawHost);
                if (!MongoServerAddress.TryParse(host, out var address, out string? error))
                {
                    throw new MongoConfigurationException("Invalid connection string: " + error);
                }

                if (address.Type == MongoServerAddressType.Hostname)
                {
                    // Host names are case-insensitive; SDAM compares them in lower case.
                    srvHostHasPort |= host.Contains(':');
                    address = new MongoServerAddress(address.Host.ToLowerInvariant(), address.Port);
                }
                else if (address.Type != MongoServerAddressType.UnixSocket)
                {
                    srvHostHasPort |= host.LastIndexOf(':') > host.LastIndexOf(']');
                }

                hosts.Add(address);
            }

            string? database = null;
            string query = string.Empty;
            string rawPath = string.Empty;
            if (tail.Length > 0)
            {
                if (tail[0] == '/')
                {
                    int q = tail.IndexOf('?');
                    rawPath = q < 0 ? tail[1..] : tail[1..q];
                    query = q < 0 ? string.Empty : tail[(q + 1)..];
                    if (rawPath.Length > 0)
                    {
                        database = Uri.UnescapeDataString(rawPath);
                        int bad = database.AsSpan().IndexOfAny("/\\ \"$");
                        if (bad >= 0)
                        {
                            throw new MongoConfigurationException(
                                $"Invalid connection string: the database name '{database}' contains the prohibited character '{database[bad]}'.");
                        }
                    }
                }
                else
                {
                    query = tail[1..];
                }
            }

            var options = new List<KeyValuePair<string, string>>();
            var rawOptions = new List<KeyValuePair<string, string>>();
            if (query.Length > 0)
            {
                foreach (string pair in query.Split('&'))
                {
                    if (pair.Length == 0)
                    {
                        continue;
                    }

                    int eq = pair.IndexOf('=');
                    if (eq <= 0)
                    {
                        throw new MongoConfigurationException(
                            $"Invalid connection string: the option '{Uri.UnescapeDataString(eq < 0 ? pair : pair[..eq])}' has no value (expected key=value).");
                    }

                    rawOptions.Add(new(pair[..eq], pair[(eq + 1)..]));
                    options.Add(new(Uri.UnescapeDataString(pair[..eq]), Uri.UnescapeDataString(pair[(eq + 1)..])));
                }
            }

            return new Parts
            {
                IsSrv = isSrv,
                HasUserInfo = hasUserInfo,
                Username = username,
                Password = password,
                RawUsername = rawUsername,
                Hosts = hosts,
                SrvHostHasPort = srvHostHasPort,
                DatabaseName = database,
                RawPath = rawPath,
                Options = options,
                RawOptions = rawOptions,
            };
        }

        /// <summary>
        /// Userinfo must follow RFC 3986: unreserved, sub-delims, ':' once, and well-formed percent-encoding.
        /// The message never repeats the user information, because it contains the password.
        /// </summary>
        private static void ValidateUserInfo(string userInfo)
        {
            int colons = 0;
            for (int i = 0; i < userInfo.Length; i++)
            {
                char c = userInfo[i];
                string? problem = null;
                if (c == ':')
                {
                    if (++colons > 1)
                    {
                        problem = "more than one unescaped ':'";
                    }
                }
                else if (c == '%')
                {
                    if (i + 2 >= userInfo.Length || !char.IsAsciiHexDigit(userInfo[i + 1]) || !char.IsAsciiHexDigit(userInfo[i + 2]))
                    {
                        problem = "a '%' that is not followed by two hexadecimal digits";
                    }
                }
                else if (c == '@')
                {
                    problem = "an unescaped '@'";
                }
                else if (c < 0x80 && !char.IsAsciiLetterOrDigit(c) && "-._~!$&'()*+,;=".IndexOf(c) < 0)
                {
                    problem = $"the character '{(char.IsControl(c) ? '?' : c)}' which must be escaped";
                }

                if (problem is not null)
                {
                    throw new MongoConfigurationException(
                        $"Invalid connection string: the user name or password contains {problem}. Percent-encode the user name and password (RFC 3986).");
                }
            }
        }

        public string BuildRedacted(IReadOnlyList<MongoServerAddress>? resolvedHosts)
        {
            var sb = new StringBuilder(IsSrv && resolvedHosts is null ? "mongodb+srv://" : "mongodb://");
            if (HasUserInfo)
            {
                sb.Append(RawUsername);
                if (Password is not null)
                {
                    sb.Append(':').Append(Redacted);
                }

                sb.Append('@');
            }

            var hosts = resolvedHosts ?? Hosts;
            for (int i = 0; i < hosts.Count; i++)
            {
                if (i > 0)
                {
                    sb.Append(',');
                }

                var h = hosts[i];
                sb.Append(h.IsUnixSocket ? Uri.EscapeDataString(h.Host) : IsSrv && resolvedHosts is null ? h.Host : h.ToString());
            }

            if (RawPath.Length > 0 || RawOptions.Count > 0)
            {
                sb.Append('/').Append(RawPath);
            }

            for (int i = 0; i < RawOptions.Count; i++)
            {
                var (key, value) = RawOptions[i];
                sb.Append(i == 0 ? '?' : '&').Append(key).Append('=').Append(IsSecret(Uri.UnescapeDataString(key)) ? Redacted : value);
            }

            return sb.ToString();
        }

        /// <summary>
        /// Whether an '@' after the end of the host part (<paramref name="end"/>) belongs to user information that a '/'
        /// or '?' cut short: it precedes every option's '=' (an '@' inside an option value, as in appName=a@b, does not).
        /// </summary>
        private static bool UserInfoWasCut(string rest, int end)
        {
            if (end < 0)
            {
                return false;
            }

            int at = rest.IndexOf('@', end);
            if (at < 0)
            {
                return false;
            }

            int equals = rest.IndexOf('=', end);
            return equals < 0 || at < equals;
        }

        private static bool IsSecret(string key) => IsSensitiveOption(key);
    }
}
