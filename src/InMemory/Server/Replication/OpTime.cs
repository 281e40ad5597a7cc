using Mongo.Bson;

namespace Mongo.InMemory.Server.Replication;

/// <summary>
/// The position of a write in the replicated log, as mongod names it: the timestamp (<c>ts</c>), the election term
/// (<c>t</c>) and the wall-clock time of the write (hello's <c>lastWriteDate</c>, which drivers compute staleness from).
/// </summary>
internal readonly record struct OpTime(BsonTimestamp Timestamp, long Term, DateTime WallTime)
{
    /// <summary>mongod's null optime: <c>{ ts: Timestamp(0, 0), t: -1 }</c> at the epoch.</summary>
    public static OpTime Null { get; } = new(new BsonTimestamp(0), -1, DateTime.UnixEpoch);

    /// <summary><c>{ ts, t }</c>.</summary>
    public BsonDocument ToDocument() => new() { { "ts", Timestamp }, { "t", new BsonInt64(Term) } };

    /// <summary>The wall time as a BSON date.</summary>
    public BsonDateTime WallDate => new(WallTime);

    /// <summary>Now, to the millisecond (a BSON date's precision), so that dates read back compare equal.</summary>
    public static DateTime Now() => DateTime.UnixEpoch.AddMilliseconds(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
}
