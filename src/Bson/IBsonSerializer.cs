namespace Mongo.Bson;

/// <summary>Encodes and decodes values of one CLR type, without reflection.</summary>
/// <typeparam name="T">The CLR type.</typeparam>
public interface IBsonSerializer<T>
{
    /// <summary>
    /// Writes <paramref name="value"/> at the writer's current position: as a top-level document, after
    /// <see cref="BsonWriter.WriteName(string)"/>, or as an array item.
    /// </summary>
    void Serialize(BsonWriter writer, T value);

    /// <summary>
    /// Reads the value at the reader's current token (for a top-level document, the StartDocument token
    /// after the first <see cref="BsonReader.Read"/>); on a start token it leaves the reader on the matching end token.
    /// </summary>
    T Deserialize(ref BsonReader reader);
}
