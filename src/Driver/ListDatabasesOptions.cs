namespace Mongo.Driver;

/// <summary>Options of one <see cref="MongoClient.ListDatabases(FilterDefinition?, ListDatabasesOptions?, CancellationToken)"/> or <see cref="MongoClient.ListDatabaseNames(ListDatabasesOptions?, CancellationToken)"/> call.</summary>
public sealed class ListDatabasesOptions
{
    private readonly TimeSpan? _timeout;

    /// <summary>
    /// The <c>timeoutMS</c> of this call, retries included (client-side operations timeout spec). Null: the client's. Zero or
    /// <see cref="System.Threading.Timeout.InfiniteTimeSpan"/>: no limit.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">Negative.</exception>
    public TimeSpan? Timeout
    {
        get => _timeout;
        init => _timeout = value is { } t ? Operations.OperationTimeouts.Validate(t) : null;
    }
}
