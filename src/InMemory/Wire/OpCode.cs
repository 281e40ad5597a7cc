namespace Mongo.InMemory.Wire;

/// <summary>The wire protocol opcodes the server understands (plus the ones it only recognises to reject).</summary>
internal static class OpCode
{
    public const int Reply = 1;
    public const int Update = 2001;
    public const int Insert = 2002;
    public const int Query = 2004;
    public const int GetMore = 2005;
    public const int Delete = 2006;
    public const int KillCursors = 2007;
    public const int Compressed = 2012;
    public const int Msg = 2013;

    /// <summary>The name used in statistics and error messages.</summary>
    public static string Name(int opCode) => opCode switch
    {
        Reply => "OP_REPLY",
        Update => "OP_UPDATE",
        Insert => "OP_INSERT",
        Query => "OP_QUERY",
        GetMore => "OP_GET_MORE",
        Delete => "OP_DELETE",
        KillCursors => "OP_KILL_CURSORS",
        Compressed => "OP_COMPRESSED",
        Msg => "OP_MSG",
        _ => "unknown(" + opCode.ToString(System.Globalization.CultureInfo.InvariantCulture) + ")",
    };
}

/// <summary>OP_MSG flag bits.</summary>
[Flags]
internal enum OpMsgFlags : uint
{
    None = 0,
    ChecksumPresent = 1 << 0,
    MoreToCome = 1 << 1,
    ExhaustAllowed = 1 << 16,

    /// <summary>Bits 0-15 are "required": a receiver must reject a message with a required bit it does not know.</summary>
    KnownRequired = ChecksumPresent | MoreToCome,
    RequiredMask = 0xFFFF,
}
