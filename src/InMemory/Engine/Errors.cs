using Mongo.Bson;
using Mongo.InMemory.Commands;

namespace Mongo.InMemory.Engine;

/// <summary>
/// Factory for the server errors the engine raises. Codes and names come from the one table of them,
/// <see cref="ErrorCodes"/>; nothing here spells a number or a name of its own.
/// </summary>
internal static class Errors
{
    public static CommandException BadValue(string message) => Of(ErrorCodes.BadValue, message);
    public static CommandException FailedToParse(string message) => Of(ErrorCodes.FailedToParse, message);
    public static CommandException TypeMismatch(string message) => Of(ErrorCodes.TypeMismatch, message);
    public static CommandException Overflow(string message) => Of(ErrorCodes.Overflow, message);
    public static CommandException InvalidLength(string message) => Of(ErrorCodes.InvalidLength, message);
    public static CommandException NamespaceNotFound(string message) => Of(ErrorCodes.NamespaceNotFound, message);
    public static CommandException IndexNotFound(string message) => Of(ErrorCodes.IndexNotFound, message);
    public static CommandException PathNotViable(string message) => Of(ErrorCodes.PathNotViable, message);
    public static CommandException ConflictingUpdateOperators(string message) => Of(ErrorCodes.ConflictingUpdateOperators, message);
    public static CommandException NamespaceExists(string message) => Of(ErrorCodes.NamespaceExists, message);
    public static CommandException DollarPrefixedFieldName(string message) => Of(ErrorCodes.DollarPrefixedFieldName, message);
    public static CommandException InvalidIdField(string message) => Of(ErrorCodes.InvalidIdField, message);
    public static CommandException NotSingleValueField(string message) => Of(ErrorCodes.NotSingleValueField, message);
    public static CommandException EmptyFieldName(string message) => Of(ErrorCodes.EmptyFieldName, message);
    public static CommandException ImmutableField(string message) => Of(ErrorCodes.ImmutableField, message);
    public static CommandException CannotCreateIndex(string message) => Of(ErrorCodes.CannotCreateIndex, message);
    public static CommandException InvalidOptions(string message) => Of(ErrorCodes.InvalidOptions, message);
    public static CommandException InvalidNamespace(string message) => Of(ErrorCodes.InvalidNamespace, message);
    public static CommandException IndexOptionsConflict(string message) => Of(ErrorCodes.IndexOptionsConflict, message);
    public static CommandException IndexKeySpecsConflict(string message) => Of(ErrorCodes.IndexKeySpecsConflict, message);
    public static CommandException NoSuchKey(string message) => Of(ErrorCodes.NoSuchKey, message);
    public static CommandException GraphContainsCycle(string message) => Of(ErrorCodes.GraphContainsCycle, message);
    public static CommandException CommandNotSupportedOnView(string message) => Of(ErrorCodes.CommandNotSupportedOnView, message);
    public static CommandException OptionNotSupportedOnView(string message) => Of(ErrorCodes.OptionNotSupportedOnView, message);
    public static CommandException ViewDepthLimitExceeded(string message) => Of(ErrorCodes.ViewDepthLimitExceeded, message);

    /// <summary>What a write, or a command that needs a collection's own state, answers on a view.</summary>
    public static CommandException NotACollection(string ns) => CommandNotSupportedOnView("Namespace " + ns + " is a view, not a collection");

    public static CommandException InvalidPipelineOperator(string message) => Of(ErrorCodes.InvalidPipelineOperator, message);
    public static CommandException ConversionFailure(string message) => Of(ErrorCodes.ConversionFailure, message);
    public static CommandException NotImplemented(string message) => Of(ErrorCodes.NotImplemented, message);
    public static CommandException IllegalOperation(string message) => Of(ErrorCodes.IllegalOperation, message);
    public static CommandException OperationFailed(string message) => Of(ErrorCodes.OperationFailed, message);
    public static CommandException BsonObjectTooLarge(string message) => Of(ErrorCodes.BsonObjectTooLarge, message);
    public static CommandException Location(int code, string message) => Of(code, message);

    /// <summary>An error with its name from the one table, <see cref="ErrorCodes"/> ("Location&lt;code&gt;" for codes it does not name).</summary>
    public static CommandException Of(int code, string message, BsonDocument? extra = null) => new(code, ErrorCodes.NameOf(code), message, extra);

    /// <summary>An E11000 duplicate key error shaped exactly like the server's (keyPattern and keyValue in the extra fields).</summary>
    public static CommandException DuplicateKey(string ns, string indexName, BsonDocument keyPattern, BsonDocument keyValue)
    {
        var message = "E11000 duplicate key error collection: " + ns + " index: " + indexName + " dup key: " + Shell.Format(keyValue);
        return Of(ErrorCodes.DuplicateKey, message, new BsonDocument { { "keyPattern", keyPattern }, { "keyValue", keyValue } });
    }
}
