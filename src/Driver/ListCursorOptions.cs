namespace Mongo.Driver;

/// <summary>Options of <see cref="MongoCollection{TDocument}.ListIndexes(ListIndexesOptions?, CancellationToken)"/>.</summary>
public sealed class ListIndexesOptions
{
    private readonly int? _batchSize;

    /// <summary>How many index descriptions each round trip returns (the first command's and each getMore's <c>batchSize</c>).</summary>
    /// <exception cref="ArgumentOutOfRangeException">Negative.</exception>
    public int? BatchSize
    {
        get => _batchSize;
        init => _batchSize = ListCursorOptions.CheckBatchSize(value);
    }

    /// <summary>
    /// How timeoutMS applies to the listIndexes cursor (needs a timeoutMS; null: cursor lifetime): with
    /// <see cref="CursorTimeoutMode.Iteration"/> the command and each getMore get a fresh timeoutMS.
    /// </summary>
    public CursorTimeoutMode? TimeoutMode { get; init; }
}

/// <summary>Options of <see cref="MongoDatabase.ListCollections(FilterDefinition?, ListCollectionsOptions?, CancellationToken)"/>.</summary>
public sealed class ListCollectionsOptions
{
    private readonly int? _batchSize;

    /// <summary>How many entries each round trip returns (the first command's and each getMore's <c>batchSize</c>).</summary>
    /// <exception cref="ArgumentOutOfRangeException">Negative.</exception>
    public int? BatchSize
    {
        get => _batchSize;
        init => _batchSize = ListCursorOptions.CheckBatchSize(value);
    }

    /// <summary>
    /// How timeoutMS applies to the listCollections cursor (needs a timeoutMS; null: cursor lifetime): with
    /// <see cref="CursorTimeoutMode.Iteration"/> the command and each getMore get a fresh timeoutMS.
    /// </summary>
    public CursorTimeoutMode? TimeoutMode { get; init; }
}

/// <summary>What the list-cursor options share.</summary>
internal static class ListCursorOptions
{
    public static int? CheckBatchSize(int? value)
    {
        if (value is { } size)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(size, "BatchSize");
        }

        return value;
    }
}
