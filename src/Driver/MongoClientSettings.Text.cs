using System.Globalization;
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

    /// <summary>A readable summary of the settings; passwords are shown as <c>&lt;redacted&gt;</c>.</summary>
    public override string ToString()
    {
        var sb = new StringBuilder();
        sb.Append(Scheme == ConnectionStringScheme.MongoDBPlusSrv ? "mongodb+srv: " : "mongodb: ");
        sb.AppendJoin(",", _servers.Select(s => Scheme == ConnectionStringScheme.MongoDBPlusSrv ? s.Host : s.ToString()));
        Add(sb, "appName", ApplicationName);
        Add(sb, "credential", Credential?.ToString());
        Add(sb, "replicaSet", ReplicaSetName);
        Add(sb, "loadBalanced", _loadBalanced?.ToString());
        Add(sb, "directConnection", DirectConnection?.ToString());
        Add(sb, "tls", UseTls.ToString());
        Add(sb, "tlsCAFile", TlsCAFile);
        Add(sb, "tlsCertificateKeyFile", TlsCertificateKeyFile);
        Add(sb, "tlsCertificateKeyFilePassword", TlsCertificateKeyFilePassword is null ? null : "<redacted>");
        Add(sb, "compressors", _compressors.Count == 0 ? null : string.Join(",", _compressors));
        Add(sb, "connectTimeout", ConnectTimeout.ToString("c", CultureInfo.InvariantCulture));
        Add(sb, "serverSelectionTimeout", ServerSelectionTimeout.ToString("c", CultureInfo.InvariantCulture));
        Add(sb, "timeout", Timeout?.ToString("c", CultureInfo.InvariantCulture));
        Add(sb, "maxPoolSize", MaxPoolSize.ToString(CultureInfo.InvariantCulture));
        Add(sb, "minPoolSize", MinPoolSize.ToString(CultureInfo.InvariantCulture));
        Add(sb, "readPreference", ReadPreference.ToString());
        Add(sb, "readConcern", ReadConcern.IsServerDefault ? null : ReadConcern.ToString());
        Add(sb, "writeConcern", WriteConcern.IsServerDefault ? null : WriteConcern.ToString());
        Add(sb, "retryReads", RetryReads.ToString());
        Add(sb, "retryWrites", RetryWrites.ToString());
        Add(sb, "proxy", ProxyHost is null ? null : string.Create(CultureInfo.InvariantCulture, $"{ProxyHost}:{ProxyPort ?? 1080}") +
            (ProxyUsername is null ? string.Empty : $" as {ProxyUsername} (password <redacted>)"));
        return sb.ToString();
    }

    private static void Add(StringBuilder sb, string name, string? value)
    {
        if (value is not null)
        {
            sb.Append("; ").Append(name).Append('=').Append(value);
        }
    }
}
