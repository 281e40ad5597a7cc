using Mongo.Bson.Internal;
using System.Buffers.Binary;
using Mongo.Bson;

namespace Mongo.InMemory.Wire;

/// <summary>
/// Parses complete messages (header included) into <see cref="WireRequest"/>s. Every length is checked against
/// the bytes actually present; problems become <see cref="WireProtocolException"/>s, never index exceptions.
/// </summary>
internal static class MessageParser
{
    public const int HeaderLength = 16;

    /// <summary>Parses an OP_MSG or OP_QUERY message; <paramref name="message"/> includes the 16-byte header.</summary>
    public static WireRequest Parse(ReadOnlySpan<byte> message, int opCode, CompressorId? compressor, out bool checksumVerified)
    {
        checksumVerified = false;
        int requestId = BinaryPrimitives.ReadInt32LittleEndian(message[4..]);
        return opCode switch
        {
            OpCode.Msg => ParseMsg(message, requestId, compressor, out checksumVerified),
            OpCode.Query => ParseQuery(message, requestId, compressor),
            _ => throw new WireProtocolException($"Unsupported opcode {OpCode.Name(opCode)}", closeConnection: true),
        };
    }

    private static WireRequest ParseMsg(ReadOnlySpan<byte> message, int requestId, CompressorId? compressor, out bool checksumVerified)
    {
        checksumVerified = false;
        if (message.Length < HeaderLength + 4 + 1 + 5)
        {
            throw new WireProtocolException("OP_MSG is too short to hold flags and a body section", 40469, "Location40469");
        }

        var flags = (OpMsgFlags)BinaryPrimitives.ReadUInt32LittleEndian(message[HeaderLength..]);
        uint unknownRequired = (uint)flags & (uint)OpMsgFlags.RequiredMask & ~(uint)OpMsgFlags.KnownRequired;
        if (unknownRequired != 0)
        {
            throw new WireProtocolException(
                $"Unrecognized required flags in OP_MSG: 0x{unknownRequired:x}", 40629, "Location40629");
        }

        int end = message.Length;
        if ((flags & OpMsgFlags.ChecksumPresent) != 0)
        {
            if (end < HeaderLength + 4 + 4)
            {
                throw new WireProtocolException("OP_MSG claims a checksum but is too short to hold one", 40469, "Location40469");
            }

            end -= 4;
            uint expected = BinaryPrimitives.ReadUInt32LittleEndian(message[end..]);
            uint actual = Crc32C.Compute(message[..end]);
            if (expected != actual)
            {
                throw new WireProtocolException("OP_MSG checksum does not match contents", 50896, "Location50896");
            }

            checksumVerified = true;
        }

        ReadOnlySpan<byte> body = message[..end];
        int pos = HeaderLength + 4;
        BsonDocument? command = null;
        List<(string Identifier, BsonArray Documents)>? sequences = null;
        while (pos < body.Length)
        {
            byte kind = body[pos++];
            switch (kind)
            {
                case 0:
                    if (command is not null)
                    {
                        throw new WireProtocolException("Multiple body sections in OP_MSG", 40430, "Location40430");
                    }

                    CheckInternalSize(body, pos);
                    command = BsonCodec.ReadDocument(body, ref pos);
                    break;

                case 1:
                    {
                        if (body.Length - pos < 4)
                        {
                            throw new WireProtocolException("Truncated document sequence in OP_MSG", 40469, "Location40469");
                        }

                        int sectionStart = pos;
                        int size = BinaryPrimitives.ReadInt32LittleEndian(body[pos..]);
                        if (size < 5 || size > body.Length - pos)
                        {
                            throw new WireProtocolException(
                                $"Document sequence size {size} does not fit the OP_MSG", 40469, "Location40469");
                        }

                        int sectionEnd = sectionStart + size;
                        ReadOnlySpan<byte> section = body[..sectionEnd];
                        pos += 4;
                        int nul = section[pos..].IndexOf((byte)0);
                        if (nul <= 0)
                        {
                            throw new WireProtocolException("Invalid document sequence identifier in OP_MSG", 40469, "Location40469");
                        }

                        string identifier = System.Text.Encoding.UTF8.GetString(section.Slice(pos, nul));
                        pos += nul + 1;
                        var documents = new BsonArray(CountDocuments(section[pos..]));
                        while (pos < sectionEnd)
                        {
                            CheckInternalSize(section, pos);
                            documents.Add(BsonCodec.ReadDocument(section, ref pos));
                        }

                        (sequences ??= []).Add((identifier, documents));
                        break;
                    }

                default:
                    throw new WireProtocolException($"Unknown section kind {kind} in OP_MSG", 40432, "Location40432");
            }
        }

        if (command is null)
        {
            throw new WireProtocolException("OP_MSG has no body section", 40587, "Location40587");
        }

        if (sequences is not null)
        {
            foreach (var (identifier, documents) in sequences)
            {
                if (command.Contains(identifier))
                {
                    throw new WireProtocolException(
                        $"Duplicate field name in OP_MSG: '{identifier}' is both in the body and a document sequence",
                        40433, "Location40433");
                }

                command.Add(identifier, documents);
            }
        }

        string? database = command.TryGetValue("$db", out BsonValue? db) && db.BsonType == BsonType.String ? db.AsString : null;
        return new WireRequest
        {
            RequestId = requestId,
            OpCode = OpCode.Msg,
            Compressor = compressor,
            Command = command,
            MessageLength = message.Length,
            Database = database,
            MoreToCome = (flags & OpMsgFlags.MoreToCome) != 0,
            ExhaustAllowed = (flags & OpMsgFlags.ExhaustAllowed) != 0,
        };
    }

    /// <summary>
    /// How many documents a sequence holds, going by their length prefixes, so the array is created at its size (10,000
    /// inserted documents would otherwise grow it through 14 copies, the last ones on the large object heap). Only a
    /// capacity: it stops at the first implausible length and leaves the checking to the decoder.
    /// </summary>
    private static int CountDocuments(ReadOnlySpan<byte> documents)
    {
        int count = 0;
        while (documents.Length >= 5)
        {
            int length = BinaryPrimitives.ReadInt32LittleEndian(documents);
            if (length < 5 || length > documents.Length)
            {
                break;
            }

            count++;
            documents = documents[length..];
        }

        return count;
    }

    /// <summary>mongod's BSONObjMaxInternalSize: 16 MiB of user document plus 16 KiB for the command around it.</summary>
    private const int MaxInternalDocumentSize = (16 * 1024 * 1024) + (16 * 1024);

    /// <summary>
    /// Refuses a document in a message larger than mongod accepts anywhere (BSONObjectTooLarge, answered for the whole
    /// command, as mongod's message validation does), before decoding it.
    /// </summary>
    private static void CheckInternalSize(ReadOnlySpan<byte> message, int pos)
    {
        if (message.Length - pos < 4)
        {
            return; // the decoder reports the truncation
        }

        int size = BinaryPrimitives.ReadInt32LittleEndian(message[pos..]);
        if (size > MaxInternalDocumentSize)
        {
            throw new WireProtocolException(
                $"BSONObj size: {size} (0x{size:X}) is invalid. Size must be between 0 and {MaxInternalDocumentSize}(16MB)",
                10334, "BSONObjectTooLarge");
        }
    }

    private static WireRequest ParseQuery(ReadOnlySpan<byte> message, int requestId, CompressorId? compressor)
    {
        int pos = HeaderLength + 4; // skip flags
        int nul = pos < message.Length ? message[pos..].IndexOf((byte)0) : -1;
        if (nul < 0)
        {
            throw new WireProtocolException("OP_QUERY has no collection name", closeConnection: true);
        }

        string fullName = System.Text.Encoding.UTF8.GetString(message.Slice(pos, nul));
        pos += nul + 1 + 8; // name, numberToSkip, numberToReturn
        if (pos > message.Length)
        {
            throw new WireProtocolException("OP_QUERY is truncated", closeConnection: true);
        }

        BsonDocument query = BsonCodec.ReadDocument(message, ref pos);
        // An optional returnFieldsSelector may follow; it means nothing for commands.
        if (query.ElementCount > 0 && query.GetElement(0).Name is "$query" or "query" && query[0].IsDocument)
        {
            query = query[0].AsDocument;
        }

        int dot = fullName.IndexOf('.', StringComparison.Ordinal);
        string? database = dot > 0 ? fullName[..dot] : null;
        string collection = dot > 0 ? fullName[(dot + 1)..] : fullName;
        return new WireRequest
        {
            RequestId = requestId,
            OpCode = OpCode.Query,
            Compressor = compressor,
            Command = query,
            MessageLength = message.Length,
            Database = collection == "$cmd" ? database : null,
        };
    }
}
