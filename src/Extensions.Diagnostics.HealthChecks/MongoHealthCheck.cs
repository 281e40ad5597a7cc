using Microsoft.Extensions.Diagnostics.HealthChecks;
using Mongo.Bson;
using Mongo.Driver;

namespace Mongo.Extensions.Diagnostics.HealthChecks;

/// <summary>
/// Sends <c>ping</c> to the deployment (to the primary, as a write would need) and waits at most
/// <see cref="Timeout"/>. Healthy when it answers; otherwise the registration's failure status, with a description
/// that says what failed and what the client knows of the topology (each server's type and last error), because
/// "ping timed out" alone does not say whether the servers are down, unreachable or without a primary.
/// </summary>
public sealed class MongoHealthCheck : IHealthCheck
{
    /// <summary>The default time a ping may take: 5 seconds.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(5);

    private readonly MongoClient _client;
    private readonly MongoDatabase _database;

    /// <summary>Creates a check of a client.</summary>
    /// <param name="client">The client whose deployment is checked (not disposed by the check).</param>
    /// <param name="databaseName">The database ping is sent to (<c>admin</c> by default; ping needs no privileges).</param>
    /// <exception cref="ArgumentException">The database name is empty or not a valid database name.</exception>
    /// <param name="timeout">How long the ping may take; <see cref="DefaultTimeout"/> when null.</param>
    public MongoHealthCheck(MongoClient client, string databaseName = "admin", TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentException.ThrowIfNullOrEmpty(databaseName);
        if (timeout is { } t && t <= TimeSpan.Zero && t != System.Threading.Timeout.InfiniteTimeSpan)
        {
            throw new ArgumentOutOfRangeException(nameof(timeout), t, "The health check timeout must be positive.");
        }

        _client = client;
        _database = client.GetDatabase(databaseName); // a malformed name fails here, not at every check
        Timeout = timeout ?? DefaultTimeout;
    }

    /// <summary>How long the ping may take.</summary>
    public TimeSpan Timeout { get; }

    /// <inheritdoc />
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Timeout);
        try
        {
            await _database.RunCommandAsync(new BsonDocument("ping", 1), ReadPreference.Primary, timeout.Token).ConfigureAwait(false);
            return HealthCheckResult.Healthy();
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return Failure(context, "MongoDB did not answer ping within " + Timeout.TotalSeconds.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture) + " s", exception: null);
        }
        catch (MongoException e)
        {
            return Failure(context, "MongoDB ping failed: " + e.Message, e);
        }
    }

    private HealthCheckResult Failure(HealthCheckContext context, string what, Exception? exception)
    {
        var topology = _client.TopologyDescription;
        var data = new Dictionary<string, object>
        {
            ["topologyType"] = topology.Type.ToString(),
            ["topology"] = topology.ToString(),
        };
        return new HealthCheckResult(context.Registration.FailureStatus, what + "; topology: " + topology, exception, data);
    }
}
