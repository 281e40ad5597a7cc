using Mongo.Bson.Serialization;

namespace Mongo.Driver.Linq;

/// <summary>A member path rendered against a model: the dotted element path and the model of the value stored there.</summary>
/// <param name="Path">The dotted path with the model's element names (<c>home.city</c>, <c>items.0.sku</c>, <c>tags.$[]</c>).</param>
/// <param name="TypeInfo">The model of the value at the path (representation applied); null for untyped string paths.</param>
internal readonly record struct RenderedField(string Path, BsonTypeInfo? TypeInfo)
{
    /// <summary>The model of one item when the field is a collection (or a dictionary's value), else null.</summary>
    public BsonTypeInfo? ItemTypeInfo => TypeInfo?.ElementTypeInfo;
}
