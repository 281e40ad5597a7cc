using System.Linq.Expressions;
using Mongo.Bson;

namespace Mongo.Driver;

/// <summary>
/// Overloads taking a predicate (<c>p => p.Age > 30 &amp;&amp; p.Tags.Contains("x")</c>) instead of a filter: the predicate is
/// translated to MQL with the collection's serialization model when the command is built. What cannot be translated
/// throws <see cref="MongoNotSupportedException"/> naming the sub-expression; nothing is evaluated on the client.
/// </summary>
public sealed partial class MongoCollection<TDocument>
{
    /// <summary>Finds the documents matching a predicate.</summary>
    /// <exception cref="MongoNotSupportedException">The predicate has no MQL translation.</exception>
    public FindFluent<TDocument> Find(Expression<Func<TDocument, bool>> filter, FindOptions? options = null) =>
        Find(Where(filter), options);

    /// <summary>The first document matching a predicate, or default.</summary>
    /// <exception cref="MongoNotSupportedException">The predicate has no MQL translation.</exception>
    public TDocument? FindOne(Expression<Func<TDocument, bool>> filter, FindOptions? options = null, CancellationToken cancellationToken = default) =>
        FindOne(Where(filter), options, cancellationToken);

    /// <summary>The first document matching a predicate, or default.</summary>
    /// <exception cref="MongoNotSupportedException">The predicate has no MQL translation.</exception>
    public Task<TDocument?> FindOneAsync(Expression<Func<TDocument, bool>> filter, FindOptions? options = null, CancellationToken cancellationToken = default) =>
        FindOneAsync(Where(filter), options, cancellationToken);

    /// <summary>Counts the documents matching a predicate.</summary>
    /// <exception cref="MongoNotSupportedException">The predicate has no MQL translation.</exception>
    public long CountDocuments(Expression<Func<TDocument, bool>> filter, CountOptions? options = null, CancellationToken cancellationToken = default) =>
        CountDocuments(Where(filter), options, cancellationToken);

    /// <summary>Counts the documents matching a predicate.</summary>
    /// <exception cref="MongoNotSupportedException">The predicate has no MQL translation.</exception>
    public Task<long> CountDocumentsAsync(Expression<Func<TDocument, bool>> filter, CountOptions? options = null, CancellationToken cancellationToken = default) =>
        CountDocumentsAsync(Where(filter), options, cancellationToken);

    /// <summary>Counts with the count command (see the FilterDefinition overload).</summary>
    /// <exception cref="MongoNotSupportedException">The predicate has no MQL translation.</exception>
    [Obsolete(CountObsoleteMessage)]
    public long Count(Expression<Func<TDocument, bool>> filter, CountOptions? options = null, CancellationToken cancellationToken = default) =>
        Count(Where(filter), options, cancellationToken);

    /// <summary>Counts with the count command (see the FilterDefinition overload).</summary>
    /// <exception cref="MongoNotSupportedException">The predicate has no MQL translation.</exception>
    [Obsolete(CountObsoleteMessage)]
    public Task<long> CountAsync(Expression<Func<TDocument, bool>> filter, CountOptions? options = null, CancellationToken cancellationToken = default) =>
        CountAsync(Where(filter), options, cancellationToken);

    /// <summary>Updates the first document matching a predicate.</summary>
    /// <exception cref="MongoNotSupportedException">The predicate has no MQL translation.</exception>
    public UpdateResult UpdateOne(Expression<Func<TDocument, bool>> filter, UpdateDefinition update, UpdateOptions? options = null, CancellationToken cancellationToken = default) =>
        UpdateOne(Where(filter), update, options, cancellationToken);

    /// <summary>Updates the first document matching a predicate.</summary>
    /// <exception cref="MongoNotSupportedException">The predicate has no MQL translation.</exception>
    public Task<UpdateResult> UpdateOneAsync(Expression<Func<TDocument, bool>> filter, UpdateDefinition update, UpdateOptions? options = null, CancellationToken cancellationToken = default) =>
        UpdateOneAsync(Where(filter), update, options, cancellationToken);

    /// <summary>Updates every document matching a predicate.</summary>
    /// <exception cref="MongoNotSupportedException">The predicate has no MQL translation.</exception>
    public UpdateResult UpdateMany(Expression<Func<TDocument, bool>> filter, UpdateDefinition update, UpdateOptions? options = null, CancellationToken cancellationToken = default) =>
        UpdateMany(Where(filter), update, options, cancellationToken);

    /// <summary>Updates every document matching a predicate.</summary>
    /// <exception cref="MongoNotSupportedException">The predicate has no MQL translation.</exception>
    public Task<UpdateResult> UpdateManyAsync(Expression<Func<TDocument, bool>> filter, UpdateDefinition update, UpdateOptions? options = null, CancellationToken cancellationToken = default) =>
        UpdateManyAsync(Where(filter), update, options, cancellationToken);

    /// <summary>Replaces the first document matching a predicate.</summary>
    /// <exception cref="MongoNotSupportedException">The predicate has no MQL translation.</exception>
    public UpdateResult ReplaceOne(Expression<Func<TDocument, bool>> filter, TDocument replacement, UpdateOptions? options = null, CancellationToken cancellationToken = default) =>
        ReplaceOne(Where(filter), replacement, options, cancellationToken);

    /// <summary>Replaces the first document matching a predicate.</summary>
    /// <exception cref="MongoNotSupportedException">The predicate has no MQL translation.</exception>
    public Task<UpdateResult> ReplaceOneAsync(Expression<Func<TDocument, bool>> filter, TDocument replacement, UpdateOptions? options = null, CancellationToken cancellationToken = default) =>
        ReplaceOneAsync(Where(filter), replacement, options, cancellationToken);

    /// <summary>Deletes the first document matching a predicate.</summary>
    /// <exception cref="MongoNotSupportedException">The predicate has no MQL translation.</exception>
    public DeleteResult DeleteOne(Expression<Func<TDocument, bool>> filter, DeleteOptions? options = null, CancellationToken cancellationToken = default) =>
        DeleteOne(Where(filter), options, cancellationToken);

    /// <summary>Deletes the first document matching a predicate.</summary>
    /// <exception cref="MongoNotSupportedException">The predicate has no MQL translation.</exception>
    public Task<DeleteResult> DeleteOneAsync(Expression<Func<TDocument, bool>> filter, DeleteOptions? options = null, CancellationToken cancellationToken = default) =>
        DeleteOneAsync(Where(filter), options, cancellationToken);

    /// <summary>Deletes every document matching a predicate.</summary>
    /// <exception cref="MongoNotSupportedException">The predicate has no MQL translation.</exception>
    public DeleteResult DeleteMany(Expression<Func<TDocument, bool>> filter, DeleteOptions? options = null, CancellationToken cancellationToken = default) =>
        DeleteMany(Where(filter), options, cancellationToken);

    /// <summary>Deletes every document matching a predicate.</summary>
    /// <exception cref="MongoNotSupportedException">The predicate has no MQL translation.</exception>
    public Task<DeleteResult> DeleteManyAsync(Expression<Func<TDocument, bool>> filter, DeleteOptions? options = null, CancellationToken cancellationToken = default) =>
        DeleteManyAsync(Where(filter), options, cancellationToken);

    /// <summary>Atomically updates the first document matching a predicate and returns it.</summary>
    /// <exception cref="MongoNotSupportedException">The predicate has no MQL translation.</exception>
    public TDocument? FindOneAndUpdate(Expression<Func<TDocument, bool>> filter, UpdateDefinition update, FindOneAndModifyOptions? options = null, CancellationToken cancellationToken = default) =>
        FindOneAndUpdate(Where(filter), update, options, cancellationToken);

    /// <summary>Atomically updates the first document matching a predicate and returns it.</summary>
    /// <exception cref="MongoNotSupportedException">The predicate has no MQL translation.</exception>
    public Task<TDocument?> FindOneAndUpdateAsync(Expression<Func<TDocument, bool>> filter, UpdateDefinition update, FindOneAndModifyOptions? options = null, CancellationToken cancellationToken = default) =>
        FindOneAndUpdateAsync(Where(filter), update, options, cancellationToken);

    /// <summary>Atomically replaces the first document matching a predicate and returns it.</summary>
    /// <exception cref="MongoNotSupportedException">The predicate has no MQL translation.</exception>
    public TDocument? FindOneAndReplace(Expression<Func<TDocument, bool>> filter, TDocument replacement, FindOneAndModifyOptions? options = null, CancellationToken cancellationToken = default) =>
        FindOneAndReplace(Where(filter), replacement, options, cancellationToken);

    /// <summary>Atomically replaces the first document matching a predicate and returns it.</summary>
    /// <exception cref="MongoNotSupportedException">The predicate has no MQL translation.</exception>
    public Task<TDocument?> FindOneAndReplaceAsync(Expression<Func<TDocument, bool>> filter, TDocument replacement, FindOneAndModifyOptions? options = null, CancellationToken cancellationToken = default) =>
        FindOneAndReplaceAsync(Where(filter), replacement, options, cancellationToken);

    /// <summary>Atomically deletes the first document matching a predicate and returns it.</summary>
    /// <exception cref="MongoNotSupportedException">The predicate has no MQL translation.</exception>
    public TDocument? FindOneAndDelete(Expression<Func<TDocument, bool>> filter, FindOneAndModifyOptions? options = null, CancellationToken cancellationToken = default) =>
        FindOneAndDelete(Where(filter), options, cancellationToken);

    /// <summary>Atomically deletes the first document matching a predicate and returns it.</summary>
    /// <exception cref="MongoNotSupportedException">The predicate has no MQL translation.</exception>
    public Task<TDocument?> FindOneAndDeleteAsync(Expression<Func<TDocument, bool>> filter, FindOneAndModifyOptions? options = null, CancellationToken cancellationToken = default) =>
        FindOneAndDeleteAsync(Where(filter), options, cancellationToken);

    /// <summary>The distinct values of a field among the documents matching a predicate.</summary>
    public List<BsonValue> Distinct(string fieldName, Expression<Func<TDocument, bool>> filter, DistinctOptions? options = null, CancellationToken cancellationToken = default) =>
        Distinct(fieldName, Where(filter), options, cancellationToken);

    /// <summary>The distinct values of a field among the documents matching a predicate.</summary>
    public Task<List<BsonValue>> DistinctAsync(string fieldName, Expression<Func<TDocument, bool>> filter, DistinctOptions? options = null, CancellationToken cancellationToken = default) =>
        DistinctAsync(fieldName, Where(filter), options, cancellationToken);

    private static FilterDefinition<TDocument> Where(Expression<Func<TDocument, bool>> filter) => Builders<TDocument>.Filter.Where(filter);
}
