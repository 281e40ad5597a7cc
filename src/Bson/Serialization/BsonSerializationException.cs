namespace Mongo.Bson.Serialization;

/// <summary>
/// A value does not fit its CLR type: a type mismatch, a missing required member, an unknown element where they are
/// rejected, an unknown discriminator. Names the CLR type, the member, the element path and the byte offset.
/// </summary>
public sealed class BsonSerializationException : BsonException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What is wrong.</param>
    /// <param name="clrType">The type being read or written.</param>
    /// <param name="memberName">The CLR member, if the error belongs to one.</param>
    /// <param name="byteOffset">The offset of the offending element in the input, when reading.</param>
    /// <param name="path">The dotted element path.</param>
    /// <param name="innerException">The cause.</param>
    public BsonSerializationException(string message, Type clrType, string? memberName, long? byteOffset, string? path, Exception? innerException = null)
        : base(Describe(message, clrType, memberName), byteOffset, path, innerException)
    {
        ClrType = clrType;
        MemberName = memberName;
    }

    /// <summary>The CLR type being read or written.</summary>
    public Type ClrType { get; }

    /// <summary>The CLR member the error belongs to, if any.</summary>
    public string? MemberName { get; }

    private static string Describe(string message, Type clrType, string? memberName) =>
        memberName is null ? $"{message} [type {clrType}]" : $"{message} [type {clrType}, member {memberName}]";
}
