namespace Mongo.Bson.Serialization;

/// <summary>The naming conventions' rules, shared by the reflection resolver and the source generator (both compile NamingRules).</summary>
public static class BsonNaming
{
    /// <summary>Converts a CLR member name by <paramref name="convention"/>.</summary>
    public static string Convert(string clrName, BsonNamingConvention convention)
    {
        ArgumentNullException.ThrowIfNull(clrName);
        return convention switch
        {
            BsonNamingConvention.CamelCase => NamingRules.CamelCase(clrName),
            BsonNamingConvention.SnakeCaseLower => NamingRules.SnakeCase(clrName),
            _ => clrName,
        };
    }
}
