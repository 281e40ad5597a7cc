using Mongo.Bson.Serialization;

namespace Mongo.Bson.Generators;

/// <summary>
/// The naming conventions by their attribute value, applied with the runtime's own rules (NamingRules.cs is compiled
/// into this assembly too, as the generator cannot reference Mongo.Bson, which targets net8+).
/// </summary>
internal static class Naming
{
    public static string Convert(string name, int convention) => convention switch
    {
        1 => NamingRules.CamelCase(name),
        2 => NamingRules.SnakeCase(name),
        _ => name,
    };
}
