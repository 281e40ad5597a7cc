namespace Mongo.Driver.Wire;

/// <summary>Wire protocol opcodes (the <c>opCode</c> field of the message header).</summary>
internal enum OpCode
{
    /// <summary>Legacy reply to OP_QUERY (only seen on a legacy handshake fallback).</summary>
    Reply = 1,

    /// <summary>Legacy query; only used for a legacy-hello handshake against very old servers.</summary>
    Query = 2004,

    /// <summary>A compressed message wrapping another opcode.</summary>
    Compressed = 2012,

    /// <summary>The extensible message every modern command uses.</summary>
    Msg = 2013,
}
