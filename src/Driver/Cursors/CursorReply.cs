using Mongo.Bson;

namespace Mongo.Driver.Cursors;

/// <summary>
/// The <c>cursor</c> sub-document of a find/aggregate/getMore/listX reply, parsed straight from the reply bytes:
/// the batch's documents stay slices of the reply (no copy, no DOM) until the caller decodes them.
/// </summary>
internal readonly struct CursorReply
{
    public CursorReply(long id, string ns, List<ReadOnlyMemory<byte>> batch, ReadOnlyMemory<byte> postBatchResumeToken)
    {
        Id = id;
        Namespace = ns;
        Batch = batch;
        PostBatchResumeToken = postBatchResumeToken;
    }

    public long Id { get; }

    public string Namespace { get; }

    public List<ReadOnlyMemory<byte>> Batch { get; }

    public ReadOnlyMemory<byte> PostBatchResumeToken { get; }

    /// <exception cref="MongoClientException">The reply has no well-formed cursor document.</exception>
    public static CursorReply Parse(ReadOnlyMemory<byte> reply)
    {
        try
        {
            return ParseCore(reply);
        }
        catch (BsonException ex)
        {
            throw new MongoProtocolException("The server's cursor reply is not valid BSON: " + ex.Message, ex);
        }
    }

    private static CursorReply ParseCore(ReadOnlyMemory<byte> reply)
    {
        var reader = new BsonReader(reply);
        reader.Read();
        while (reader.Read() && reader.TokenType != BsonTokenType.EndDocument)
        {
            if (reader.TokenType == BsonTokenType.StartDocument && reader.NameEquals("cursor"u8))
            {
                return ParseCursor(ref reader);
            }

            if (reader.TokenType is BsonTokenType.StartDocument or BsonTokenType.StartArray)
            {
                reader.Skip();
            }
        }

        throw new MongoClientException("The server's reply has no 'cursor' document.");
    }

    private static CursorReply ParseCursor(ref BsonReader reader)
    {
        long id = 0;
        string ns = "";
        List<ReadOnlyMemory<byte>>? batch = null;
        ReadOnlyMemory<byte> resumeToken = default;
        // Every nested container is consumed or skipped, so the first EndDocument seen is the cursor's own.
        while (reader.Read() && reader.TokenType != BsonTokenType.EndDocument)
        {
            if (reader.TokenType == BsonTokenType.StartArray && (reader.NameEquals("firstBatch"u8) || reader.NameEquals("nextBatch"u8)))
            {
                batch = ReadBatch(ref reader);
            }
            else if (reader.TokenType == BsonTokenType.StartDocument && reader.NameEquals("postBatchResumeToken"u8))
            {
                resumeToken = reader.GetRawDocumentMemory();
                reader.Skip();
            }
            else if (reader.TokenType is BsonTokenType.StartDocument or BsonTokenType.StartArray)
            {
                reader.Skip();
            }
            else if (reader.NameEquals("id"u8))
            {
                id = reader.CurrentType switch
                {
                    BsonType.Int64 => reader.GetInt64(),
                    BsonType.Int32 => reader.GetInt32(),
                    _ => throw new MongoClientException("The cursor id in the server's reply is not an integer."),
                };
            }
            else if (reader.NameEquals("ns"u8) && reader.CurrentType == BsonType.String)
            {
                ns = reader.GetString();
            }
        }

        return new CursorReply(id, ns, batch ?? [], resumeToken);
    }

    private static List<ReadOnlyMemory<byte>> ReadBatch(ref BsonReader reader)
    {
        var batch = new List<ReadOnlyMemory<byte>>();
        while (reader.Read() && reader.TokenType != BsonTokenType.EndArray)
        {
            if (reader.TokenType != BsonTokenType.StartDocument)
            {
                throw new MongoClientException("A cursor batch holds a non-document value at " + reader.CurrentPath + ".");
            }

            batch.Add(reader.GetRawDocumentMemory());
            reader.Skip();
        }

        return batch;
    }
}
