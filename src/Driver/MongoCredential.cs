namespace Mongo.Driver;

/// <summary>The authentication mechanism names of the auth spec.</summary>
public static class MongoAuthMechanism
{
    /// <summary><c>SCRAM-SHA-1</c>.</summary>
    public const string ScramSha1 = "SCRAM-SHA-1";

    /// <summary><c>SCRAM-SHA-256</c>.</summary>
    public const string ScramSha256 = "SCRAM-SHA-256";

    /// <summary><c>PLAIN</c> (LDAP).</summary>
    public const string Plain = "PLAIN";

    /// <summary><c>GSSAPI</c> (Kerberos).</summary>
    public const string Gssapi = "GSSAPI";

    /// <summary><c>MONGODB-X509</c>.</summary>
    public const string X509 = "MONGODB-X509";

    /// <summary><c>MONGODB-AWS</c>.</summary>
    public const string Aws = "MONGODB-AWS";

    /// <summary><c>MONGODB-OIDC</c>.</summary>
    public const string Oidc = "MONGODB-OIDC";

    internal static string? Canonicalize(string name) => name.ToUpperInvariant() switch
    {
        ScramSha1 => ScramSha1,
        ScramSha256 => ScramSha256,
        Plain => Plain,
        Gssapi => Gssapi,
        X509 => X509,
        Aws => Aws,
        Oidc => Oidc,
        _ => null,
    };
}

/// <summary>
/// Who to authenticate as and how (auth spec "MongoCredential"): user name, password, source database,
/// mechanism and mechanism properties. Immutable and validated on creation; defaults are derived per mechanism
/// (e.g. source <c>$external</c> for X.509, <c>SERVICE_NAME=mongodb</c> for GSSAPI). The password is never
/// included in <see cref="ToString"/> or in error messages.
/// </summary>
public sealed partial class MongoCredential : IEquatable<MongoCredential>
{
    private static readonly IReadOnlyDictionary<string, string> s_noProperties =
        new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);

    private MongoCredential(string? mechanism, string? username, string? password, string source, bool sourceIsDefault,
        IReadOnlyDictionary<string, string> properties)
    {
        Mechanism = mechanism;
        Username = username;
        Password = password;
        Source = source;
        IsSourceDefaulted = sourceIsDefault;
        MechanismProperties = properties;
    }

    /// <summary>The mechanism, or null to negotiate SCRAM-SHA-256/SCRAM-SHA-1 with the server.</summary>
    public string? Mechanism { get; }

    /// <summary>The user name, or null (allowed for X.509, AWS and OIDC).</summary>
    public string? Username { get; }

    /// <summary>The password, or null. Never printed.</summary>
    public string? Password { get; }

    /// <summary>The database the authentication commands are sent to.</summary>
    public string Source { get; }

    /// <summary>Mechanism properties (keys are case-insensitive), e.g. <c>SERVICE_NAME</c>.</summary>
    public IReadOnlyDictionary<string, string> MechanismProperties { get; }

    /// <summary>Whether <see cref="Source"/> was derived rather than given (a TXT record's authSource may then replace it).</summary>
    internal bool IsSourceDefaulted { get; }

    /// <summary>A credential for the default mechanism (negotiated SCRAM).</summary>
    public static MongoCredential CreateCredential(string? source, string username, string password) =>
        Create(null, username, password, source, null, null);

    /// <summary>A SCRAM-SHA-256 credential.</summary>
    public static MongoCredential CreateScramSha256(string username, string password, string? source = null) =>
        Create(MongoAuthMechanism.ScramSha256, username, password, source, null, null);

    /// <summary>A SCRAM-SHA-1 credential.</summary>
    public static MongoCredential CreateScramSha1(string username, string password, string? source = null) =>
        Create(MongoAuthMechanism.ScramSha1, username, password, source, null, null);

    /// <summary>A PLAIN (LDAP) credential; the source defaults to <c>$external</c>.</summary>
    public static MongoCredential CreatePlain(string username, string password, string? source = null) =>
        Create(MongoAuthMechanism.Plain, username, password, source, null, null);

    /// <summary>A MONGODB-X509 credential; the user name is optional (taken from the client certificate).</summary>
    public static MongoCredential CreateX509(string? username = null) =>
        Create(MongoAuthMechanism.X509, username, null, null, null, null);

    /// <summary>A GSSAPI (Kerberos) credential.</summary>
    public static MongoCredential CreateGssapi(string username, string? password = null, IReadOnlyDictionary<string, string>? properties = null) =>
        Create(MongoAuthMechanism.Gssapi, username, password, null, null, properties);

    /// <summary>A MONGODB-AWS credential; AWS credentials come from the environment (auth spec 2025-09-30).</summary>
    public static MongoCredential CreateAws() => Create(MongoAuthMechanism.Aws, null, null, null, null, null);

    /// <summary>A MONGODB-OIDC credential using a built-in environment (<c>test</c>, <c>azure</c>, <c>gcp</c>, <c>k8s</c>).</summary>
    public static MongoCredential CreateOidc(string environment, string? tokenResource = null, string? username = null)
    {
        var properties = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase) { ["ENVIRONMENT"] = environment };
        if (tokenResource is not null)
        {
            properties["TOKEN_RESOURCE"] = tokenResource;
        }

        return Create(MongoAuthMechanism.Oidc, username, null, null, null, properties);
    }

    /// <summary>
    /// Creates and validates a credential the way a connection string does.
    /// </summary>
    /// <param name="mechanism">The mechanism name (case-insensitive) or null to negotiate.</param>
    /// <param name="username">The user name.</param>
    /// <param name="password">The password.</param>
    /// <param name="source">The explicit source (authSource), or null to derive it.</param>
    /// <param name="databaseName">The connection string's database, used as the default source where the spec says so.</param>
    /// <param name="properties">Mechanism properties.</param>
    /// <exception cref="MongoConfigurationException">The combination is not valid for the mechanism.</exception>
    public static MongoCredential Create(string? mechanism, string? username, string? password, string? source, string? databaseName,
        IReadOnlyDictionary<string, string>? properties)
    {
        string? canonical = null;
        if (mechanism is not null)
        {
            canonical = MongoAuthMechanism.Canonicalize(mechanism)
                ?? throw new MongoConfigurationException($"Invalid option 'authMechanism': unsupported mechanism '{mechanism}'.");
        }

        if (source is { Length: 0 })
        {
            throw new MongoConfigurationException("Invalid option 'authSource': it must not be empty.");
        }

        var props = properties is null || properties.Count == 0
            ? new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
            : new Dictionary<string, string>(properties, StringComparer.OrdinalIgnoreCase);
        string effectiveSource;
        bool defaulted = source is null;
        string label = canonical ?? "the default mechanism";
        switch (canonical)
        {
            case null or MongoAuthMechanism.ScramSha1 or MongoAuthMechanism.ScramSha256:
                RequireUsername(username, label);
                NoProperties(props, label);
                effectiveSource = source ?? databaseName ?? "admin";
                break;
            case MongoAuthMechanism.Plain:
                RequireUsername(username, label);
                NoProperties(props, label);
                effectiveSource = source ?? databaseName ?? "$external";
                break;
            case MongoAuthMechanism.Gssapi:
                RequireUsername(username, label);
                effectiveSource = External(source, label);
                ValidateGssapiProperties(props);
                props.TryAdd("SERVICE_NAME", "mongodb");
                break;
            case MongoAuthMechanism.X509:
                NoPassword(password, label);
                NoProperties(props, label);
                effectiveSource = External(source, label);
                break;
            case MongoAuthMechanism.Aws:
                if (username is not null || password is not null)
                {
                    throw new MongoConfigurationException(
                        "Invalid credential for MONGODB-AWS: a user name or password must not be given; AWS credentials come from the environment.");
                }

                NoProperties(props, label);
                effectiveSource = External(source, label);
                break;
            default: // MONGODB-OIDC
                NoPassword(password, label);
                effectiveSource = External(source, label);
                ValidateOidcProperties(props, username);
                break;
        }

        return new MongoCredential(canonical, username, password, effectiveSource, defaulted,
            props.Count == 0 ? s_noProperties : props);
    }

    /// <summary>A copy with one more (or a replaced) mechanism property, validated again.</summary>
    public MongoCredential WithMechanismProperty(string key, string value)
    {
        var props = new Dictionary<string, string>(MechanismProperties, StringComparer.OrdinalIgnoreCase) { [key] = value };
        return Create(Mechanism, Username, Password, IsSourceDefaulted ? null : Source, IsSourceDefaulted ? Source : null, props);
    }

    /// <summary>A copy with another source, as a TXT record's <c>authSource</c> supplies (validated again).</summary>
    internal MongoCredential WithSource(string source) => Create(Mechanism, Username, Password, source, null, MechanismProperties);

    private static void RequireUsername(string? username, string mechanism)
    {
        if (string.IsNullOrEmpty(username))
        {
            throw new MongoConfigurationException($"Invalid credential for {mechanism}: a user name is required.");
        }
    }

    private static void NoPassword(string? password, string mechanism)
    {
        if (password is not null)
        {
            throw new MongoConfigurationException($"Invalid credential for {mechanism}: a password must not be given.");
        }
    }

    private static void NoProperties(Dictionary<string, string> props, string mechanism)
    {
        if (props.Count > 0)
        {
            throw new MongoConfigurationException(
                $"Invalid option 'authMechanismProperties': {mechanism} takes no mechanism properties (got '{string.Join(",", props.Keys)}').");
        }
    }

    private static string External(string? source, string mechanism) =>
        source is null or "$external"
            ? "$external"
            : throw new MongoConfigurationException($"Invalid option 'authSource': {mechanism} requires '$external', not '{source}'.");

    private static void ValidateGssapiProperties(Dictionary<string, string> props)
    {
        foreach (var (key, value) in props)
        {
            switch (key.ToUpperInvariant())
            {
                case "SERVICE_NAME" or "SERVICE_REALM" or "SERVICE_HOST":
                    break;
                case "CANONICALIZE_HOST_NAME":
                    if (value is not ("none" or "forward" or "forwardAndReverse" or "true" or "false"))
                    {
                        throw new MongoConfigurationException(
                            $"Invalid option 'authMechanismProperties': CANONICALIZE_HOST_NAME must be none, forward, forwardAndReverse, true or false, not '{value}'.");
                    }

                    break;
                default:
                    throw new MongoConfigurationException($"Invalid option 'authMechanismProperties': GSSAPI does not support '{key}'.");
            }
        }
    }

    private static void ValidateOidcProperties(Dictionary<string, string> props, string? username)
    {
        foreach (string key in props.Keys)
        {
            if (!key.Equals("ENVIRONMENT", StringComparison.OrdinalIgnoreCase) && !key.Equals("TOKEN_RESOURCE", StringComparison.OrdinalIgnoreCase))
            {
                throw new MongoConfigurationException($"Invalid option 'authMechanismProperties': MONGODB-OIDC does not support '{key}' in this driver.");
            }
        }

        // No OIDC callback API exists yet, so a built-in environment is the only way to obtain a token.
        if (!props.TryGetValue("ENVIRONMENT", out string? environment))
        {
            throw new MongoConfigurationException("Invalid credential for MONGODB-OIDC: the ENVIRONMENT mechanism property is required.");
        }

        if (environment is not ("test" or "azure" or "gcp" or "k8s"))
        {
            throw new MongoConfigurationException(
                $"Invalid option 'authMechanismProperties': ENVIRONMENT must be test, azure, gcp or k8s, not '{environment}'.");
        }

        bool needsResource = environment is "azure" or "gcp";
        if (needsResource != props.ContainsKey("TOKEN_RESOURCE"))
        {
            throw new MongoConfigurationException(needsResource
                ? $"Invalid credential for MONGODB-OIDC: ENVIRONMENT '{environment}' requires TOKEN_RESOURCE."
                : $"Invalid credential for MONGODB-OIDC: TOKEN_RESOURCE is only allowed with ENVIRONMENT azure or gcp.");
        }

        if (username is not null && environment != "azure")
        {
            throw new MongoConfigurationException($"Invalid credential for MONGODB-OIDC: ENVIRONMENT '{environment}' does not take a user name.");
        }
    }

    /// <inheritdoc />
    public bool Equals(MongoCredential? other) =>
        other is not null && Mechanism == other.Mechanism && Username == other.Username && Password == other.Password &&
        Source == other.Source && MechanismProperties.Count == other.MechanismProperties.Count &&
        MechanismProperties.All(p => other.MechanismProperties.TryGetValue(p.Key, out string? v) && v == p.Value);

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as MongoCredential);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Mechanism, Username, Source);

    /// <summary>The mechanism, user name and source; the password is shown only as <c>&lt;redacted&gt;</c>.</summary>
    public override string ToString()
    {
        string props = MechanismProperties.Count == 0
            ? string.Empty
            : ", properties: { " + string.Join(", ", MechanismProperties.Select(p =>
                p.Key.Equals("AWS_SESSION_TOKEN", StringComparison.OrdinalIgnoreCase) ? $"{p.Key}: <redacted>" : $"{p.Key}: {p.Value}")) + " }";
        return $"MongoCredential {{ mechanism: {Mechanism ?? "default"}, username: {Username ?? "(none)"}, source: {Source}, " +
            $"password: {(Password is null ? "(none)" : "<redacted>")}{props} }}";
    }
}
