namespace Mongo.Bson;

/// <summary>The BSON element types, with the type byte the specification assigns to each.</summary>
public enum BsonType : byte
{
    /// <summary>Not a value: the terminator of a document's element list.</summary>
    EndOfDocument = 0x00,
    /// <summary>64-bit IEEE 754 binary floating point.</summary>
    Double = 0x01,
    /// <summary>UTF-8 string.</summary>
    String = 0x02,
    /// <summary>Embedded document.</summary>
    Document = 0x03,
    /// <summary>Array (a document whose keys are "0", "1", ...).</summary>
    Array = 0x04,
    /// <summary>Binary data with a subtype.</summary>
    Binary = 0x05,
    /// <summary>Undefined (deprecated).</summary>
    Undefined = 0x06,
    /// <summary>12-byte ObjectId.</summary>
    ObjectId = 0x07,
    /// <summary>Boolean.</summary>
    Boolean = 0x08,
    /// <summary>UTC datetime: signed milliseconds since the Unix epoch.</summary>
    DateTime = 0x09,
    /// <summary>Null.</summary>
    Null = 0x0A,
    /// <summary>Regular expression: pattern and options.</summary>
    RegularExpression = 0x0B,
    /// <summary>DBPointer (deprecated).</summary>
    DBPointer = 0x0C,
    /// <summary>JavaScript code.</summary>
    JavaScript = 0x0D,
    /// <summary>Symbol (deprecated).</summary>
    Symbol = 0x0E,
    /// <summary>JavaScript code with scope (deprecated).</summary>
    JavaScriptWithScope = 0x0F,
    /// <summary>32-bit signed integer.</summary>
    Int32 = 0x10,
    /// <summary>Timestamp: increment (low 32 bits) and seconds (high 32 bits).</summary>
    Timestamp = 0x11,
    /// <summary>64-bit signed integer.</summary>
    Int64 = 0x12,
    /// <summary>128-bit IEEE 754-2008 decimal floating point.</summary>
    Decimal128 = 0x13,
    /// <summary>Compares below every other value.</summary>
    MinKey = 0xFF,
    /// <summary>Compares above every other value.</summary>
    MaxKey = 0x7F,
}
