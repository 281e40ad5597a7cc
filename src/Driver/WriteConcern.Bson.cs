using Mongo.Bson;

namespace Mongo.Driver;

public sealed partial class WriteConcern
{
    /// <summary>The document sent as <c>writeConcern</c>: <c>{ w, wtimeout, j }</c> with the parts that are set.</summary>
    public BsonDocument ToBsonDocument()
    {
        var document = new BsonDocument();
        if (W is { } w)
        {
            document.Add("w", w.Number is { } n ? new BsonInt32(n) : new BsonString(w.Mode!));
        }

        if (WTimeout is { } t)
        {
            long ms = (long)t.TotalMilliseconds;
            document.Add("wtimeout", ms <= int.MaxValue ? new BsonInt32((int)ms) : new BsonInt64(ms));
        }

        if (Journal is { } j)
        {
            document.Add("j", j);
        }

        return document;
    }

    /// <summary>
    /// Reads a write concern document in either the server's form (<c>w</c>, <c>wtimeout</c>, <c>j</c>) or the
    /// options form the spec tests use (<c>w</c>, <c>wtimeoutMS</c>, <c>journal</c>), validating it.
    /// </summary>
    /// <exception cref="MongoConfigurationException">An unknown field, a wrong type, or an invalid combination.</exception>
    public static WriteConcern FromBsonDocument(BsonDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        WriteConcernW? w = null;
        TimeSpan? wTimeout = null;
        bool? journal = null;
        foreach (var element in document)
        {
            var value = element.Value;
            switch (element.Name)
            {
                case "w" when value.IsString:
                    w = WriteConcernW.FromMode(value.AsString);
                    break;
                case "w" when value.IsNumeric:
                    w = WriteConcernW.FromNumber(checked((int)value.ToInt64()));
                    break;
                case "wtimeout" or "wtimeoutMS" when value.IsNumeric:
                    wTimeout = TimeSpan.FromMilliseconds(value.ToInt64());
                    break;
                case "j" or "journal" when value.IsBoolean:
                    journal = value.AsBoolean;
                    break;
                default:
                    throw new MongoConfigurationException($"Invalid write concern field '{element.Name}': {value}.");
            }
        }

        return new WriteConcern(w, wTimeout, journal);
    }
}
