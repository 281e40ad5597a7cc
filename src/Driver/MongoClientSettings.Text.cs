using System.Text;

namespace Mongo.Driver;

public sealed partial class MongoClientSettings
{
    /// <summary>
    /// Checks the combinations the specs forbid, as a connection string does (e.g. <c>loadBalanced</c> with
    /// several hosts, <c>directConnection</c> with SRV, <c>minPoolSize</c> above <c>maxPoolSize</c>).
    /// </summary>
    /// <exception cref="MongoConfigurationException">A combination is invalid; the message names the options.</exception>
    public void Validate()
    {
        bool srv = Scheme == ConnectionStringScheme.MongoDBPlusSrv;
        if (srv && _servers.Count != 1)
        {
            throw new MongoConfigurationException("Invalid settings: mongodb+srv requires exactly one SRV host name.");
        }

        if (DirectConnection == true && (srv || _servers.Count > 1))
        {
            throw new MongoConfigurationException("Invalid settings: 'directConnection=true' requires exactly one host and no SRV.");
        }

        if (LoadBalanced)
        {
            if (!srv && _servers.Count > 1)
            {
                throw new MongoConfigurationException("Invalid settings: 'loadBalanced=true' requires exactly one host.");
            }

            if (DirectConnection == true || ReplicaSetName is not null)
            {
                throw new MongoConfigurationException("Invalid settings: 'loadBalanced=true' cannot be combined with 'directConnection=true' or 'replicaSet'.");
            }
        }

        if (SrvMaxHosts > 0 && (ReplicaSetName is not null || LoadBalanced))
        {
            throw new MongoConfigurationException("Invalid settings: a positive 'srvMaxHosts' cannot be combined with 'replicaSet' or 'loadBalanced=true'.");
        }

        if (MaxPoolSize != 0 && MinPoolSize > MaxPoolSize)
        {
            throw new MongoConfigurationException("Invalid settings: 'minPoolSize' must not exceed 'maxPoolSize'.");
        }

        if ((ProxyUsername is null) != (ProxyPassword is null) || (ProxyHost is null && (ProxyPort is not null || ProxyUsername is not null)))
        {
            throw new MongoConfigurationException("Invalid settings: proxy options require 'proxyHost', and 'proxyUsername' and 'proxyPassword' go together.");
        }
    }

    /// <summary>
    /// The settings as a connection string: the hosts, the user name, the default database and every option that
    /// differs from its default, each rendered by the option table. Passwords and secret option values (see
    /// <see cref="MongoUrl.ToString"/>) are shown as <c>&lt;redacted&gt;</c>. Code-only settings (event subscribers,
    /// loggers, serializers, the DNS resolver, the Stable API) are not shown.
    /// </summary>
    public override string ToString() => ToConnectionString(redact: true);

    /// <summary>
    /// The settings as a connection string that parses back to the same settings (for settings a connection string
    /// can express); with <paramref name="redact"/>, secrets are replaced by <c>&lt;redacted&gt;</c>.
    /// </summary>
    internal string ToConnectionString(bool redact)
    {
        const string Redacted = "<redacted>";
        bool srv = Scheme == ConnectionStringScheme.MongoDBPlusSrv;
        var sb = new StringBuilder(srv ? "mongodb+srv://" : "mongodb://");
        if (Credential is { Username: { } user } credential)
        {
            sb.Append(Uri.EscapeDataString(user));
            if (credential.Password is { } password)
            {
                sb.Append(':').Append(redact ? Redacted : Uri.EscapeDataString(password));
            }

            sb.Append('@');
        }

        for (int i = 0; i < _servers.Count; i++)
        {
            MongoServerAddress server = _servers[i];
            sb.Append(i == 0 ? string.Empty : ",")
                .Append(server.IsUnixSocket ? Uri.EscapeDataString(server.Host) : srv ? server.Host : server.ToString());
        }

        sb.Append('/');
        if (DefaultDatabase is not null)
        {
            sb.Append(Uri.EscapeDataString(DefaultDatabase));
        }

        char separator = '?';
        foreach (MongoUrl.OptionDescriptor option in MongoUrl.OptionTable)
        {
            if (option.Render is null)
            {
                continue;
            }

            foreach (string value in option.Render(this))
            {
                sb.Append(separator).Append(option.Name).Append('=').Append(redact && option.Sensitive ? Redacted : Uri.EscapeDataString(value));
                separator = '&';
            }
        }

        return sb.ToString();
    }
}
