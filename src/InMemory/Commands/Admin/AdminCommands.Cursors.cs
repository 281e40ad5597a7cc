using Mongo.Bson;
using Mongo.InMemory.Engine;

namespace Mongo.InMemory.Commands.Admin;

/// <summary>getMore and killCursors, the wire side of cursors.</summary>
internal static partial class AdminCommands
{
    private static BsonDocument GetMore(CommandContext context)
    {
        BsonDocument command = context.Command;
        BsonValue idValue = command[0];
        if (idValue.BsonType is not (BsonType.Int64 or BsonType.Int32))
        {
            throw new CommandException(
                ErrorCodes.TypeMismatch, "TypeMismatch", $"Field 'getMore' must be of type long but was {idValue.BsonType}");
        }

        if (!command.TryGetValue("collection", out BsonValue? collection) || !collection.IsString)
        {
            throw new CommandException(
                ErrorCodes.TypeMismatch, "TypeMismatch", "BSON field 'getMore.collection' is missing or is not of type string");
        }

        if (collection.AsString.Length == 0)
        {
            throw new CommandException(
                ErrorCodes.InvalidNamespace, "InvalidNamespace", $"Collection names cannot be empty");
        }

        int? batchSize = null;
        if (command.TryGetValue("batchSize", out BsonValue? batch) && batch.IsNumeric)
        {
            long size = batch.ToInt64();
            if (size < 0)
            {
                throw Errors.Of(ErrorCodes.BadValue, $"BatchSize value must be non-negative, but received: {size}");
            }

            batchSize = (int)Math.Min(int.MaxValue, size);
        }

        // On an awaitData cursor maxTimeMS is how long to wait for new documents.
        TimeSpan? maxAwait = command.TryGetValue("maxTimeMS", out BsonValue? maxTime) && maxTime.IsNumeric && maxTime.ToInt64() > 0
            ? TimeSpan.FromMilliseconds(maxTime.ToInt64())
            : null;
        string ns = context.DatabaseName + "." + collection.AsString;
        return context.Server.Cursors.GetMore(ns, idValue.ToInt64(), batchSize, maxAwait, hasMaxTime: maxAwait is not null);
    }

    private static BsonDocument KillCursors(CommandContext context)
    {
        BsonDocument command = context.Command;
        if (!command[0].IsString)
        {
            throw Errors.Of(ErrorCodes.TypeMismatch, "BSON field 'killCursors.killCursors' is the wrong type, expected type 'string'");
        }

        if (!command.TryGetValue("cursors", out BsonValue? cursors) || !cursors.IsArray)
        {
            throw Errors.Of(ErrorCodes.FailedToParse, "BSON field 'killCursors.cursors' is missing but a required field");
        }

        var ids = new List<long>(cursors.AsArray.Count);
        foreach (BsonValue id in cursors.AsArray)
        {
            if (id.BsonType is not (BsonType.Int64 or BsonType.Int32))
            {
                throw Errors.Of(ErrorCodes.TypeMismatch, "BSON field 'killCursors.cursors' must hold only longs");
            }

            ids.Add(id.ToInt64());
        }

        return context.Server.Cursors.Kill(context.DatabaseName + "." + command[0].AsString, ids);
    }
}
