namespace Mongo.Bson.Serialization;

/// <summary>
/// Builds serializer models. Called by source-generated contexts and by the reflection resolver; everything here is
/// trim- and AOT-safe because the caller names every type statically.
/// </summary>
public static class BsonMetadataServices
{
    /// <summary>The model of a value type stored by <paramref name="serializer"/>.</summary>
    public static BsonTypeInfo<T> CreateValueInfo<T>(BsonSerializerOptions options, IBsonSerializer<T> serializer)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(serializer);
        return new BsonTypeInfo<T>(BsonTypeInfoKind.Value, options, serializer);
    }

    /// <summary>The model of a collection whose items are described by <paramref name="elementInfo"/>.</summary>
    public static BsonTypeInfo<TCollection> CreateCollectionInfo<TCollection, TItem>(
        BsonSerializerOptions options, BsonTypeInfo<TItem> elementInfo, IBsonSerializer<TCollection> serializer)
    {
        ArgumentNullException.ThrowIfNull(elementInfo);
        var info = new BsonTypeInfo<TCollection>(BsonTypeInfoKind.Collection, options, serializer);
        info.SetElementFactory(() => elementInfo);
        return info;
    }

    /// <summary>The model of a string-keyed dictionary whose values are described by <paramref name="valueInfo"/>.</summary>
    public static BsonTypeInfo<TDictionary> CreateDictionaryInfo<TDictionary, TValue>(
        BsonSerializerOptions options, BsonTypeInfo<TValue> valueInfo, IBsonSerializer<TDictionary> serializer)
    {
        ArgumentNullException.ThrowIfNull(valueInfo);
        var info = new BsonTypeInfo<TDictionary>(BsonTypeInfoKind.Dictionary, options, serializer);
        info.SetElementFactory(() => valueInfo);
        return info;
    }

    /// <summary>The model of an object type.</summary>
    public static BsonTypeInfo<T> CreateObjectInfo<T>(BsonSerializerOptions options, BsonObjectInfoValues<T> values)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(values);
        var info = new BsonTypeInfo<T>(BsonTypeInfoKind.Object, options, null!);
        info.SetMembersFactory(values.MembersFactory);
        info.SetDerivedFactory(values.DerivedTypesFactory);
        info.SetDiscriminator(values.Discriminator);
        info.Serializer = values.FastPathSerializer ?? new ObjectSerializer<T>(info, values);
        return info;
    }

    /// <summary>A member of an object model.</summary>
    public static BsonMemberInfo<TDeclaring, TMember> CreateMemberInfo<TDeclaring, TMember>(BsonMemberInfoValues<TDeclaring, TMember> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        return new BsonMemberInfo<TDeclaring, TMember>(values);
    }
}
