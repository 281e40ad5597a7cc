namespace Mongo.Bson;

/// <summary>A BSON timestamp (used internally by MongoDB for replication): seconds and an increment.</summary>
public sealed class BsonTimestamp : BsonValue
{
    /// <summary>Creates a value from its seconds and increment parts.</summary>
    public BsonTimestamp(uint timestamp, uint increment) => Value = ((ulong)timestamp << 32) | increment;

    /// <summary>Creates a value from its 64-bit representation (seconds in the high word).</summary>
    public BsonTimestamp(ulong value) => Value = value;

    /// <summary>The 64-bit representation: seconds in the high 32 bits, increment in the low 32 bits.</summary>
    public ulong Value { get; }

    /// <summary>The seconds part.</summary>
    public uint Timestamp => (uint)(Value >> 32);

    /// <summary>The increment part.</summary>
    public uint Increment => (uint)Value;

    /// <inheritdoc />
    public override BsonType BsonType => BsonType.Timestamp;

    /// <inheritdoc />
    public override bool Equals(BsonValue? other) => other is BsonTimestamp t && t.Value == Value;

    /// <inheritdoc />
    public override int GetHashCode() => Value.GetHashCode();

    /// <inheritdoc />
    public override string ToString() => $"Timestamp({Timestamp}, {Increment})";
}
