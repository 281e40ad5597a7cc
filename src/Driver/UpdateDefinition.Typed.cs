using System.Linq.Expressions;
using Mongo.Bson;
using Mongo.Bson.Serialization;
using Mongo.Driver.Linq;

namespace Mongo.Driver;

/// <summary>
/// An update over documents of type <typeparamref name="TDocument"/> (<see cref="Builders{TDocument}.Update"/>): chain
/// operators (<c>.Set(p => p.Name, "Ada").Inc(p => p.Age, 1)</c>); fields are member paths (positional markers:
/// <see cref="MongoPositional"/>) and values are encoded with the field's model (items with the item model).
/// </summary>
/// <typeparam name="TDocument">The document type.</typeparam>
public sealed class UpdateDefinition<TDocument> : UpdateDefinition
{
    internal UpdateDefinition(Func<IBsonTypeInfoResolver, BsonDocument> render)
        : base(render)
    {
    }

    /// <summary><c>{$set: {field: value}}</c>.</summary>
    public UpdateDefinition<TDocument> Set<TField>(Expression<Func<TDocument, TField>> field, TField value) => Value("$set", field, value);

    /// <summary><c>{$setOnInsert: {field: value}}</c>: only when an upsert inserts.</summary>
    public UpdateDefinition<TDocument> SetOnInsert<TField>(Expression<Func<TDocument, TField>> field, TField value) => Value("$setOnInsert", field, value);

    /// <summary><c>{$unset: {field: ""}}</c>.</summary>
    public UpdateDefinition<TDocument> Unset<TField>(Expression<Func<TDocument, TField>> field) => With("$unset", field, (_, _) => "");

    /// <summary><c>{$inc: {field: amount}}</c>.</summary>
    public UpdateDefinition<TDocument> Inc<TField>(Expression<Func<TDocument, TField>> field, TField amount) => Value("$inc", field, amount);

    /// <summary><c>{$mul: {field: factor}}</c>.</summary>
    public UpdateDefinition<TDocument> Mul<TField>(Expression<Func<TDocument, TField>> field, TField factor) => Value("$mul", field, factor);

    /// <summary><c>{$min: {field: value}}</c>.</summary>
    public UpdateDefinition<TDocument> Min<TField>(Expression<Func<TDocument, TField>> field, TField value) => Value("$min", field, value);

    /// <summary><c>{$max: {field: value}}</c>.</summary>
    public UpdateDefinition<TDocument> Max<TField>(Expression<Func<TDocument, TField>> field, TField value) => Value("$max", field, value);

    /// <summary><c>{$rename: {field: newName}}</c> (the new name is an element name as stored).</summary>
    public UpdateDefinition<TDocument> Rename<TField>(Expression<Func<TDocument, TField>> field, string newName)
    {
        ArgumentException.ThrowIfNullOrEmpty(newName);
        return With("$rename", field, (_, _) => newName);
    }

    /// <summary><c>{$currentDate: {field: true}}</c>, or <c>{$type: "timestamp"}</c> when <paramref name="timestamp"/> is set.</summary>
    public UpdateDefinition<TDocument> CurrentDate<TField>(Expression<Func<TDocument, TField>> field, bool timestamp = false) =>
        With("$currentDate", field, (_, _) => timestamp ? new BsonDocument("$type", "timestamp") : true);

    /// <summary><c>{$push: {field: item}}</c>.</summary>
    public UpdateDefinition<TDocument> Push<TItem>(Expression<Func<TDocument, IEnumerable<TItem>>> field, TItem item) =>
        With("$push", field, (f, _) => FieldPaths.Encode(f.ItemTypeInfo, item));

    /// <summary>
    /// <c>{$push: {field: {$each: [items], $slice, $sort, $position}}}</c>; a sort over items that are documents is a
    /// <see cref="SortDefinition"/> (typed sorts render with the item model), over scalar items use <paramref name="sortDirection"/>.
    /// </summary>
    public UpdateDefinition<TDocument> PushEach<TItem>(
        Expression<Func<TDocument, IEnumerable<TItem>>> field, IEnumerable<TItem> items, int? slice = null, int? position = null,
        SortDefinition? sort = null, int? sortDirection = null)
    {
        ArgumentNullException.ThrowIfNull(items);
        if (sort is not null && sortDirection is not null)
        {
            throw new ArgumentException("Give either a sort document or a direction for scalar items, not both.", nameof(sortDirection));
        }

        var list = items.ToList();
        return With("$push", field, (f, r) =>
        {
            var each = new BsonDocument("$each", FieldPaths.EncodeAll(f.ItemTypeInfo, list));
            if (slice is { } s)
            {
                each.Add("$slice", s);
            }

            if (sort is not null)
            {
                each.Add("$sort", sort.Render(TypedRendering.ForItems(f.ItemTypeInfo, r)));
            }
            else if (sortDirection is { } direction)
            {
                each.Add("$sort", direction);
            }

            if (position is { } p)
            {
                each.Add("$position", p);
            }

            return each;
        });
    }

    /// <summary><c>{$addToSet: {field: item}}</c>.</summary>
    public UpdateDefinition<TDocument> AddToSet<TItem>(Expression<Func<TDocument, IEnumerable<TItem>>> field, TItem item) =>
        With("$addToSet", field, (f, _) => FieldPaths.Encode(f.ItemTypeInfo, item));

    /// <summary><c>{$addToSet: {field: {$each: [items]}}}</c>.</summary>
    public UpdateDefinition<TDocument> AddToSetEach<TItem>(Expression<Func<TDocument, IEnumerable<TItem>>> field, IEnumerable<TItem> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        var list = items.ToList();
        return With("$addToSet", field, (f, _) => new BsonDocument("$each", FieldPaths.EncodeAll(f.ItemTypeInfo, list)));
    }

    /// <summary><c>{$pull: {field: item}}</c>: removes every item equal to the value.</summary>
    public UpdateDefinition<TDocument> Pull<TItem>(Expression<Func<TDocument, IEnumerable<TItem>>> field, TItem item) =>
        With("$pull", field, (f, _) => FieldPaths.Encode(f.ItemTypeInfo, item));

    /// <summary><c>{$pull: {field: filter}}</c>: removes every item matching a filter rendered with the item model.</summary>
    public UpdateDefinition<TDocument> PullFilter<TItem>(Expression<Func<TDocument, IEnumerable<TItem>>> field, FilterDefinition<TItem> filter)
    {
        ArgumentNullException.ThrowIfNull(filter);
        return With("$pull", field, (f, r) => filter.Render(TypedRendering.ForItems(f.ItemTypeInfo, r)));
    }

    /// <summary><c>{$pull: {field: ...}}</c> from an item predicate (items that are documents).</summary>
    public UpdateDefinition<TDocument> PullFilter<TItem>(Expression<Func<TDocument, IEnumerable<TItem>>> field, Expression<Func<TItem, bool>> predicate) =>
        PullFilter(field, Builders<TItem>.Filter.Where(predicate));

    /// <summary><c>{$pullAll: {field: [items]}}</c>.</summary>
    public UpdateDefinition<TDocument> PullAll<TItem>(Expression<Func<TDocument, IEnumerable<TItem>>> field, IEnumerable<TItem> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        var list = items.ToList();
        return With("$pullAll", field, (f, _) => FieldPaths.EncodeAll(f.ItemTypeInfo, list));
    }

    /// <summary><c>{$pop: {field: -1}}</c>: removes the first item.</summary>
    public UpdateDefinition<TDocument> PopFirst<TField>(Expression<Func<TDocument, TField>> field) => With("$pop", field, (_, _) => -1);

    /// <summary><c>{$pop: {field: 1}}</c>: removes the last item.</summary>
    public UpdateDefinition<TDocument> PopLast<TField>(Expression<Func<TDocument, TField>> field) => With("$pop", field, (_, _) => 1);

    private UpdateDefinition<TDocument> Value<TField>(string op, Expression<Func<TDocument, TField>> field, TField value) =>
        With(op, field, (f, _) => FieldPaths.Encode(f.TypeInfo, value));

    private UpdateDefinition<TDocument> With(string op, LambdaExpression field, Func<RenderedField, IBsonTypeInfoResolver, BsonValue> value)
    {
        ArgumentNullException.ThrowIfNull(field);
        var previous = Renderer;
        return new(r =>
        {
            var rendered = FieldPaths.Resolve(field, TypedRendering.Root(r, typeof(TDocument)));
            return WithOperator(previous(r), op, rendered.Path, value(rendered, r));
        });
    }
}
