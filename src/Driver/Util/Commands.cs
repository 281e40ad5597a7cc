using Mongo.Bson;

namespace Mongo.Driver.Util;

/// <summary>Small helpers shared by the command builders.</summary>
internal static class Commands
{
    public static BsonDocument AddIf(this BsonDocument body, string name, BsonValue? value)
    {
        if (value is not null)
        {
            body.Add(name, value);
        }

        return body;
    }

    public static BsonDocument AddIf(this BsonDocument body, string name, bool? value)
    {
        if (value is { } v)
        {
            body.Add(name, v);
        }

        return body;
    }

    public static BsonDocument AddMaxTime(this BsonDocument body, TimeSpan? maxTime, string name = "maxTimeMS")
    {
        if (maxTime is { } t)
        {
            if (t < TimeSpan.Zero)
            {
                throw new ArgumentOutOfRangeException(nameof(maxTime), "A time limit must not be negative.");
            }

            long ms = (long)Math.Ceiling(t.TotalMilliseconds);
            body.Add(name, ms <= int.MaxValue ? new BsonInt32((int)ms) : new BsonInt64(ms));
        }

        return body;
    }

    public static BsonDocument AddReadConcern(this BsonDocument body, ReadConcern? readConcern)
    {
        if (readConcern is { IsServerDefault: false })
        {
            body.Add("readConcern", new BsonDocument("level", readConcern.Level!));
        }

        return body;
    }

    public static BsonDocument AddWriteConcern(this BsonDocument body, WriteConcern? writeConcern)
    {
        if (writeConcern is { IsServerDefault: false })
        {
            body.Add("writeConcern", Render(writeConcern));
        }

        return body;
    }

    public static BsonDocument Render(WriteConcern writeConcern)
    {
        var document = new BsonDocument();
        if (writeConcern.W is { } w)
        {
            document.Add("w", w.Number is { } n ? new BsonInt32(n) : new BsonString(w.Mode!));
        }

        if (writeConcern.Journal is { } j)
        {
            document.Add("j", j);
        }

        if (writeConcern.WTimeout is { } timeout)
        {
            document.Add("wtimeout", (long)timeout.TotalMilliseconds);
        }

        return document;
    }

    public static BsonArray ToArray(IEnumerable<BsonDocument> documents)
    {
        var array = new BsonArray();
        foreach (var document in documents)
        {
            array.Add(document ?? throw new ArgumentException("A pipeline or filter list must not contain null."));
        }

        return array;
    }

    public static bool IsUnacknowledged(WriteConcern writeConcern) => !writeConcern.IsAcknowledged;
}
