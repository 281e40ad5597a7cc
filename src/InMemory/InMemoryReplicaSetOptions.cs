namespace Mongo.InMemory;

/// <summary>Settings for an <see cref="InMemoryReplicaSet"/>. Every setting has a default that suits tests.</summary>
public sealed class InMemoryReplicaSetOptions
{
    /// <summary>The set's name (hello <c>setName</c>, the connection string's <c>replicaSet</c>); "rs0" by default.</summary>
    public string Name { get; set; } = "rs0";

    /// <summary>
    /// The first member's TCP port; the others listen on the following ports (Port + 1, Port + 2, ...). 0 (the default)
    /// gives each member its own free ephemeral port. Either way a restarted member listens on the port it had.
    /// </summary>
    public int Port { get; set; }

    /// <summary>
    /// How long the members wait after the primary stops (or after a step-down leaves no electable member) before they
    /// elect a new one, and how long a primary that cannot see a majority stays primary. mongod's
    /// electionTimeoutMillis is 10 s; the default here, 1 s, keeps failover tests short.
    /// </summary>
    public TimeSpan ElectionTimeout { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// How often a primary that wrote nothing appends a no-op entry to the log, as mongod's periodic no-op writer does
    /// every 10 s (the default here too): the members' <c>lastWriteDate</c> keeps moving, so a lagging member's staleness
    /// grows even while the set is idle. <see cref="TimeSpan.Zero"/> turns it off.
    /// </summary>
    public TimeSpan PeriodicNoopInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// The settings every member's server runs with (bind address, compressors, users, TLS, limits, version). Its
    /// <see cref="InMemoryMongoServerOptions.Port"/>, <see cref="InMemoryMongoServerOptions.ReplicaSetName"/>,
    /// <see cref="InMemoryMongoServerOptions.Sharded"/>, <see cref="InMemoryMongoServerOptions.LoadBalanced"/> and
    /// <see cref="InMemoryMongoServerOptions.UnixSocketPath"/> must stay unset: the set chooses them.
    /// </summary>
    public InMemoryMongoServerOptions Server { get; set; } = new();

    /// <summary>Checks the settings, naming the offending option.</summary>
    /// <exception cref="ArgumentException">A setting is out of range or conflicts with the set.</exception>
    public void Validate()
    {
        if (string.IsNullOrEmpty(Name) || Name.IndexOfAny(['/', ',', ' ', '\0']) >= 0)
        {
            throw new ArgumentException($"Option '{nameof(Name)}' must be a non-empty set name without '/', ',' or spaces but was '{Name}'.", nameof(Name));
        }

        if (Port is < 0 or > 65535)
        {
            throw new ArgumentException($"Option '{nameof(Port)}' must be between 0 and 65535 but was {Port}.", nameof(Port));
        }

        if (ElectionTimeout <= TimeSpan.Zero || ElectionTimeout > TimeSpan.FromMinutes(5))
        {
            throw new ArgumentException($"Option '{nameof(ElectionTimeout)}' must be positive and at most 5 minutes but was {ElectionTimeout}.", nameof(ElectionTimeout));
        }

        if (PeriodicNoopInterval < TimeSpan.Zero)
        {
            throw new ArgumentException($"Option '{nameof(PeriodicNoopInterval)}' must not be negative but was {PeriodicNoopInterval}.", nameof(PeriodicNoopInterval));
        }

        ArgumentNullException.ThrowIfNull(Server, nameof(Server));
        if (Server.Port != 0 || Server.ReplicaSetName is not null || Server.Sharded || Server.LoadBalanced
            || Server.UnixSocketPath is not null || !Server.ListenOnTcp)
        {
            throw new ArgumentException(
                $"Option '{nameof(Server)}' must leave Port, ReplicaSetName, Sharded, LoadBalanced, UnixSocketPath and ListenOnTcp at their defaults: the replica set sets them for each member.",
                nameof(Server));
        }

        Server.Validate();
    }

    internal InMemoryReplicaSetOptions Clone() => new()
    {
        Name = Name,
        Port = Port,
        ElectionTimeout = ElectionTimeout,
        PeriodicNoopInterval = PeriodicNoopInterval,
        Server = Server.Clone(),
    };
}
