namespace Mongo.Driver.Srv;

/// <summary>
/// The validation rules of initial-dns-seedlist-discovery: SRV targets must lie under the SRV name's
/// <c>{domainname}</c>, and TXT records may carry only a few options.
/// </summary>
internal static class SrvHostRules
{
    /// <summary>
    /// Whether an SRV target is acceptable for an SRV host. With three or more labels the domain is the host
    /// minus its first label and the target must end with "." + domain. With one or two labels the domain is the
    /// whole host, and the target must have at least one more label (so it cannot equal the host).
    /// </summary>
    public static bool IsValidTarget(string srvHost, string target)
    {
        string host = srvHost.TrimEnd('.').ToLowerInvariant();
        string t = target.TrimEnd('.').ToLowerInvariant();
        int labels = host.Count(c => c == '.') + 1;
        string domain = labels >= 3 ? host[(host.IndexOf('.') + 1)..] : host;
        return t.Length > domain.Length + 1 && t.EndsWith("." + domain, StringComparison.Ordinal);
    }

    /// <summary>Normalises a target for a seed list: lower case, no trailing dot.</summary>
    public static string NormalizeTarget(string target) => target.TrimEnd('.').ToLowerInvariant();

    /// <summary>
    /// Parses the TXT record text: <c>key=value</c> pairs joined by '&amp;'. Only authSource, replicaSet and
    /// loadBalanced are allowed; a malformed pair or any other option is an error naming the host.
    /// </summary>
    public static List<KeyValuePair<string, string>> ParseTxtOptions(string srvHost, string text)
    {
        var result = new List<KeyValuePair<string, string>>();
        foreach (string pair in text.Split('&'))
        {
            if (pair.Length == 0)
            {
                continue;
            }

            int eq = pair.IndexOf('=');
            if (eq <= 0 || eq == pair.Length - 1)
            {
                throw new MongoConfigurationException(
                    $"The TXT record of '{srvHost}' has a malformed option '{pair}' (expected key=value).");
            }

            string key = Uri.UnescapeDataString(pair[..eq]);
            if (!MongoUrl.TxtAllowedOptions.Contains(key.ToLowerInvariant()))
            {
                throw new MongoConfigurationException(
                    $"The TXT record of '{srvHost}' sets the option '{key}', but a TXT record may only set authSource, replicaSet and loadBalanced.");
            }

            result.Add(new(key, Uri.UnescapeDataString(pair[(eq + 1)..])));
        }

        return result;
    }

    /// <summary>Picks <paramref name="count"/> hosts at random (Fisher-Yates), or all when count is 0 or not smaller.</summary>
    public static List<T> SelectRandom<T>(IReadOnlyList<T> hosts, int count, Random random)
    {
        var list = new List<T>(hosts);
        if (count <= 0 || count >= list.Count)
        {
            return list;
        }

        for (int i = list.Count - 1; i > 0; i--)
        {
            int j = random.Next(i + 1);
            (list[i], list[j]) = (list[j], list[i]);
        }

        list.RemoveRange(count, list.Count - count);
        return list;
    }
}
