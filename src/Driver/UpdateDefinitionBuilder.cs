using System.Linq.Expressions;
using Mongo.Bson;

namespace Mongo.Driver;

/// <summary>Typed update builders (<see cref="Builders{TDocument}.Update"/>); each returns an <see cref="UpdateDefinition{TDocument}"/> to chain on.</summary>
/// <typeparam name="TDocument">The document type.</typeparam>
public sealed class UpdateDefinitionBuilder<TDocument>
{
    private static readonly UpdateDefinition<TDocument> Start = new(_ => []);

    internal UpdateDefinitionBuilder()
    {
    }

    /// <summary><c>{$set: {field: value}}</c>.</summary>
    public UpdateDefinition<TDocument> Set<TField>(Expression<Func<TDocument, TField>> field, TField value) => Start.Set(field, value);

    /// <summary><c>{$setOnInsert: {field: value}}</c>.</summary>
    public UpdateDefinition<TDocument> SetOnInsert<TField>(Expression<Func<TDocument, TField>> field, TField value) => Start.SetOnInsert(field, value);

    /// <summary><c>{$unset: {field: ""}}</c>.</summary>
    public UpdateDefinition<TDocument> Unset<TField>(Expression<Func<TDocument, TField>> field) => Start.Unset(field);

    /// <summary><c>{$inc: {field: amount}}</c>.</summary>
    public UpdateDefinition<TDocument> Inc<TField>(Expression<Func<TDocument, TField>> field, TField amount) => Start.Inc(field, amount);

    /// <summary><c>{$mul: {field: factor}}</c>.</summary>
    public UpdateDefinition<TDocument> Mul<TField>(Expression<Func<TDocument, TField>> field, TField factor) => Start.Mul(field, factor);

    /// <summary><c>{$min: {field: value}}</c>.</summary>
    public UpdateDefinition<TDocument> Min<TField>(Expression<Func<TDocument, TField>> field, TField value) => Start.Min(field, value);

    /// <summary><c>{$max: {field: value}}</c>.</summary>
    public UpdateDefinition<TDocument> Max<TField>(Expression<Func<TDocument, TField>> field, TField value) => Start.Max(field, value);

    /// <summary><c>{$rename: {field: newName}}</c>.</summary>
    public UpdateDefinition<TDocument> Rename<TField>(Expression<Func<TDocument, TField>> field, string newName) => Start.Rename(field, newName);

    /// <summary><c>{$currentDate: {field: true}}</c> (or a timestamp).</summary>
    public UpdateDefinition<TDocument> CurrentDate<TField>(Expression<Func<TDocument, TField>> field, bool timestamp = false) => Start.CurrentDate(field, timestamp);

    /// <summary><c>{$push: {field: item}}</c>.</summary>
    public UpdateDefinition<TDocument> Push<TItem>(Expression<Func<TDocument, IEnumerable<TItem>>> field, TItem item) => Start.Push(field, item);

    /// <summary><c>{$push: {field: {$each, $slice, $sort, $position}}}</c>.</summary>
    public UpdateDefinition<TDocument> PushEach<TItem>(
        Expression<Func<TDocument, IEnumerable<TItem>>> field, IEnumerable<TItem> items, int? slice = null, int? position = null,
        SortDefinition? sort = null, int? sortDirection = null) => Start.PushEach(field, items, slice, position, sort, sortDirection);

    /// <summary><c>{$addToSet: {field: item}}</c>.</summary>
    public UpdateDefinition<TDocument> AddToSet<TItem>(Expression<Func<TDocument, IEnumerable<TItem>>> field, TItem item) => Start.AddToSet(field, item);

    /// <summary><c>{$addToSet: {field: {$each: [items]}}}</c>.</summary>
    public UpdateDefinition<TDocument> AddToSetEach<TItem>(Expression<Func<TDocument, IEnumerable<TItem>>> field, IEnumerable<TItem> items) => Start.AddToSetEach(field, items);

    /// <summary><c>{$pull: {field: item}}</c>.</summary>
    public UpdateDefinition<TDocument> Pull<TItem>(Expression<Func<TDocument, IEnumerable<TItem>>> field, TItem item) => Start.Pull(field, item);

    /// <summary><c>{$pull: {field: filter}}</c>.</summary>
    public UpdateDefinition<TDocument> PullFilter<TItem>(Expression<Func<TDocument, IEnumerable<TItem>>> field, FilterDefinition<TItem> filter) => Start.PullFilter(field, filter);

    /// <summary><c>{$pull: {field: ...}}</c> from an item predicate.</summary>
    public UpdateDefinition<TDocument> PullFilter<TItem>(Expression<Func<TDocument, IEnumerable<TItem>>> field, Expression<Func<TItem, bool>> predicate) => Start.PullFilter(field, predicate);

    /// <summary><c>{$pullAll: {field: [items]}}</c>.</summary>
    public UpdateDefinition<TDocument> PullAll<TItem>(Expression<Func<TDocument, IEnumerable<TItem>>> field, IEnumerable<TItem> items) => Start.PullAll(field, items);

    /// <summary><c>{$pop: {field: -1}}</c>.</summary>
    public UpdateDefinition<TDocument> PopFirst<TField>(Expression<Func<TDocument, TField>> field) => Start.PopFirst(field);

    /// <summary><c>{$pop: {field: 1}}</c>.</summary>
    public UpdateDefinition<TDocument> PopLast<TField>(Expression<Func<TDocument, TField>> field) => Start.PopLast(field);

    /// <summary>The operators of several updates in one document (a field set twice keeps the last value).</summary>
    public UpdateDefinition<TDocument> Combine(params UpdateDefinition[] updates)
    {
        ArgumentNullException.ThrowIfNull(updates);
        return new(r =>
        {
            var combined = new BsonDocument();
            foreach (var update in updates)
            {
                if (update.Render(r) is not BsonDocument document)
                {
                    throw new InvalidOperationException("A pipeline update cannot be combined with operator updates.");
                }

                foreach (var op in document)
                {
                    foreach (var field in op.Value.AsDocument)
                    {
                        combined = UpdateDefinition.WithOperator(combined, op.Name, field.Name, field.Value);
                    }
                }
            }

            return combined;
        });
    }
}
