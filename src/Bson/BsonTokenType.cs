namespace Mongo.Bson;

/// <summary>The kind of token a <see cref="BsonReader"/> is positioned on.</summary>
public enum BsonTokenType : byte
{
    /// <summary>Nothing has been read yet.</summary>
    None = 0,

    /// <summary>The start of a document: the top-level document or an embedded document element.</summary>
    StartDocument = 1,

    /// <summary>The end of a document.</summary>
    EndDocument = 2,

    /// <summary>The start of an array element.</summary>
    StartArray = 3,

    /// <summary>The end of an array.</summary>
    EndArray = 4,

    /// <summary>A scalar element (anything that is not a document or an array).</summary>
    Value = 5,
}
