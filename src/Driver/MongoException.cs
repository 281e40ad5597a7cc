using System.Data.Common;

namespace Mongo.Driver;

/// <summary>
/// The base of every exception this driver throws. Derives from <see cref="DbException"/> so that
/// code written against ADO.NET's error categories can catch it.
/// </summary>
public class MongoException : DbException
{
    private readonly List<string> _errorLabels = [];

    /// <summary>Creates an exception with a message.</summary>
    public MongoException(string message) : base(message) { }

    /// <summary>Creates an exception with a message and the exception that caused it.</summary>
    public MongoException(string message, Exception? innerException) : base(message, innerException) { }

    /// <summary>The error labels attached by the server or by the driver (e.g. <c>RetryableWriteError</c>).</summary>
    public IReadOnlyList<string> ErrorLabels => _errorLabels;

    /// <summary>Whether the given error label is attached.</summary>
    public bool HasErrorLabel(string label) => _errorLabels.Contains(label, StringComparer.Ordinal);

    /// <summary>Attaches an error label (idempotent).</summary>
    public void AddErrorLabel(string label)
    {
        if (!HasErrorLabel(label))
        {
            _errorLabels.Add(label);
        }
    }

    /// <summary>
    /// What a collection <c>BulkWrite</c> or <c>InsertMany</c> is known to have applied when it stopped at this error
    /// (a network, command, timeout or server selection error after zero or more batches had been acknowledged); null
    /// for every other operation. The failing batch counts as not applied: the driver cannot know whether a batch whose
    /// reply never arrived was written. On a <see cref="MongoBulkWriteException"/> it is the same object as
    /// <see cref="MongoBulkWriteException.Result"/>.
    /// </summary>
    /// <remarks>
    /// The result rides on the error the caller already catches (rather than a new wrapper exception) so that code written
    /// for <see cref="MongoOperationTimeoutException"/>, <see cref="MongoConnectionException"/> or a command error's
    /// code and labels keeps working for bulk writes. Only when write errors or a write concern error had already been
    /// reported does the driver wrap the stopping error in a <see cref="MongoBulkWriteException"/> (its
    /// <see cref="MongoBulkWriteException.Error"/>), because those would otherwise be lost. Errors that are not a
    /// <see cref="MongoException"/> (cancellation, invalid arguments) carry no result.
    /// </remarks>
    public BulkWriteResult? PartialBulkWriteResult { get; internal set; }

    /// <summary>
    /// Whether retrying the operation may succeed: network errors, timeouts and server errors labelled
    /// <c>TransientTransactionError</c> or <c>RetryableWriteError</c>.
    /// </summary>
    public override bool IsTransient =>
        HasErrorLabel("TransientTransactionError") || HasErrorLabel("RetryableWriteError") || HasErrorLabel("RetryableReadError");
}
