namespace Mongo.Driver;

/// <summary>
/// The server rejected a single write (insert, update, replace, delete): <see cref="WriteError"/> says why.
/// A write concern error reported with it is in <see cref="WriteConcernError"/>.
/// </summary>
public class MongoWriteException : MongoServerException
{
    /// <summary>Creates the exception for a write error and an optional write concern error.</summary>
    public MongoWriteException(WriteError writeError, WriteConcernError? writeConcernError = null, Exception? innerException = null)
        : base(BuildMessage(writeError), writeError?.Code ?? 0, writeError?.CodeName, innerException)
    {
        WriteError = writeError ?? throw new ArgumentNullException(nameof(writeError));
        WriteConcernError = writeConcernError;
        if (writeConcernError is not null)
        {
            foreach (var label in writeConcernError.ErrorLabels)
            {
                AddErrorLabel(label);
            }
        }
    }

    /// <summary>Why the write failed.</summary>
    public WriteError WriteError { get; }

    /// <summary>A write concern error reported in the same reply, if any.</summary>
    public WriteConcernError? WriteConcernError { get; }

    /// <summary>
    /// The right exception for a write error: <see cref="MongoDuplicateKeyException"/> for duplicate keys,
    /// otherwise <see cref="MongoWriteException"/>.
    /// </summary>
    public static MongoWriteException Create(WriteError writeError, WriteConcernError? writeConcernError = null) =>
        writeError.Category == ServerErrorCategory.DuplicateKey
            ? new MongoDuplicateKeyException(writeError, writeConcernError)
            : new MongoWriteException(writeError, writeConcernError);

    private static string BuildMessage(WriteError? error) =>
        error is null ? "A write operation failed." : "A write operation failed: " + error.Message + " (code " + error.Code.ToString(System.Globalization.CultureInfo.InvariantCulture) + (error.CodeName is null ? ")." : " " + error.CodeName + ").");
}
