using System.Runtime.InteropServices;

namespace Mongo.Bson;

/// <summary>An INT8 binary vector: signed bytes. Create one with <see cref="BsonVector.FromInt8"/>.</summary>
public sealed class BsonVectorInt8 : BsonVector
{
    private readonly sbyte[] _values;

    internal BsonVectorInt8(sbyte[] values) : base(BsonVectorDataType.Int8, 0) => _values = values;

    /// <summary>The elements.</summary>
    public ReadOnlyMemory<sbyte> Values => _values;

    /// <inheritdoc />
    public override int Count => _values.Length;

    /// <inheritdoc />
    private protected override ReadOnlySpan<byte> Data => MemoryMarshal.AsBytes(_values.AsSpan());

    /// <summary>A copy of the elements.</summary>
    public sbyte[] ToArray() => (sbyte[])_values.Clone();
}
