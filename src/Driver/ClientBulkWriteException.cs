using System.Globalization;
using System.Text;

namespace Mongo.Driver;

/// <summary>
/// A <see cref="MongoClient.BulkWrite(IReadOnlyList{ClientBulkWriteModel}, ClientBulkWriteOptions?, CancellationToken)"/> did not fully succeed: some writes failed (<see cref="WriteErrors"/>, by index in
/// the models list), the write concern was not satisfied (<see cref="WriteConcernErrors"/>, one per command), or the
/// operation was cut short by an error after some writes had been reported (<see cref="Error"/>, also the inner
/// exception). <see cref="PartialResult"/> holds what is known to have been applied; it is null when no write is known
/// to have succeeded.
/// </summary>
public sealed class ClientBulkWriteException : MongoException
{
    internal ClientBulkWriteException(Exception? error, IReadOnlyDictionary<int, WriteError> writeErrors, IReadOnlyList<WriteConcernError> writeConcernErrors, ClientBulkWriteResult? partialResult)
        : base(BuildMessage(error, writeErrors, writeConcernErrors), error)
    {
        Error = error;
        WriteErrors = writeErrors;
        WriteConcernErrors = writeConcernErrors;
        PartialResult = partialResult;
        if (error is MongoException mongo)
        {
            foreach (var label in mongo.ErrorLabels)
            {
                AddErrorLabel(label);
            }
        }

        foreach (var writeConcernError in writeConcernErrors)
        {
            foreach (var label in writeConcernError.ErrorLabels)
            {
                AddErrorLabel(label);
            }
        }
    }

    /// <summary>The error that stopped the bulk write (network, command or client error), if one did.</summary>
    public Exception? Error { get; }

    /// <summary>The failed writes by index in the models list (at most one when ordered).</summary>
    public IReadOnlyDictionary<int, WriteError> WriteErrors { get; }

    /// <summary>The write concern errors, one per <c>bulkWrite</c> command that reported one.</summary>
    public IReadOnlyList<WriteConcernError> WriteConcernErrors { get; }

    /// <summary>What was applied, when at least one write is known to have succeeded; otherwise null.</summary>
    public ClientBulkWriteResult? PartialResult { get; }

    private static string BuildMessage(Exception? error, IReadOnlyDictionary<int, WriteError> writeErrors, IReadOnlyList<WriteConcernError> writeConcernErrors)
    {
        var message = new StringBuilder("A client bulk write failed: ");
        message.Append(writeErrors.Count.ToString(CultureInfo.InvariantCulture)).Append(" write error(s)");
        if (writeErrors.Count > 0)
        {
            int first = int.MaxValue;
            foreach (var index in writeErrors.Keys)
            {
                first = Math.Min(first, index);
            }

            message.Append("; first at index ").Append(first.ToString(CultureInfo.InvariantCulture)).Append(": ").Append(writeErrors[first].Message);
        }

        foreach (var writeConcernError in writeConcernErrors)
        {
            message.Append("; write concern error: ").Append(writeConcernError.Message);
        }

        if (error is not null)
        {
            message.Append("; stopped by: ").Append(error.Message);
        }

        return message.Append('.').ToString();
    }
}
