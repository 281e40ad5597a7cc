using Mongo.Bson;

namespace Mongo.Driver;

/// <summary>The result of <c>InsertOne</c>.</summary>
/// <param name="InsertedId">The document's <c>_id</c> (generated when the document had none).</param>
/// <param name="IsAcknowledged">False for <c>w: 0</c> writes, whose outcome is unknown.</param>
public sealed record InsertOneResult(BsonValue InsertedId, bool IsAcknowledged);

/// <summary>The result of <c>InsertMany</c>.</summary>
/// <param name="InsertedIds">The <c>_id</c> of each document, in the order given.</param>
/// <param name="IsAcknowledged">False for <c>w: 0</c> writes, whose outcome is unknown.</param>
public sealed record InsertManyResult(IReadOnlyList<BsonValue> InsertedIds, bool IsAcknowledged)
{
    /// <summary>How many documents were inserted (acknowledged writes only).</summary>
    public int InsertedCount => InsertedIds.Count;
}

/// <summary>The result of <c>UpdateOne</c>, <c>UpdateMany</c> or <c>ReplaceOne</c>.</summary>
/// <param name="MatchedCount">Documents that matched the filter.</param>
/// <param name="ModifiedCount">Documents actually changed.</param>
/// <param name="UpsertedId">The new document's <c>_id</c> when the update inserted one.</param>
/// <param name="IsAcknowledged">False for <c>w: 0</c> writes, whose counts are unknown (zero).</param>
public sealed record UpdateResult(long MatchedCount, long ModifiedCount, BsonValue? UpsertedId, bool IsAcknowledged);

/// <summary>The result of <c>DeleteOne</c> or <c>DeleteMany</c>.</summary>
/// <param name="DeletedCount">Documents deleted.</param>
/// <param name="IsAcknowledged">False for <c>w: 0</c> writes, whose counts are unknown (zero).</param>
public sealed record DeleteResult(long DeletedCount, bool IsAcknowledged);

/// <summary>An upsert performed by a bulk write: the request's index and the new document's <c>_id</c>.</summary>
/// <param name="Index">The index of the request in the caller's list.</param>
/// <param name="Id">The new document's <c>_id</c>.</param>
public sealed record BulkWriteUpsert(int Index, BsonValue Id);

/// <summary>The result of a bulk write (also the partial result inside <see cref="MongoBulkWriteException"/>).</summary>
public sealed class BulkWriteResult
{
    internal BulkWriteResult(bool isAcknowledged, int requestCount, long insertedCount, long matchedCount, long modifiedCount, long deletedCount, IReadOnlyList<BulkWriteUpsert> upserts, IReadOnlyDictionary<int, BsonValue> insertedIds)
    {
        IsAcknowledged = isAcknowledged;
        RequestCount = requestCount;
        InsertedCount = insertedCount;
        MatchedCount = matchedCount;
        ModifiedCount = modifiedCount;
        DeletedCount = deletedCount;
        Upserts = upserts;
        InsertedIds = insertedIds;
    }

    /// <summary>False for <c>w: 0</c> writes, whose counts are unknown (zero).</summary>
    public bool IsAcknowledged { get; }

    /// <summary>How many requests were given.</summary>
    public int RequestCount { get; }

    /// <summary>Documents inserted.</summary>
    public long InsertedCount { get; }

    /// <summary>Documents matched by updates and replacements.</summary>
    public long MatchedCount { get; }

    /// <summary>Documents changed by updates and replacements.</summary>
    public long ModifiedCount { get; }

    /// <summary>Documents deleted.</summary>
    public long DeletedCount { get; }

    /// <summary>How many updates inserted a document.</summary>
    public long UpsertedCount => Upserts.Count;

    /// <summary>Each upsert: request index and new <c>_id</c>.</summary>
    public IReadOnlyList<BulkWriteUpsert> Upserts { get; }

    /// <summary>The <c>_id</c> of each insert request that was sent, by request index.</summary>
    public IReadOnlyDictionary<int, BsonValue> InsertedIds { get; }
}
