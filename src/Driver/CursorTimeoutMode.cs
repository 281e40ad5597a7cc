namespace Mongo.Driver;

/// <summary>
/// How <c>timeoutMS</c> applies to an operation that opens a cursor (client-side operations timeout spec "Cursors").
/// Setting it without a timeoutMS is an error.
/// </summary>
public enum CursorTimeoutMode
{
    /// <summary>
    /// The opening command and every getMore must finish within one timeoutMS counted from the call (the default for
    /// non-tailable cursors); documents already received are still returned after it has passed.
    /// </summary>
    CursorLifetime,

    /// <summary>
    /// The opening command, and then each call that fetches a batch, get the whole timeoutMS anew; no maxTimeMS is sent
    /// (the only mode of tailable cursors; not allowed for an aggregate ending in $out or $merge).
    /// </summary>
    Iteration,
}
