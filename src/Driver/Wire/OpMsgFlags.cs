namespace Mongo.Driver.Wire;

/// <summary>
/// OP_MSG <c>flagBits</c>. The low 16 bits are "required": a receiver must fail on any it does not know.
/// The high 16 bits are optional and unknown ones are ignored.
/// </summary>
[Flags]
internal enum OpMsgFlags : uint
{
    None = 0,

    /// <summary>The message ends with a CRC-32C checksum.</summary>
    ChecksumPresent = 1 << 0,

    /// <summary>The sender will send another message without waiting (no reply to a request; more replies follow a reply).</summary>
    MoreToCome = 1 << 1,

    /// <summary>The client accepts several replies (exhaust cursors, streaming hello).</summary>
    ExhaustAllowed = 1 << 16,

    /// <summary>The required bits this implementation understands.</summary>
    KnownRequired = ChecksumPresent | MoreToCome,

    /// <summary>The mask of the required (low 16) bits.</summary>
    RequiredMask = 0xFFFF,
}
