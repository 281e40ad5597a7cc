namespace Mongo.Bson;

/// <summary>
/// How a <see cref="Guid"/> maps to BSON binary bytes. There is no silent guessing: converting a subtype 3
/// value requires one of the legacy representations to be named explicitly.
/// </summary>
public enum GuidRepresentation
{
    /// <summary>No representation chosen: conversions that need one throw.</summary>
    Unspecified = 0,
    /// <summary>RFC 4122 byte order, subtype 4.</summary>
    Standard,
    /// <summary>The legacy C# driver's order (<see cref="Guid.ToByteArray()"/>), subtype 3.</summary>
    CSharpLegacy,
    /// <summary>The legacy Java driver's order (each 8-byte half reversed), subtype 3.</summary>
    JavaLegacy,
    /// <summary>The legacy Python driver's order (RFC 4122 order), subtype 3.</summary>
    PythonLegacy,
}
