namespace Mongo.Bson.Serialization;

/// <summary>Combines resolvers and provides the default resolution.</summary>
public static class BsonTypeInfoResolver
{
    /// <summary>
    /// A resolver that asks each of <paramref name="resolvers"/> in turn (nulls are skipped) and returns the first model found.
    /// </summary>
    public static IBsonTypeInfoResolver Combine(params IBsonTypeInfoResolver?[] resolvers)
    {
        ArgumentNullException.ThrowIfNull(resolvers);
        IBsonTypeInfoResolver[] list = resolvers.OfType<IBsonTypeInfoResolver>().ToArray();
        return list.Length == 1 ? list[0] : new CombinedResolver(list);
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
}
