using Mongo.Bson;
using Mongo.Driver.Operations;
using Mongo.Driver.Sessions;
using Mongo.Driver.Util;

namespace Mongo.Driver;

public sealed partial class MongoCollection<TDocument>
{
    private const string CountObsoleteMessage =
        "The count command can be wrong on sharded clusters (orphaned documents) and after an unclean shutdown, and is not allowed in transactions. Use CountDocuments (exact) or EstimatedDocumentCount (metadata).";

    /// <summary>
    /// Counts the documents matching a filter with the legacy <c>count</c> command (kept for code ported from drivers
    /// that still offer it). Prefer <see cref="CountDocuments(FilterDefinition, CountOptions?, CancellationToken)"/> or <see cref="EstimatedDocumentCount"/>.
    /// </summary>
    [Obsolete(CountObsoleteMessage)]
    public long Count(FilterDefinition filter, CountOptions? options = null, CancellationToken cancellationToken = default) =>
        CountCore(async: false, filter, options, cancellationToken).GetAwaiter().GetResult();

    /// <summary>
    /// Counts the documents matching a filter with the legacy <c>count</c> command (kept for code ported from drivers
    /// that still offer it). Prefer <see cref="CountDocumentsAsync(FilterDefinition, CountOptions?, CancellationToken)"/> or <see cref="EstimatedDocumentCountAsync"/>.
    /// </summary>
    [Obsolete(CountObsoleteMessage)]
    public Task<long> CountAsync(FilterDefinition filter, CountOptions? options = null, CancellationToken cancellationToken = default) =>
        CountCore(async: true, filter, options, cancellationToken).AsTask();

    private async ValueTask<long> CountCore(bool async, FilterDefinition filter, CountOptions? options, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var body = new BsonDocument { { "count", CollectionName }, { "query", filter.Render(TypeResolver) } };
        if (options?.Limit is { } limit and not 0)
        {
            body.Add("limit", limit);
        }

        if (options?.Skip is { } skip and > 0)
        {
            body.Add("skip", skip);
        }

        body.AddIf("hint", options?.Hint);
        body.AddIf("collation", options?.Collation);
        body.AddIf("comment", options?.Comment);
        body.AddMaxTime(options?.MaxTime);
        body.AddReadConcern(Executor.ReadConcernFor(options?.ReadConcern, ReadConcern));
        var response = await Executor.ExecuteAsync(async, new ReadCommand(DatabaseName, body, Executor.ReadPreferenceFor(options?.ReadPreference, ReadPreference)) { Context = StartOperation(ct), RawData = options?.RawData == true }, ct).ConfigureAwait(false);
        return response.Body.TryGetValue("n", out var n) && n.IsNumeric ? n.ToInt64() : 0;
    }
}
