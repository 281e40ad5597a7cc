using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace Mongo.Bson;

/// <summary>A FLOAT32 binary vector: single-precision numbers, stored little-endian. Create one with <see cref="BsonVector.FromFloat32"/>.</summary>
public sealed class BsonVectorFloat32 : BsonVector
{
    private readonly float[] _values;

    internal BsonVectorFloat32(float[] values) : base(BsonVectorDataType.Float32, 0) => _values = values;

    /// <summary>The elements.</summary>
    public ReadOnlyMemory<float> Values => _values;

    /// <inheritdoc />
    public override int Count => _values.Length;

    /// <inheritdoc />
    private protected override ReadOnlySpan<byte> Data
    {
        get
        {
            if (BitConverter.IsLittleEndian)
            {
                return MemoryMarshal.AsBytes(_values.AsSpan());
            }

            var bytes = new byte[_values.Length * sizeof(float)];
            for (int i = 0; i < _values.Length; i++)
            {
                BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(i * sizeof(float)), _values[i]);
            }

            return bytes;
        }
    }

    /// <summary>A copy of the elements.</summary>
    public float[] ToArray() => (float[])_values.Clone();

    /// <summary>Elements from little-endian data whose length is a multiple of 4.</summary>
    internal static float[] ReadLittleEndian(ReadOnlySpan<byte> data)
    {
        var values = new float[data.Length / sizeof(float)];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = BinaryPrimitives.ReadSingleLittleEndian(data.Slice(i * sizeof(float)));
        }

        return values;
    }
}
