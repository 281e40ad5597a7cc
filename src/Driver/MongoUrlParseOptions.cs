using Microsoft.Extensions.Logging;

namespace Mongo.Driver;

/// <summary>How a connection string is parsed.</summary>
public sealed class MongoUrlParseOptions
{
    /// <summary>Strict parsing without a logger.</summary>
    public static MongoUrlParseOptions Default { get; } = new();

    /// <summary>
    /// When false (the default), an invalid value for a known option (e.g. <c>connectTimeoutMS=abc</c>) throws a
    /// <see cref="MongoConfigurationException"/> naming the option. When true, the value is ignored and a warning is
    /// recorded instead, which is the connection-string spec's rule ("invalid values MUST be ignored with a WARN").
    /// Unknown options are always warnings; contradictions (e.g. <c>tls=true&amp;ssl=false</c>) always throw.
    /// </summary>
    public bool IgnoreInvalidValues { get; init; }

    /// <summary>Where warnings are logged (at Warning level) in addition to <see cref="MongoUrl.Warnings"/>.</summary>
    public ILogger? Logger { get; init; }
}
