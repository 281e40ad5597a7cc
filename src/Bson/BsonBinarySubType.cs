namespace Mongo.Bson;

/// <summary>The subtype byte of a BSON binary value.</summary>
public enum BsonBinarySubType : byte
{
    /// <summary>Generic binary data.</summary>
    Binary = 0x00,
    /// <summary>Function.</summary>
    Function = 0x01,
    /// <summary>Old generic binary (deprecated): carries an inner length prefix.</summary>
    OldBinary = 0x02,
    /// <summary>UUID in a driver-specific legacy byte order (deprecated); needs an explicit <see cref="GuidRepresentation"/>.</summary>
    UuidLegacy = 0x03,
    /// <summary>UUID in RFC 4122 byte order.</summary>
    UuidStandard = 0x04,
    /// <summary>MD5 digest.</summary>
    MD5 = 0x05,
    /// <summary>Encrypted BSON value (client-side field level encryption).</summary>
    Encrypted = 0x06,
    /// <summary>Compressed time-series column.</summary>
    Column = 0x07,
    /// <summary>Sensitive data that should not be logged.</summary>
    Sensitive = 0x08,
    /// <summary>Dense numeric vector.</summary>
    Vector = 0x09,
    /// <summary>The start of the user-defined range (0x80-0xFF).</summary>
    UserDefined = 0x80,
}
