namespace Mongo.Driver;

/// <summary>
/// The server no longer knows a cursor (code 43): it timed out, was killed, or the server restarted.
/// Re-run the query to continue.
/// </summary>
public sealed class MongoCursorNotFoundException : MongoServerException
{
    /// <summary>Creates the exception for a cursor id.</summary>
    public MongoCursorNotFoundException(long cursorId, string? serverMessage = null, Exception? innerException = null)
        : base("Cursor " + cursorId.ToString(System.Globalization.CultureInfo.InvariantCulture) + " was not found on the server" + (serverMessage is null ? "." : ": " + serverMessage), 43, "CursorNotFound", innerException)
    {
        CursorId = cursorId;
    }

    /// <summary>The cursor's id.</summary>
    public long CursorId { get; }
}
