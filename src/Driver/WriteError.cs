using Mongo.Bson;

namespace Mongo.Driver;

/// <summary>The category of a write error, after PEP 249's error classes.</summary>
public enum ServerErrorCategory
{
    /// <summary>Any other server error.</summary>
    Uncategorized,

    /// <summary>A unique index rejected the write (code 11000, 11001 or 12582): PEP 249's <c>IntegrityError</c>.</summary>
    DuplicateKey,

    /// <summary>The server timed out waiting for the write (code 50).</summary>
    ExecutionTimeout,
}

/// <summary>One write the server rejected: which request (index), why (code, name, message) and details.</summary>
public sealed class WriteError
{
    /// <summary>Creates a write error.</summary>
    public WriteError(int index, int code, string? codeName, string message, BsonDocument? details = null, BsonDocument? keyPattern = null, BsonDocument? keyValue = null)
    {
        Index = index;
        Code = code;
        CodeName = codeName;
        Message = message ?? string.Empty;
        Details = details;
        KeyPattern = keyPattern;
        KeyValue = keyValue;
    }

    /// <summary>The index of the failed request in the batch the caller passed (not the server's sub-batch).</summary>
    public int Index { get; }

    /// <summary>The server's error code.</summary>
    public int Code { get; }

    /// <summary>The server's error code name, when sent.</summary>
    public string? CodeName { get; }

    /// <summary>The server's message.</summary>
    public string Message { get; }

    /// <summary>The server's <c>errInfo</c> (e.g. schema validation details), when sent.</summary>
    public BsonDocument? Details { get; }

    /// <summary>For duplicate keys: the unique index's key pattern, when the server sent it.</summary>
    public BsonDocument? KeyPattern { get; }

    /// <summary>For duplicate keys: the duplicated key value, when the server sent it.</summary>
    public BsonDocument? KeyValue { get; }

    /// <summary>The error's category.</summary>
    public ServerErrorCategory Category => Code switch
    {
        11000 or 11001 or 12582 => ServerErrorCategory.DuplicateKey,
        50 => ServerErrorCategory.ExecutionTimeout,
        _ => ServerErrorCategory.Uncategorized,
    };

    /// <summary>A one-line description.</summary>
    public override string ToString() => $"Write error at index {Index}: {Message} (code {Code}{(CodeName is null ? "" : " " + CodeName)})";

    internal static WriteError FromDocument(BsonDocument document, int indexOffset)
    {
        int index = document.TryGetValue("index", out var i) && i.IsNumeric ? i.ToInt32() : 0;
        int code = document.TryGetValue("code", out var c) && c.IsNumeric ? c.ToInt32() : 0;
        return new WriteError(
            indexOffset + index,
            code,
            document.TryGetValue("codeName", out var n) && n.IsString ? n.AsString : null,
            document.TryGetValue("errmsg", out var m) && m.IsString ? m.AsString : "",
            document.TryGetValue("errInfo", out var e) && e.IsDocument ? e.AsDocument : null,
            document.TryGetValue("keyPattern", out var kp) && kp.IsDocument ? kp.AsDocument : null,
            document.TryGetValue("keyValue", out var kv) && kv.IsDocument ? kv.AsDocument : null);
    }
}

/// <summary>The server applied a write but could not satisfy its write concern.</summary>
public sealed class WriteConcernError
{
    /// <summary>Creates a write concern error.</summary>
    public WriteConcernError(int code, string? codeName, string message, BsonDocument? details = null, IReadOnlyList<string>? errorLabels = null)
    {
        Code = code;
        CodeName = codeName;
        Message = message ?? string.Empty;
        Details = details;
        ErrorLabels = errorLabels ?? [];
    }

    /// <summary>The server's error code.</summary>
    public int Code { get; }

    /// <summary>The server's error code name, when sent.</summary>
    public string? CodeName { get; }

    /// <summary>The server's message.</summary>
    public string Message { get; }

    /// <summary>The server's <c>errInfo</c>, when sent.</summary>
    public BsonDocument? Details { get; }

    /// <summary>Error labels the server attached to the write concern error.</summary>
    public IReadOnlyList<string> ErrorLabels { get; }

    /// <summary>A one-line description.</summary>
    public override string ToString() => $"Write concern error: {Message} (code {Code}{(CodeName is null ? "" : " " + CodeName)})";

    /// <param name="document">The writeConcernError document.</param>
    /// <param name="reply">The reply that carried it: 4.4+ servers put the error's labels (RetryableWriteError) at its top level.</param>
    internal static WriteConcernError FromDocument(BsonDocument document, BsonDocument? reply = null)
    {
        var labels = new List<string>();
        AddLabels(document, labels);
        if (reply is not null)
        {
            AddLabels(reply, labels);
        }

        return new WriteConcernError(
            document.TryGetValue("code", out var c) && c.IsNumeric ? c.ToInt32() : 0,
            document.TryGetValue("codeName", out var n) && n.IsString ? n.AsString : null,
            document.TryGetValue("errmsg", out var m) && m.IsString ? m.AsString : "",
            document.TryGetValue("errInfo", out var e) && e.IsDocument ? e.AsDocument : null,
            labels);
    }

    private static void AddLabels(BsonDocument document, List<string> labels)
    {
        if (document.TryGetValue("errorLabels", out var l) && l is BsonArray array)
        {
            foreach (var label in array)
            {
                if (label.IsString && !labels.Contains(label.AsString))
                {
                    labels.Add(label.AsString);
                }
            }
        }
    }
}
