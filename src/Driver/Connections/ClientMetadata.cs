using System.Reflection;
using System.Runtime.InteropServices;
using Mongo.Bson;

namespace Mongo.Driver.Connections;

/// <summary>
/// The handshake's <c>client</c> document (mongodb-handshake spec): application, driver, os, platform, env,
/// truncated to the server's 512-byte limit in the spec's order.
/// </summary>
internal static class ClientMetadata
{
    public const int MaxSize = 512;

    public const string DriverName = "Mongo";

    public static string DriverVersion { get; } =
        typeof(ClientMetadata).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0]
        ?? typeof(ClientMetadata).Assembly.GetName().Version?.ToString()
        ?? "0.0.0";

    /// <summary>Builds the document for an application name (null for none) and optional driver-wrapper info.</summary>
    public static BsonDocument Create(string? applicationName, BsonDocument? extra = null)
    {
        var document = new BsonDocument();
        if (applicationName is not null)
        {
            document.Add("application", new BsonDocument("name", applicationName));
        }

        var driver = new BsonDocument { { "name", DriverName }, { "version", DriverVersion } };
        var os = new BsonDocument
        {
            { "type", OsType() },
            { "name", RuntimeInformation.OSDescription },
            { "architecture", RuntimeInformation.OSArchitecture.ToString().ToLowerInvariant() },
            { "version", Environment.OSVersion.Version.ToString() },
        };
        string platform = RuntimeInformation.FrameworkDescription;
        BsonDocument? env = DetectEnvironment();
        if (extra is not null)
        {
            // Wrapping libraries append their name/version with a '|' separator (handshake spec).
            if (extra.TryGetValue("name", out BsonValue? n) && n.IsString)
            {
                driver["name"] = DriverName + "|" + n.AsString;
            }

            if (extra.TryGetValue("version", out BsonValue? v) && v.IsString)
            {
                driver["version"] = DriverVersion + "|" + v.AsString;
            }

            if (extra.TryGetValue("platform", out BsonValue? p) && p.IsString)
            {
                platform += "|" + p.AsString;
            }
        }

        document.Add("driver", driver);
        document.Add("os", os);
        document.Add("platform", platform);
        if (env is not null)
        {
            document.Add("env", env);
        }

        return Truncate(document);
    }

    /// <summary>Shrinks the document to 512 bytes: env beyond name, os beyond type, env, then platform (spec order).</summary>
    internal static BsonDocument Truncate(BsonDocument document)
    {
        if (Size(document) <= MaxSize)
        {
            return document;
        }

        if (document.TryGetValue("env", out BsonValue? env) && env is BsonDocument envDoc)
        {
            document["env"] = envDoc.TryGetValue("name", out BsonValue? name) ? new BsonDocument("name", name) : new BsonDocument();
            if (Size(document) <= MaxSize)
            {
                return document;
            }
        }

        if (document.TryGetValue("os", out BsonValue? os) && os is BsonDocument osDoc && osDoc.TryGetValue("type", out BsonValue? type))
        {
            document["os"] = new BsonDocument("type", type);
            if (Size(document) <= MaxSize)
            {
                return document;
            }
        }

        if (document.Remove("env") && Size(document) <= MaxSize)
        {
            return document;
        }

        if (document.TryGetValue("platform", out BsonValue? platform) && platform.IsString)
        {
            int excess = Size(document) - MaxSize;
            string text = platform.AsString;
            document["platform"] = excess >= text.Length ? string.Empty : text[..(text.Length - excess)];
            while (Size(document) > MaxSize && document["platform"].AsString.Length > 0)
            {
                string current = document["platform"].AsString;
                document["platform"] = current[..^1];
            }
        }

        return document;
    }

    private static int Size(BsonDocument document) => document.ToBytes().Length;

    private static string OsType()
    {
        if (OperatingSystem.IsWindows())
        {
            return "Windows";
        }

        if (OperatingSystem.IsLinux())
        {
            return "Linux";
        }

        if (OperatingSystem.IsMacOS())
        {
            return "Darwin";
        }

        return "unknown";
    }

    /// <summary>
    /// Whether the process runs on a Function-as-a-Service platform, by the handshake spec's environment rules (the
    /// server-monitoring spec's serverMonitoringMode=auto polls there: a frozen function cannot keep a hello stream).
    /// </summary>
    public static bool IsFaas => FaasName(System.Environment.GetEnvironmentVariable) is not null;

    /// <summary>The FaaS platform's handshake name (aws.lambda, azure.func, gcp.func, vercel) by the given environment, or null.</summary>
    internal static string? FaasName(Func<string, string?> environment)
    {
        if (environment("AWS_EXECUTION_ENV") is { } aws && aws.StartsWith("AWS_Lambda_", StringComparison.Ordinal)
            || environment("AWS_LAMBDA_RUNTIME_API") is not null)
        {
            return "aws.lambda";
        }

        if (environment("FUNCTIONS_WORKER_RUNTIME") is not null)
        {
            return "azure.func";
        }

        if (environment("K_SERVICE") is not null || environment("FUNCTION_NAME") is not null)
        {
            return "gcp.func";
        }

        return environment("VERCEL") is not null ? "vercel" : null;
    }

    /// <summary>FaaS and container hints (handshake spec "env"); null when none apply.</summary>
    private static BsonDocument? DetectEnvironment()
    {
        string? name = FaasName(System.Environment.GetEnvironmentVariable);

        bool kubernetes = System.Environment.GetEnvironmentVariable("KUBERNETES_SERVICE_HOST") is not null;
        bool docker = File.Exists("/.dockerenv");
        if (name is null && !kubernetes && !docker)
        {
            return null;
        }

        var env = new BsonDocument();
        if (name is not null)
        {
            env.Add("name", name);
        }

        if (kubernetes || docker)
        {
            var container = new BsonDocument();
            if (docker)
            {
                container.Add("runtime", "docker");
            }

            if (kubernetes)
            {
                container.Add("orchestrator", "kubernetes");
            }

            env.Add("container", container);
        }

        return env;
    }
}
