using Mongo.Bson;

namespace Mongo.Driver;

/// <summary>Options every write command accepts.</summary>
public abstract class WriteOptionsBase
{
    /// <summary>Skip document validation rules on the collection.</summary>
    public bool? BypassDocumentValidation { get; init; }

    /// <summary>A value attached to the command for profiling and logs (server 4.4+).</summary>
    public BsonValue? Comment { get; init; }

    /// <summary>Variables usable as <c>$$name</c> in filters and pipelines (server 5.0+).</summary>
    public BsonDocument? Let { get; init; }

    /// <summary>Overrides the collection's write concern for this operation.</summary>
    public WriteConcern? WriteConcern { get; init; }

    /// <summary>
    /// Operate on the raw time-series bucket documents rather than the measurements (server 8.2+). Older servers do
    /// not know the option, so it is only sent to servers that speak wire version 27 or newer.
    /// </summary>
    public bool RawData { get; init; }
}

/// <summary>Options of <c>InsertOne</c>.</summary>
public sealed class InsertOneOptions : WriteOptionsBase;

/// <summary>Options of <c>InsertMany</c>.</summary>
public sealed class InsertManyOptions : WriteOptionsBase
{
    /// <summary>Stop at the first error (default true); unordered inserts attempt every document.</summary>
    public bool IsOrdered { get; init; } = true;
}

/// <summary>Options of <see cref="MongoDatabase.RunCursorCommand"/>: how the cursor's getMores are sent.</summary>
public sealed class RunCursorCommandOptions
{
    /// <summary>Where to run the command; null means primary.</summary>
    public ReadPreference? ReadPreference { get; init; }

    /// <summary>The <c>batchSize</c> of each getMore (the command's own batch size applies to the first batch only).</summary>
    public int? BatchSize { get; init; }

    /// <summary>The <c>maxTimeMS</c> of each getMore of a tailable await cursor.</summary>
    public TimeSpan? MaxAwaitTime { get; init; }

    /// <summary>The <c>comment</c> attached to each getMore (server 4.4+).</summary>
    public BsonValue? Comment { get; init; }

    /// <summary>How timeoutMS applies to the cursor (needs a timeoutMS; null: cursor lifetime, or iteration for tailable cursors).</summary>
    public CursorTimeoutMode? TimeoutMode { get; init; }
}

/// <summary>Options of <c>BulkWrite</c>.</summary>
public sealed class BulkWriteOptions : WriteOptionsBase
{
    /// <summary>Stop at the first error (default true); unordered writes attempt every request.</summary>
    public bool IsOrdered { get; init; } = true;
}

/// <summary>Options of <c>UpdateOne</c>, <c>UpdateMany</c> and <c>ReplaceOne</c>.</summary>
public sealed class UpdateOptions : WriteOptionsBase
{
    /// <summary>Insert a document when none matches.</summary>
    public bool IsUpsert { get; init; }

    /// <summary>Filters choosing which array elements <c>$[identifier]</c> updates (not for replacements).</summary>
    public IReadOnlyList<BsonDocument>? ArrayFilters { get; init; }

    /// <summary>String comparison rules (<c>{locale: "en", strength: 2}</c>).</summary>
    public BsonDocument? Collation { get; init; }

    /// <summary>The index to use: its name (string) or its key document.</summary>
    public BsonValue? Hint { get; init; }

    /// <summary>Which document is "first" for UpdateOne/ReplaceOne when several match (server 8.0+).</summary>
    public SortDefinition? Sort { get; init; }
}

/// <summary>Options of <c>DeleteOne</c> and <c>DeleteMany</c>.</summary>
public sealed class DeleteOptions : WriteOptionsBase
{
    /// <summary>String comparison rules.</summary>
    public BsonDocument? Collation { get; init; }

    /// <summary>The index to use: its name (string) or its key document.</summary>
    public BsonValue? Hint { get; init; }
}

/// <summary>Which version of the document <c>FindOneAndUpdate</c>/<c>FindOneAndReplace</c> return.</summary>
public enum ReturnDocument
{
    /// <summary>The document as it was before the change (default).</summary>
    Before,

    /// <summary>The document after the change.</summary>
    After,
}

/// <summary>Options of <c>FindOneAndUpdate</c>, <c>FindOneAndReplace</c> and <c>FindOneAndDelete</c>.</summary>
public sealed class FindOneAndModifyOptions : WriteOptionsBase
{
    /// <summary>Return the document before (default) or after the change.</summary>
    public ReturnDocument ReturnDocument { get; init; }

    /// <summary>Insert a document when none matches (not for deletes).</summary>
    public bool IsUpsert { get; init; }

    /// <summary>Which document is "first" when several match.</summary>
    public SortDefinition? Sort { get; init; }

    /// <summary>Which fields of the returned document to include or exclude.</summary>
    public ProjectionDefinition? Projection { get; init; }

    /// <summary>Filters choosing which array elements <c>$[identifier]</c> updates.</summary>
    public IReadOnlyList<BsonDocument>? ArrayFilters { get; init; }

    /// <summary>String comparison rules.</summary>
    public BsonDocument? Collation { get; init; }

    /// <summary>The index to use: its name (string) or its key document.</summary>
    public BsonValue? Hint { get; init; }

    /// <summary>The server-side time limit.</summary>
    public TimeSpan? MaxTime { get; init; }
}

/// <summary>Options common to reads.</summary>
public abstract class ReadOptionsBase
{
    /// <summary>A value attached to the command for profiling and logs.</summary>
    public BsonValue? Comment { get; init; }

    /// <summary>String comparison rules.</summary>
    public BsonDocument? Collation { get; init; }

    /// <summary>The index to use: its name (string) or its key document.</summary>
    public BsonValue? Hint { get; init; }

    /// <summary>The server-side time limit.</summary>
    public TimeSpan? MaxTime { get; init; }

    /// <summary>Overrides the collection's read concern for this operation.</summary>
    public ReadConcern? ReadConcern { get; init; }

    /// <summary>Overrides the collection's read preference for this operation.</summary>
    public ReadPreference? ReadPreference { get; init; }

    /// <summary>
    /// Operate on the raw time-series bucket documents rather than the measurements (server 8.2+). Older servers do
    /// not know the option, so it is only sent to servers that speak wire version 27 or newer.
    /// </summary>
    public bool RawData { get; init; }
}

/// <summary>Options of <c>Find</c> and <c>FindOne</c> (the fluent query sets the same things).</summary>
public sealed class FindOptions : ReadOptionsBase
{
    /// <summary>For GridFS: the cursor's batches may stay in pooled reply buffers (see <see cref="MongoCursor{TDocument}.BorrowRawBatches"/>).</summary>
    internal bool BorrowRawBatches { get; init; }

    /// <summary>The sort order.</summary>
    public SortDefinition? Sort { get; init; }

    /// <summary>Which fields to return.</summary>
    public ProjectionDefinition? Projection { get; init; }

    /// <summary>The maximum number of documents (0 = no limit).</summary>
    public int? Limit { get; init; }

    /// <summary>How many matching documents to skip.</summary>
    public int? Skip { get; init; }

    /// <summary>How many documents each round trip returns.</summary>
    public int? BatchSize { get; init; }

    /// <summary>Let the server spill large sorts to disk.</summary>
    public bool? AllowDiskUse { get; init; }

    /// <summary>Variables usable as <c>$$name</c> in the filter (server 5.0+).</summary>
    public BsonDocument? Let { get; init; }

    /// <summary>Tailable cursors on capped collections (default <see cref="Driver.CursorType.NonTailable"/>).</summary>
    public CursorType CursorType { get; init; }

    /// <summary>
    /// How long each getMore of a <see cref="Driver.CursorType.TailableAwait"/> cursor waits on the server for new
    /// documents (sent as the getMore's maxTimeMS; the server's default is one second). Ignored for other cursors.
    /// </summary>
    public TimeSpan? MaxAwaitTime { get; init; }

    /// <summary>How timeoutMS applies to the cursor (needs a timeoutMS; null: cursor lifetime, or iteration for tailable cursors).</summary>
    public CursorTimeoutMode? TimeoutMode { get; init; }

    /// <summary>
    /// The inclusive lower bound of the index range to scan, as a document naming every field of the hinted index's
    /// key in order (the server requires <see cref="ReadOptionsBase.Hint"/> with it).
    /// </summary>
    public BsonDocument? Min { get; init; }

    /// <summary>The exclusive upper bound of the index range to scan (see <see cref="Min"/>).</summary>
    public BsonDocument? Max { get; init; }

    /// <summary>Return only the index key of each result (an empty document when the query uses no index).</summary>
    public bool? ReturnKey { get; init; }

    /// <summary>Add each document's record id to it as <c>$recordId</c>.</summary>
    public bool? ShowRecordId { get; init; }

    /// <summary>Ask the server never to close the cursor for being idle (close it yourself: dispose it).</summary>
    public bool? NoCursorTimeout { get; init; }

    /// <summary>On a sharded cluster, return what the reachable shards have rather than failing when one is down.</summary>
    public bool? AllowPartialResults { get; init; }
}

/// <summary>Options of <c>CountDocuments</c>.</summary>
public sealed class CountOptions : ReadOptionsBase
{
    /// <summary>Count at most this many documents.</summary>
    public long? Limit { get; init; }

    /// <summary>Skip this many matching documents before counting.</summary>
    public long? Skip { get; init; }
}

/// <summary>Options of <c>EstimatedDocumentCount</c>.</summary>
public sealed class EstimatedDocumentCountOptions
{
    /// <summary>A value attached to the command.</summary>
    public BsonValue? Comment { get; init; }

    /// <summary>The server-side time limit.</summary>
    public TimeSpan? MaxTime { get; init; }

    /// <summary>Overrides the collection's read concern for this operation.</summary>
    public ReadConcern? ReadConcern { get; init; }

    /// <summary>Overrides the collection's read preference for this operation.</summary>
    public ReadPreference? ReadPreference { get; init; }

    /// <summary>
    /// Operate on the raw time-series bucket documents rather than the measurements (server 8.2+). Older servers do
    /// not know the option, so it is only sent to servers that speak wire version 27 or newer.
    /// </summary>
    public bool RawData { get; init; }
}

/// <summary>Options of <c>Distinct</c>.</summary>
public sealed class DistinctOptions : ReadOptionsBase;

/// <summary>Options of <c>Aggregate</c>.</summary>
public sealed class AggregateOptions : ReadOptionsBase
{
    /// <summary>Let stages spill to disk.</summary>
    public bool? AllowDiskUse { get; init; }

    /// <summary>How many documents each round trip returns.</summary>
    public int? BatchSize { get; init; }

    /// <summary>Skip document validation for <c>$out</c>/<c>$merge</c>.</summary>
    public bool? BypassDocumentValidation { get; init; }

    /// <summary>Variables usable as <c>$$name</c> in the pipeline (server 5.0+).</summary>
    public BsonDocument? Let { get; init; }

    /// <summary>Overrides the write concern for <c>$out</c>/<c>$merge</c> pipelines.</summary>
    public WriteConcern? WriteConcern { get; init; }

    /// <summary>How timeoutMS applies to the cursor (needs a timeoutMS; null: cursor lifetime; iteration is refused for $out/$merge).</summary>
    public CursorTimeoutMode? TimeoutMode { get; init; }
}

/// <summary>Options of one index for <c>CreateIndex</c>.</summary>
public sealed class CreateIndexOptions
{
    /// <summary>The index name (default: keys and directions joined, e.g. <c>x_1</c>).</summary>
    public string? Name { get; init; }

    /// <summary>Reject duplicate keys.</summary>
    public bool? Unique { get; init; }

    /// <summary>Skip documents without the indexed field.</summary>
    public bool? Sparse { get; init; }

    /// <summary>Delete documents this long after their indexed date (TTL index).</summary>
    public TimeSpan? ExpireAfter { get; init; }

    /// <summary>Index only documents matching this filter.</summary>
    public FilterDefinition? PartialFilterExpression { get; init; }

    /// <summary>Hide the index from the query planner.</summary>
    public bool? Hidden { get; init; }

    /// <summary>String comparison rules of the index.</summary>
    public BsonDocument? Collation { get; init; }

    /// <summary>Any other index option, added to the index document as given (e.g. <c>weights</c>, <c>2dsphereIndexVersion</c>).</summary>
    public BsonDocument? Extra { get; init; }
}

/// <summary>An index to create: keys and options.</summary>
/// <param name="Keys">The index keys.</param>
/// <param name="Options">The index options.</param>
public sealed record CreateIndexModel(IndexKeysDefinition Keys, CreateIndexOptions? Options = null);

/// <summary>Options of <c>CreateCollection</c>: any <c>create</c> command option.</summary>
public sealed class CreateCollectionOptions
{
    /// <summary>Create a capped collection of this many bytes.</summary>
    public long? CappedSize { get; init; }

    /// <summary>The maximum document count of a capped collection.</summary>
    public long? MaxDocuments { get; init; }

    /// <summary>A validator document (<c>{$jsonSchema: ...}</c>).</summary>
    public BsonDocument? Validator { get; init; }

    /// <summary>A view's source collection.</summary>
    public string? ViewOn { get; init; }

    /// <summary>A view's pipeline.</summary>
    public IReadOnlyList<BsonDocument>? Pipeline { get; init; }

    /// <summary>The default collation.</summary>
    public BsonDocument? Collation { get; init; }

    /// <summary>Any other <c>create</c> option, added as given (e.g. <c>timeseries</c>, <c>clusteredIndex</c>).</summary>
    public BsonDocument? Extra { get; init; }
}

/// <summary>Overrides for one database or collection handle; null members inherit from the parent.</summary>
public sealed class MongoCollectionSettings
{
    /// <summary>The read concern.</summary>
    public ReadConcern? ReadConcern { get; init; }

    /// <summary>The write concern.</summary>
    public WriteConcern? WriteConcern { get; init; }

    /// <summary>The read preference.</summary>
    public ReadPreference? ReadPreference { get; init; }

    /// <summary>Where serializers for the document type come from.</summary>
    public BsonSerializerRegistry? SerializerRegistry { get; init; }

    /// <summary>
    /// The handle's <c>timeoutMS</c> (client-side operations timeout): each operation, with its retries, batches and the
    /// getMores of the cursor it opens, must finish within it. Null inherits the parent's; <see cref="TimeSpan.Zero"/> or
    /// <see cref="System.Threading.Timeout.InfiniteTimeSpan"/> means no limit (but still the timeoutMS behaviour: deprecated timeouts are ignored).
    /// </summary>
    public TimeSpan? Timeout { get; init; }

    /// <summary>
    /// The serializer models (typically a source-generated <see cref="Mongo.Bson.Serialization.BsonSerializerContext"/>)
    /// this handle's collections use for their document types, before the client's
    /// <see cref="MongoClientSettings.SerializerContext"/> and the reflection fallback; a serializer registered in
    /// <see cref="SerializerRegistry"/> still wins.
    /// </summary>
    public Mongo.Bson.Serialization.IBsonTypeInfoResolver? SerializerContext { get; init; }
}
