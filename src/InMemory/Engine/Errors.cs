using Mongo.Bson;
using Mongo.InMemory.Commands;

namespace Mongo.InMemory.Engine;

/// <summary>Factory for the server errors the engine raises (codes and names as a MongoDB 8.0 server uses them).</summary>
internal static class Errors
{
    public static CommandException BadValue(string message) => new(2, "BadValue", message);
    public static CommandException FailedToParse(string message) => new(9, "FailedToParse", message);
    public static CommandException TypeMismatch(string message) => new(14, "TypeMismatch", message);
    public static CommandException Overflow(string message) => new(15, "Overflow", message);
    public static CommandException InvalidLength(string message) => new(16, "InvalidLength", message);
    public static CommandException NamespaceNotFound(string message) => new(26, "NamespaceNotFound", message);
    public static CommandException IndexNotFound(string message) => new(27, "IndexNotFound", message);
    public static CommandException PathNotViable(string message) => new(28, "PathNotViable", message);
    public static CommandException ConflictingUpdateOperators(string message) => new(40, "ConflictingUpdateOperators", message);
    public static CommandException NamespaceExists(string message) => new(48, "NamespaceExists", message);
    public static CommandException DollarPrefixedFieldName(string message) => new(52, "DollarPrefixedFieldName", message);
    public static CommandException InvalidIdField(string message) => new(53, "InvalidIdField", message);
    public static CommandException NotSingleValueField(string message) => new(54, "NotSingleValueField", message);
    public static CommandException EmptyFieldName(string message) => new(56, "EmptyFieldName", message);
    public static CommandException ImmutableField(string message) => new(66, "ImmutableField", message);
    public static CommandException CannotCreateIndex(string message) => new(67, "CannotCreateIndex", message);
    public static CommandException InvalidOptions(string message) => new(72, "InvalidOptions", message);
    public static CommandException InvalidNamespace(string message) => new(73, "InvalidNamespace", message);
    public static CommandException IndexOptionsConflict(string message) => new(85, "IndexOptionsConflict", message);
    public static CommandException IndexKeySpecsConflict(string message) => new(86, "IndexKeySpecsConflict", message);
    public static CommandException NoSuchKey(string message) => new(4, "NoSuchKey", message);
    public static CommandException GraphContainsCycle(string message) => new(5, "GraphContainsCycle", message);
    public static CommandException CommandNotSupportedOnView(string message) => new(166, "CommandNotSupportedOnView", message);
    public static CommandException OptionNotSupportedOnView(string message) => new(167, "OptionNotSupportedOnView", message);
    public static CommandException ViewDepthLimitExceeded(string message) => new(182, "ViewDepthLimitExceeded", message);

    /// <summary>What a write, or a command that needs a collection's own state, answers on a view.</summary>
    public static CommandException NotACollection(string ns) => CommandNotSupportedOnView("Namespace " + ns + " is a view, not a collection");

    public static CommandException InvalidPipelineOperator(string message) => new(168, "InvalidPipelineOperator", message);
    public static CommandException ConversionFailure(string message) => new(241, "ConversionFailure", message);
    public static CommandException NotImplemented(string message) => new(238, "NotImplemented", message);
    public static CommandException IllegalOperation(string message) => new(20, "IllegalOperation", message);
    public static CommandException OperationFailed(string message) => new(96, "OperationFailed", message);
    public static CommandException BsonObjectTooLarge(string message) => new(10334, "BSONObjectTooLarge", message);
    public static CommandException Location(int code, string message) => new(code, "Location" + code, message);

    /// <summary>An E11000 duplicate key error shaped exactly like the server's (keyPattern and keyValue in the extra fields).</summary>
    public static CommandException DuplicateKey(string ns, string indexName, BsonDocument keyPattern, BsonDocument keyValue)
    {
        var message = "E11000 duplicate key error collection: " + ns + " index: " + indexName + " dup key: " + Shell.Format(keyValue);
        return new CommandException(11000, "DuplicateKey", message, new BsonDocument { { "keyPattern", keyPattern }, { "keyValue", keyValue } });
    }
}
