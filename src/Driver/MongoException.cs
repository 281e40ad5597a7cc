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
    /// Whether retrying the operation may succeed: network errors, timeouts and server errors labelled
    /// <c>TransientTransactionError</c> or <c>RetryableWriteError</c>.
    /// </summary>
    public override bool IsTransient =>
        HasErrorLabel("TransientTransactionError") || HasErrorLabel("RetryableWriteError") || HasErrorLabel("RetryableReadError");
}
