using System.Linq.Expressions;
using Mongo.Bson;

namespace Mongo.Driver;

/// <summary>One request of a <c>BulkWrite</c>: insert, update, replace or delete.</summary>
/// <typeparam name="TDocument">The collection's document type.</typeparam>
public abstract class WriteModel<TDocument>
{
    private protected WriteModel()
    {
    }
}

/// <summary>Inserts a document (an <c>_id</c> is generated when absent).</summary>
public sealed class InsertOneModel<TDocument>(TDocument document) : WriteModel<TDocument>
{
    /// <summary>The document.</summary>
    public TDocument Document { get; } = document;
}

/// <summary>Options shared by the update and replace models.</summary>
public abstract class UpdateModelBase<TDocument> : WriteModel<TDocument>
{
    private protected UpdateModelBase(FilterDefinition filter) => Filter = filter ?? throw new ArgumentNullException(nameof(filter));

    /// <summary>Which documents to change.</summary>
    public FilterDefinition Filter { get; }

    /// <summary>Insert a document when none matches.</summary>
    public bool IsUpsert { get; init; }

    /// <summary>String comparison rules (<c>{locale: "en", strength: 2}</c>).</summary>
    public BsonDocument? Collation { get; init; }

    /// <summary>The index to use: its name (string) or its key document.</summary>
    public BsonValue? Hint { get; init; }
}

/// <summary>Updates the first document matching a filter.</summary>
public sealed class UpdateOneModel<TDocument>(FilterDefinition filter, UpdateDefinition update) : UpdateModelBase<TDocument>(filter)
{
    /// <summary>A model whose filter is a predicate translated to MQL (see <see cref="FilterDefinitionBuilder{TDocument}.Where"/>).</summary>
    public UpdateOneModel(Expression<Func<TDocument, bool>> filter, UpdateDefinition update)
        : this(Builders<TDocument>.Filter.Where(filter), update)
    {
    }

    /// <summary>The update operators or pipeline.</summary>
    public UpdateDefinition Update { get; } = update ?? throw new ArgumentNullException(nameof(update));

    /// <summary>Filters choosing which array elements <c>$[identifier]</c> updates.</summary>
    public IReadOnlyList<BsonDocument>? ArrayFilters { get; init; }

    /// <summary>Which document is "first" when several match (server 8.0+).</summary>
    public SortDefinition? Sort { get; init; }
}

/// <summary>Updates every document matching a filter.</summary>
public sealed class UpdateManyModel<TDocument>(FilterDefinition filter, UpdateDefinition update) : UpdateModelBase<TDocument>(filter)
{
    /// <summary>A model whose filter is a predicate translated to MQL (see <see cref="FilterDefinitionBuilder{TDocument}.Where"/>).</summary>
    public UpdateManyModel(Expression<Func<TDocument, bool>> filter, UpdateDefinition update)
        : this(Builders<TDocument>.Filter.Where(filter), update)
    {
    }

    /// <summary>The update operators or pipeline.</summary>
    public UpdateDefinition Update { get; } = update ?? throw new ArgumentNullException(nameof(update));

    /// <summary>Filters choosing which array elements <c>$[identifier]</c> updates.</summary>
    public IReadOnlyList<BsonDocument>? ArrayFilters { get; init; }
}

/// <summary>Replaces the first document matching a filter.</summary>
public sealed class ReplaceOneModel<TDocument>(FilterDefinition filter, TDocument replacement) : UpdateModelBase<TDocument>(filter)
{
    /// <summary>A model whose filter is a predicate translated to MQL (see <see cref="FilterDefinitionBuilder{TDocument}.Where"/>).</summary>
    public ReplaceOneModel(Expression<Func<TDocument, bool>> filter, TDocument replacement)
        : this(Builders<TDocument>.Filter.Where(filter), replacement)
    {
    }

    /// <summary>The new document (without update operators).</summary>
    public TDocument Replacement { get; } = replacement;

    /// <summary>Which document is "first" when several match (server 8.0+).</summary>
    public SortDefinition? Sort { get; init; }
}

/// <summary>Deletes the first document matching a filter.</summary>
public sealed class DeleteOneModel<TDocument>(FilterDefinition filter) : WriteModel<TDocument>
{
    /// <summary>A model whose filter is a predicate translated to MQL (see <see cref="FilterDefinitionBuilder{TDocument}.Where"/>).</summary>
    public DeleteOneModel(Expression<Func<TDocument, bool>> filter)
        : this(Builders<TDocument>.Filter.Where(filter))
    {
    }

    /// <summary>Which document to delete.</summary>
    public FilterDefinition Filter { get; } = filter ?? throw new ArgumentNullException(nameof(filter));

    /// <summary>String comparison rules.</summary>
    public BsonDocument? Collation { get; init; }

    /// <summary>The index to use: its name (string) or its key document.</summary>
    public BsonValue? Hint { get; init; }
}

/// <summary>Deletes every document matching a filter.</summary>
public sealed class DeleteManyModel<TDocument>(FilterDefinition filter) : WriteModel<TDocument>
{
    /// <summary>A model whose filter is a predicate translated to MQL (see <see cref="FilterDefinitionBuilder{TDocument}.Where"/>).</summary>
    public DeleteManyModel(Expression<Func<TDocument, bool>> filter)
        : this(Builders<TDocument>.Filter.Where(filter))
    {
    }

    /// <summary>Which documents to delete.</summary>
    public FilterDefinition Filter { get; } = filter ?? throw new ArgumentNullException(nameof(filter));

    /// <summary>String comparison rules.</summary>
    public BsonDocument? Collation { get; init; }

    /// <summary>The index to use: its name (string) or its key document.</summary>
    public BsonValue? Hint { get; init; }
}
