namespace Mongo.Bson;

/// <summary>The two Extended JSON v2 output formats.</summary>
public enum ExtendedJsonMode
{
    /// <summary>Type-preserving: every number and date in a type wrapper (<c>{"$numberInt": "1"}</c>).</summary>
    Canonical,

    /// <summary>Readable: Int32, Int64 and finite doubles as JSON numbers, dates from 1970 to 9999 as ISO-8601 strings.</summary>
    Relaxed,
}
