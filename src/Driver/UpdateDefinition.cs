using Mongo.Bson;
using Mongo.Bson.Serialization;

namespace Mongo.Driver;

/// <summary>
/// An update: an operator document (<c>{$set: {a: 1}, $inc: {n: 2}}</c>) or an aggregation pipeline.
/// Build with <see cref="Update"/> or pass a <see cref="BsonDocument"/> / <see cref="BsonArray"/> pipeline. Immutable.
/// </summary>
public class UpdateDefinition
{
    private readonly BsonValue? _value;
    private readonly Func<IBsonTypeInfoResolver, BsonDocument>? _render;

    internal UpdateDefinition(BsonValue value) => _value = value;

    internal UpdateDefinition(Func<IBsonTypeInfoResolver, BsonDocument> render) => _render = render;

    /// <summary>Whether rendering needs a serialization model (fields were named with typed members).</summary>
    public bool IsTyped => _render is not null;

    /// <summary>The update rendered with the given resolver's serialization models.</summary>
    public BsonValue Render(IBsonTypeInfoResolver resolver)
    {
        ArgumentNullException.ThrowIfNull(resolver);
        return _value ?? _render!(resolver);
    }

    internal Func<IBsonTypeInfoResolver, BsonDocument> Renderer => _render ?? (_ => _value as BsonDocument ?? throw new InvalidOperationException("Update operators cannot be added to a pipeline update."));

    /// <summary>The update as sent to the server: a document or a pipeline array. Do not modify it.</summary>
    /// <exception cref="InvalidOperationException">The update is typed and no default resolver knows its document type.</exception>
    public BsonValue Render() => _value ?? _render!(TypedRendering.DefaultResolver);

    /// <summary>Whether this is an aggregation pipeline update.</summary>
    public bool IsPipeline => _value is BsonArray;

    /// <summary>Adds <c>$set: {field: value}</c>.</summary>
    public UpdateDefinition Set(string field, BsonValue value) => With("$set", field, value);

    /// <summary>Adds <c>$setOnInsert: {field: value}</c>.</summary>
    public UpdateDefinition SetOnInsert(string field, BsonValue value) => With("$setOnInsert", field, value);

    /// <summary>Adds <c>$unset: {field: ""}</c>.</summary>
    public UpdateDefinition Unset(string field) => With("$unset", field, "");

    /// <summary>Adds <c>$inc: {field: amount}</c>.</summary>
    public UpdateDefinition Inc(string field, BsonValue amount) => With("$inc", field, amount);

    /// <summary>Adds <c>$mul: {field: factor}</c>.</summary>
    public UpdateDefinition Mul(string field, BsonValue factor) => With("$mul", field, factor);

    /// <summary>Adds <c>$min: {field: value}</c>.</summary>
    public UpdateDefinition Min(string field, BsonValue value) => With("$min", field, value);

    /// <summary>Adds <c>$max: {field: value}</c>.</summary>
    public UpdateDefinition Max(string field, BsonValue value) => With("$max", field, value);

    /// <summary>Adds <c>$rename: {field: newName}</c>.</summary>
    public UpdateDefinition Rename(string field, string newName) => With("$rename", field, newName);

    /// <summary>Adds <c>$currentDate: {field: true}</c>.</summary>
    public UpdateDefinition CurrentDate(string field) => With("$currentDate", field, true);

    /// <summary>Adds <c>$push: {field: value}</c>.</summary>
    public UpdateDefinition Push(string field, BsonValue value) => With("$push", field, value);

    /// <summary>Adds <c>$push: {field: {$each: values}}</c>.</summary>
    public UpdateDefinition PushEach(string field, IEnumerable<BsonValue> values) => With("$push", field, new BsonDocument("$each", new BsonArray(values)));

    /// <summary>Adds <c>$addToSet: {field: value}</c>.</summary>
    public UpdateDefinition AddToSet(string field, BsonValue value) => With("$addToSet", field, value);

    /// <summary>Adds <c>$addToSet: {field: {$each: values}}</c>.</summary>
    public UpdateDefinition AddToSetEach(string field, IEnumerable<BsonValue> values) => With("$addToSet", field, new BsonDocument("$each", new BsonArray(values)));

    /// <summary>Adds <c>$pull: {field: valueOrCondition}</c>.</summary>
    public UpdateDefinition Pull(string field, BsonValue valueOrCondition) => With("$pull", field, valueOrCondition);

    /// <summary>Adds <c>$pullAll: {field: values}</c>.</summary>
    public UpdateDefinition PullAll(string field, IEnumerable<BsonValue> values) => With("$pullAll", field, new BsonArray(values));

    /// <summary>Adds <c>$pop: {field: 1}</c> (last element).</summary>
    public UpdateDefinition PopLast(string field) => With("$pop", field, 1);

    /// <summary>Adds <c>$pop: {field: -1}</c> (first element).</summary>
    public UpdateDefinition PopFirst(string field) => With("$pop", field, -1);

    /// <summary>Wraps an update document (operators, or a replacement-style document the server rejects for updates).</summary>
    public static implicit operator UpdateDefinition(BsonDocument document) => new((BsonValue?)document ?? throw new ArgumentNullException(nameof(document)));

    /// <summary>Wraps an aggregation pipeline update.</summary>
    public static implicit operator UpdateDefinition(BsonArray pipeline) => new(pipeline ?? throw new ArgumentNullException(nameof(pipeline)));

    /// <summary>The update as relaxed Extended JSON.</summary>
    public override string ToString() => _value?.ToString() ?? TypedRendering.TryDescribe(_render!);

    internal static UpdateDefinition Create(string op, string field, BsonValue value) =>
        new(new BsonDocument(op, new BsonDocument(Filter.CheckField(field), value ?? BsonNull.Value)));

    private UpdateDefinition With(string op, string field, BsonValue value)
    {
        Filter.CheckField(field);
        if (_render is { } render)
        {
            return new(r => WithOperator(render(r), op, field, value));
        }

        if (_value is not BsonDocument document)
        {
            throw new InvalidOperationException("Update operators cannot be added to a pipeline update.");
        }

        return new(WithOperator(document, op, field, value));
    }

    /// <summary>A copy of an update document with one more <c>{op: {field: value}}</c>.</summary>
    internal static BsonDocument WithOperator(BsonDocument document, string op, string field, BsonValue value)
    {
        // Shallow copies: the definitions share unchanged values, never mutate them.
        var copy = new BsonDocument(document);
        if (copy.TryGetValue(op, out var existing) && existing is BsonDocument fields)
        {
            var updated = new BsonDocument(fields);
            updated.Set(Filter.CheckField(field), value ?? BsonNull.Value);
            copy.Set(op, updated);
        }
        else
        {
            copy.Add(op, new BsonDocument(Filter.CheckField(field), value ?? BsonNull.Value));
        }

        return copy;
    }
}

/// <summary>Update builders: <c>Update.Set("a", 1).Inc("n", 2)</c> is <c>{$set: {a: 1}, $inc: {n: 2}}</c>.</summary>
public static class Update
{
    /// <summary><c>{$set: {field: value}}</c>.</summary>
    public static UpdateDefinition Set(string field, BsonValue value) => UpdateDefinition.Create("$set", field, value);

    /// <summary><c>{$setOnInsert: {field: value}}</c>.</summary>
    public static UpdateDefinition SetOnInsert(string field, BsonValue value) => UpdateDefinition.Create("$setOnInsert", field, value);

    /// <summary><c>{$unset: {field: ""}}</c>.</summary>
    public static UpdateDefinition Unset(string field) => UpdateDefinition.Create("$unset", field, "");

    /// <summary><c>{$inc: {field: amount}}</c>.</summary>
    public static UpdateDefinition Inc(string field, BsonValue amount) => UpdateDefinition.Create("$inc", field, amount);

    /// <summary><c>{$mul: {field: factor}}</c>.</summary>
    public static UpdateDefinition Mul(string field, BsonValue factor) => UpdateDefinition.Create("$mul", field, factor);

    /// <summary><c>{$min: {field: value}}</c>.</summary>
    public static UpdateDefinition Min(string field, BsonValue value) => UpdateDefinition.Create("$min", field, value);

    /// <summary><c>{$max: {field: value}}</c>.</summary>
    public static UpdateDefinition Max(string field, BsonValue value) => UpdateDefinition.Create("$max", field, value);

    /// <summary><c>{$rename: {field: newName}}</c>.</summary>
    public static UpdateDefinition Rename(string field, string newName) => UpdateDefinition.Create("$rename", field, newName);

    /// <summary><c>{$currentDate: {field: true}}</c>.</summary>
    public static UpdateDefinition CurrentDate(string field) => UpdateDefinition.Create("$currentDate", field, true);

    /// <summary><c>{$push: {field: value}}</c>.</summary>
    public static UpdateDefinition Push(string field, BsonValue value) => UpdateDefinition.Create("$push", field, value);

    /// <summary><c>{$push: {field: {$each: values}}}</c>.</summary>
    public static UpdateDefinition PushEach(string field, IEnumerable<BsonValue> values) => UpdateDefinition.Create("$push", field, new BsonDocument("$each", new BsonArray(values)));

    /// <summary><c>{$addToSet: {field: value}}</c>.</summary>
    public static UpdateDefinition AddToSet(string field, BsonValue value) => UpdateDefinition.Create("$addToSet", field, value);

    /// <summary><c>{$pull: {field: valueOrCondition}}</c>.</summary>
    public static UpdateDefinition Pull(string field, BsonValue valueOrCondition) => UpdateDefinition.Create("$pull", field, valueOrCondition);

    /// <summary><c>{$pop: {field: 1}}</c>.</summary>
    public static UpdateDefinition PopLast(string field) => UpdateDefinition.Create("$pop", field, 1);

    /// <summary><c>{$pop: {field: -1}}</c>.</summary>
    public static UpdateDefinition PopFirst(string field) => UpdateDefinition.Create("$pop", field, -1);

    /// <summary>An aggregation pipeline update.</summary>
    public static UpdateDefinition Pipeline(params BsonDocument[] stages) => new(new BsonArray(stages));
}
