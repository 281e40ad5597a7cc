using System.Buffers.Binary;
using System.Text;

namespace Mongo.Driver.Compression;

/// <summary>
/// Which commands must never be compressed (OP_COMPRESSED spec: handshake and authentication commands,
/// to keep credentials out of compression side channels such as CRIME-style attacks).
/// </summary>
internal static class CompressionRules
{
    // Compared case-insensitively: the server accepts "ismaster" as well as "isMaster", and refusing to
    // compress is always safe.
    private static readonly string[] s_neverCompressed =
    [
        "hello", "isMaster", "saslStart", "saslContinue", "getnonce", "authenticate",
        "createUser", "updateUser", "copydbSaslStart", "copydbgetnonce", "copydb",
    ];

    /// <summary>Whether a command with this name may be sent compressed.</summary>
    public static bool MayCompress(string commandName)
    {
        foreach (string name in s_neverCompressed)
        {
            if (string.Equals(name, commandName, StringComparison.OrdinalIgnoreCase))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// Whether a command document (raw BSON; its first element names the command) may be sent compressed.
    /// A document that is too short or malformed to name a command is not compressed.
    /// </summary>
    public static bool MayCompress(ReadOnlySpan<byte> commandDocument)
    {
        ReadOnlySpan<byte> name = FirstElementName(commandDocument);
        if (name.IsEmpty)
        {
            return false;
        }

        foreach (string candidate in s_neverCompressed)
        {
            if (Ascii.EqualsIgnoreCase(name, candidate))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The UTF-8 name of a document's first element, or empty if there is none or the bytes are malformed.</summary>
    internal static ReadOnlySpan<byte> FirstElementName(ReadOnlySpan<byte> document)
    {
        if (document.Length < 5)
        {
            return default;
        }

        int declared = BinaryPrimitives.ReadInt32LittleEndian(document);
        if (declared < 5 || declared > document.Length || document[4] == 0)
        {
            return default;
        }

        ReadOnlySpan<byte> afterType = document[5..declared];
        int nul = afterType.IndexOf((byte)0);
        return nul <= 0 ? default : afterType[..nul];
    }
}
