using Microsoft.Extensions.Diagnostics.HealthChecks;
using Mongo.Driver;
using Mongo.Extensions.Diagnostics.HealthChecks;

// Beside AddHealthChecks() itself, so that `.AddMongo()` is found without a using directive.
namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds <see cref="MongoHealthCheck"/> registrations.</summary>
public static class MongoHealthChecksBuilderExtensions
{
    /// <summary>Checks the <see cref="MongoClient"/> registered in the container (keyed when <paramref name="serviceKey"/> is set).</summary>
    /// <param name="builder">The health checks builder.</param>
    /// <param name="name">The check's name; <c>mongo</c> by default.</param>
    /// <param name="serviceKey">The key of a keyed client (<c>AddKeyedMongoClient</c>), or null for the unkeyed one.</param>
    /// <param name="timeout">How long ping may take; <see cref="MongoHealthCheck.DefaultTimeout"/> when null.</param>
    /// <param name="failureStatus">The status reported on failure; <see cref="HealthStatus.Unhealthy"/> when null.</param>
    /// <param name="tags">Tags to filter checks by (for example in <c>MapHealthChecks</c>).</param>
    /// <returns>The builder.</returns>
    public static IHealthChecksBuilder AddMongo(this IHealthChecksBuilder builder, string name = "mongo", object? serviceKey = null, TimeSpan? timeout = null,
        HealthStatus? failureStatus = null, IEnumerable<string>? tags = null) =>
        builder.AddMongo(sp => serviceKey is null ? sp.GetRequiredService<MongoClient>() : sp.GetRequiredKeyedService<MongoClient>(serviceKey), name, timeout, failureStatus, tags);

    /// <summary>Checks the client a factory returns (resolved once per check run; the check does not dispose it).</summary>
    /// <param name="builder">The health checks builder.</param>
    /// <param name="clientFactory">Returns the client to check.</param>
    /// <param name="name">The check's name.</param>
    /// <param name="timeout">How long ping may take; <see cref="MongoHealthCheck.DefaultTimeout"/> when null.</param>
    /// <param name="failureStatus">The status reported on failure; <see cref="HealthStatus.Unhealthy"/> when null.</param>
    /// <param name="tags">Tags to filter checks by.</param>
    /// <returns>The builder.</returns>
    public static IHealthChecksBuilder AddMongo(this IHealthChecksBuilder builder, Func<IServiceProvider, MongoClient> clientFactory, string name = "mongo",
        TimeSpan? timeout = null, HealthStatus? failureStatus = null, IEnumerable<string>? tags = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(clientFactory);
        ArgumentException.ThrowIfNullOrEmpty(name);
        // The registration's own timeout is left unset: the check enforces its timeout itself and then reports the
        // topology, which a check cancelled from outside could not.
        return builder.Add(new HealthCheckRegistration(name, sp => new MongoHealthCheck(clientFactory(sp), timeout: timeout), failureStatus, tags));
    }
}
