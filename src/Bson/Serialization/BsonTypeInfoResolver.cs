using System.Diagnostics.CodeAnalysis;

namespace Mongo.Bson.Serialization;

/// <summary>Combines resolvers and provides the default resolution (reflection, unless the feature switch turns it off).</summary>
public static class BsonTypeInfoResolver
{
    /// <summary>The AppContext switch (and MSBuild <c>RuntimeHostConfigurationOption</c>) that turns the reflection fallback off.</summary>
    public const string IsReflectionEnabledByDefaultSwitch = "Mongo.Bson.Serialization.IsReflectionEnabledByDefault";

    internal const string ReflectionMessage =
        "The reflection resolver reads members and compiles accessors at run time; trimmed and NativeAOT apps use a source-generated BsonSerializerContext instead.";

    private static BsonReflectionResolver? _reflection;

    /// <summary>
    /// Whether types no context knows fall back to the reflection resolver (<see cref="BsonReflectionResolver"/>). True
    /// unless the AppContext switch <c>Mongo.Bson.Serialization.IsReflectionEnabledByDefault</c> is false, which the
    /// package's build targets set for apps published with <c>PublishTrimmed</c> or <c>PublishAot</c>, so the trimmer
    /// removes the reflection path. Set <c>&lt;MongoBsonIsReflectionEnabledByDefault&gt;true&lt;/MongoBsonIsReflectionEnabledByDefault&gt;</c>
    /// in the project to keep it.
    /// </summary>
#if NET9_0_OR_GREATER
    [FeatureSwitchDefinition(IsReflectionEnabledByDefaultSwitch)]
#endif
    public static bool IsReflectionEnabledByDefault =>
        !AppContext.TryGetSwitch(IsReflectionEnabledByDefaultSwitch, out bool enabled) || enabled;

    /// <summary>
    /// The resolution used when no context is given: the shared reflection resolver (default options) when
    /// <see cref="IsReflectionEnabledByDefault"/>, otherwise a resolver that knows no type.
    /// </summary>
    public static IBsonTypeInfoResolver Default
    {
        // As System.Text.Json does for its default resolver: the feature switch (constant false in trimmed and AOT
        // apps, through [FeatureSwitchDefinition] or the ILLink substitution) lets the trimmer drop the reflection branch.
        [UnconditionalSuppressMessage("Trimming", "IL2026", Justification = "Guarded by the IsReflectionEnabledByDefault feature switch.")]
        [UnconditionalSuppressMessage("AOT", "IL3050", Justification = "Guarded by the IsReflectionEnabledByDefault feature switch.")]
        get => IsReflectionEnabledByDefault ? _reflection ??= new BsonReflectionResolver() : EmptyResolver.Instance;
    }

    /// <summary>A reflection resolver with <paramref name="options"/> (see <see cref="BsonReflectionResolver"/>).</summary>
    [RequiresUnreferencedCode(ReflectionMessage)]
    [RequiresDynamicCode(ReflectionMessage)]
    public static BsonReflectionResolver Reflection(BsonSerializerOptions? options = null) =>
        options is null || options == BsonSerializerOptions.Default ? _reflection ??= new BsonReflectionResolver() : new BsonReflectionResolver(options);

    /// <summary>
    /// A resolver that asks each of <paramref name="resolvers"/> in turn (nulls are skipped) and returns the first model found.
    /// </summary>
    public static IBsonTypeInfoResolver Combine(params IBsonTypeInfoResolver?[] resolvers)
    {
        ArgumentNullException.ThrowIfNull(resolvers);
        IBsonTypeInfoResolver[] list = resolvers.OfType<IBsonTypeInfoResolver>().ToArray();
        return list.Length == 1 ? list[0] : new CombinedResolver(list);
    }

    /// <summary>The model of <typeparamref name="T"/> from <paramref name="resolver"/>.</summary>
    /// <exception cref="BsonSerializationException">The resolver does not know the type; the message says what to add.</exception>
    public static BsonTypeInfo<T> GetRequiredTypeInfo<T>(this IBsonTypeInfoResolver resolver)
    {
        ArgumentNullException.ThrowIfNull(resolver);
        return resolver.GetTypeInfo(typeof(T)) as BsonTypeInfo<T> ?? throw NoTypeInfo(typeof(T));
    }

    /// <summary>The error for a type no resolver knows: it names exactly what to add.</summary>
    public static BsonSerializationException NoTypeInfo(Type type)
    {
        ArgumentNullException.ThrowIfNull(type);
        string reflection = IsReflectionEnabledByDefault
            ? string.Empty
            : " (the reflection fallback is off: the app is trimmed or NativeAOT, or the switch " + IsReflectionEnabledByDefaultSwitch + " is false)";
        return new BsonSerializationException(
            $"No serializer for {type}{reflection}. Add [BsonSerializable(typeof({type.Name}))] to a BsonSerializerContext and set MongoClientSettings.SerializerContext (or MongoCollectionSettings.SerializerContext) to it.",
            type, null, null, null);
    }

    private sealed class CombinedResolver(IBsonTypeInfoResolver[] resolvers) : IBsonTypeInfoResolver
    {
        public BsonTypeInfo? GetTypeInfo(Type type)
        {
            foreach (IBsonTypeInfoResolver resolver in resolvers)
            {
                if (resolver.GetTypeInfo(type) is { } info)
                {
                    return info;
                }
            }

            return null;
        }
    }

    private sealed class EmptyResolver : IBsonTypeInfoResolver
    {
        public static readonly EmptyResolver Instance = new();

        public BsonTypeInfo? GetTypeInfo(Type type) => null;
    }
}
