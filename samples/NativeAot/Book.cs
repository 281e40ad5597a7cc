using Mongo.Bson;
using Mongo.Bson.Serialization;

namespace NativeAotSample;

/// <summary>How a book is classified; stored as its name.</summary>
public enum Genre
{
    /// <summary>Novels and stories.</summary>
    Fiction,

    /// <summary>Science fiction.</summary>
    ScienceFiction,

    /// <summary>Everything true.</summary>
    NonFiction,
}

/// <summary>A book, stored with camelCase element names.</summary>
public sealed class Book
{
    /// <summary>Generated on insert when left empty.</summary>
    public ObjectId Id { get; set; }

    /// <summary>The title.</summary>
    public required string Title { get; init; }

    /// <summary>The author.</summary>
    public string Author { get; set; } = "";

    /// <summary>The year of first publication.</summary>
    public int Year { get; set; }

    /// <summary>Stored as a string ("ScienceFiction").</summary>
    [BsonRepresentation(BsonType.String)]
    public Genre Genre { get; set; }

    /// <summary>Free-form tags.</summary>
    public List<string> Tags { get; set; } = [];

    /// <summary>Where the book is shelved, if anywhere.</summary>
    [BsonIgnoreIfNull]
    public Shelf? Shelf { get; set; }
}

/// <summary>A place in the library.</summary>
/// <param name="Room">The room.</param>
/// <param name="Row">The row in the room.</param>
public sealed record Shelf(string Room, int Row);

/// <summary>The generated serializers this app uses: no reflection, so it runs as a NativeAOT binary.</summary>
[BsonSerializable(typeof(Book))]
[BsonSourceGenerationOptions(NamingConvention = BsonNamingConvention.CamelCase)]
public partial class LibraryBson : BsonSerializerContext
{
}
