using System.Globalization;

namespace Mongo.Driver;

/// <summary>
/// Some writes of a bulk write (or InsertMany) failed. <see cref="WriteErrors"/> lists every rejected request
/// by its index in the caller's list; <see cref="Result"/> counts what was applied; in ordered mode the
/// requests after the first error were not attempted (<see cref="UnprocessedCount"/>). When a batch failed as a whole
/// (network, command or timeout error) after other batches had reported write errors or a write concern error, that
/// error is <see cref="Error"/> (and the inner exception) and its labels are copied here; without earlier write errors
/// the driver throws such an error as it is, with the partial result in <see cref="MongoException.PartialBulkWriteResult"/>.
/// </summary>
public sealed class MongoBulkWriteException : MongoServerException
{
    /// <summary>Creates the exception.</summary>
    public MongoBulkWriteException(IReadOnlyList<WriteError> writeErrors, WriteConcernError? writeConcernError, BulkWriteResult result, int unprocessedCount)
        : this(writeErrors, writeConcernError, result, unprocessedCount, error: null)
    {
    }

    /// <summary>Creates the exception for write errors followed by an error that stopped the bulk write.</summary>
    internal MongoBulkWriteException(IReadOnlyList<WriteError> writeErrors, WriteConcernError? writeConcernError, BulkWriteResult result, int unprocessedCount, MongoException? error)
        : base(BuildMessage(writeErrors, writeConcernError, error), FirstCode(writeErrors, writeConcernError), FirstCodeName(writeErrors, writeConcernError), error)
    {
        Error = error;
        PartialBulkWriteResult = result;
        WriteErrors = writeErrors ?? [];
        WriteConcernError = writeConcernError;
        Result = result ?? throw new ArgumentNullException(nameof(result));
        UnprocessedCount = unprocessedCount;
        if (writeConcernError is not null)
        {
            foreach (var label in writeConcernError.ErrorLabels)
            {
                AddErrorLabel(label);
            }
        }

        if (error is not null)
        {
            foreach (var label in error.ErrorLabels)
            {
                AddErrorLabel(label);
            }
        }
    }

    /// <summary>Every rejected request, in order.</summary>
    public IReadOnlyList<WriteError> WriteErrors { get; }

    /// <summary>The write concern error, if any batch reported one.</summary>
    public WriteConcernError? WriteConcernError { get; }

    /// <summary>What was applied before (and, unordered, besides) the failures.</summary>
    public BulkWriteResult Result { get; }

    /// <summary>
    /// The error that stopped the bulk write after earlier batches had reported write errors or a write concern error
    /// (also the inner exception); null when the write ran to its end (or, ordered, to its first write error).
    /// </summary>
    public MongoException? Error { get; }

    /// <summary>How many requests were not attempted (ordered mode stops at the first error).</summary>
    public int UnprocessedCount { get; }

    private static int FirstCode(IReadOnlyList<WriteError>? errors, WriteConcernError? wce) =>
        errors is { Count: > 0 } ? errors[0].Code : wce?.Code ?? 0;

    private static string? FirstCodeName(IReadOnlyList<WriteError>? errors, WriteConcernError? wce) =>
        errors is { Count: > 0 } ? errors[0].CodeName : wce?.CodeName;

    private static string BuildMessage(IReadOnlyList<WriteError>? errors, WriteConcernError? wce, MongoException? error)
    {
        int count = errors?.Count ?? 0;
        var message = "A bulk write operation failed: " + count.ToString(CultureInfo.InvariantCulture) + " write error(s)";
        if (count > 0)
        {
            message += "; first at index " + errors![0].Index.ToString(CultureInfo.InvariantCulture) + ": " + errors[0].Message;
        }

        if (wce is not null)
        {
            message += "; write concern error: " + wce.Message;
        }

        if (error is not null)
        {
            message += "; then stopped by: " + error.Message;
        }

        return message + ".";
    }
}
