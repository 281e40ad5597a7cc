namespace Mongo.Bson;

/// <summary>
/// The element type (the "dtype" byte) of a binary vector (<see cref="BsonBinarySubType.Vector"/>), as the
/// bson-binary-vector specification numbers them.
/// </summary>
public enum BsonVectorDataType : byte
{
    /// <summary>INT8: signed 8-bit integers, one byte each.</summary>
    Int8 = 0x03,

    /// <summary>PACKED_BIT: single bits, eight to a byte, most significant bit first.</summary>
    PackedBit = 0x10,

    /// <summary>FLOAT32: IEEE 754 single-precision numbers, four little-endian bytes each.</summary>
    Float32 = 0x27,
}
