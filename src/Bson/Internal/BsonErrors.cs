namespace Mongo.Bson.Internal;

/// <summary>Builds the library's exceptions in one place, so their shape stays consistent.</summary>
internal static class BsonErrors
{
    public static BsonFormatException Format(string message, long offset, string? path) =>
        new(message, offset, string.IsNullOrEmpty(path) ? null : path);

    public static BsonException Misuse(string message, long? offset = null, string? path = null) =>
        new(message, offset, string.IsNullOrEmpty(path) ? null : path);

    public static BsonSizeException Size(string message, long? offset = null) => new(message, offset, null);
}
