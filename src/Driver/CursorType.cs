namespace Mongo.Driver;

/// <summary>Whether a find's cursor ends at the last result or stays open on a capped collection for what is inserted later.</summary>
public enum CursorType
{
    /// <summary>An ordinary cursor: it ends after the last result.</summary>
    NonTailable,

    /// <summary>
    /// A tailable cursor (capped collections only): at the end of the results it stays open, and each getMore returns
    /// the matching documents inserted since, possibly none. The server closes it if the first query found nothing or
    /// its position was overwritten.
    /// </summary>
    Tailable,

    /// <summary>A tailable cursor whose getMore waits on the server (up to <see cref="FindOptions.MaxAwaitTime"/>) for new documents.</summary>
    TailableAwait,
}
