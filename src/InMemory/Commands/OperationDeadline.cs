using System.Globalization;
using Mongo.Bson;
using Mongo.InMemory.Engine;

namespace Mongo.InMemory.Commands;

/// <summary>
/// A command's maxTimeMS: its validation (as mongod's generic argument) and the deadline that long scans, waits and
/// blocked fail points observe. Handlers run synchronously on the dispatcher's thread, so the deadline of the command
/// being run is kept per thread: code deep in a scan checks it without every signature carrying the context.
/// </summary>
internal static class OperationDeadline
{
    /// <summary>How many <see cref="Check"/> calls pass between two reads of the clock: cheap enough per document.</summary>
    private const int ChecksPerClockRead = 64;

    [ThreadStatic]
    private static long t_expiresAt; // Environment.TickCount64 value; 0: no deadline

    [ThreadStatic]
    private static int t_countdown;

    /// <summary>The running command's deadline (<see cref="Environment.TickCount64"/>), 0 when it has none.</summary>
    public static long Current => t_expiresAt;

    /// <summary>
    /// Parses a command's maxTimeMS as mongod does: absent or 0 means no limit; a non-number, a negative, a value over
    /// 2^31-1 or a fraction is refused with mongod's code and message.
    /// </summary>
    /// <returns>The limit in milliseconds (0: none).</returns>
    public static long ParseMaxTimeMs(BsonDocument command, string commandName)
    {
        if (!command.TryGetValue("maxTimeMS", out BsonValue? value))
        {
            return 0;
        }

        if (value.BsonType == BsonType.Null)
        {
            throw Errors.Of(ErrorCodes.BadValue, "maxTimeMS must be a number");
        }

        if (!value.IsNumeric)
        {
            // The stray quote in the list of types is mongod's own.
            throw new CommandException(ErrorCodes.TypeMismatch, "TypeMismatch",
                $"BSON field '{commandName}.maxTimeMS' is the wrong type '{TypeAlias(value.BsonType)}', expected types '[long, int, decimal, double']");
        }

        long asLong = SafeLong(value);
        if (asLong < 0)
        {
            throw Engine.Errors.Of(51024,
                "BSON field 'maxTimeMS' value must be >= 0, actual value '" + asLong.ToString(CultureInfo.InvariantCulture) + "'");
        }

        if (asLong > int.MaxValue)
        {
            throw new CommandException(ErrorCodes.BadValue, "BadValue",
                asLong.ToString(CultureInfo.InvariantCulture) + " value for maxTimeMS is out of range");
        }

        if (value.BsonType == BsonType.Double && Math.Floor(value.AsDouble) != value.AsDouble)
        {
            throw Errors.Of(ErrorCodes.BadValue, "maxTimeMS has non-integral value");
        }

        return asLong;
    }

    /// <summary>The deadline of a command that started at <paramref name="startedAt"/> with this limit (0: none).</summary>
    public static long DeadlineOf(long startedAt, long maxTimeMs) => maxTimeMs > 0 ? startedAt + maxTimeMs : 0;

    /// <summary>Makes <paramref name="expiresAt"/> the deadline of this thread's command until the scope is disposed.</summary>
    public static Scope Enter(long expiresAt)
    {
        long previous = t_expiresAt;
        t_expiresAt = expiresAt;
        t_countdown = 0;
        return new Scope(previous);
    }

    /// <summary>
    /// Called between documents of a scan: throws MaxTimeMSExpired once the running command's deadline has passed
    /// (the clock is read every few calls, so a tight loop pays almost nothing).
    /// </summary>
    public static void Check()
    {
        if (t_expiresAt != 0 && --t_countdown <= 0)
        {
            CheckNow();
        }
    }

    /// <summary>Throws MaxTimeMSExpired if the running command's deadline has passed.</summary>
    public static void CheckNow()
    {
        t_countdown = ChecksPerClockRead;
        if (t_expiresAt != 0 && Environment.TickCount64 >= t_expiresAt)
        {
            throw Expired();
        }
    }

    /// <summary>Milliseconds left before <paramref name="expiresAt"/> (never negative); int.MaxValue when there is no deadline.</summary>
    public static int RemainingMs(long expiresAt) =>
        expiresAt == 0 ? int.MaxValue : (int)Math.Clamp(expiresAt - Environment.TickCount64, 0, int.MaxValue);

    /// <summary>
    /// mongod's error for an operation that ran out of its time limit. It fails the whole command (a write's earlier
    /// statements stay applied), as an interruption does on mongod.
    /// </summary>
    public static CommandException Expired() =>
        new(ErrorCodes.MaxTimeMsExpired, "MaxTimeMSExpired", "operation exceeded time limit") { FailsWholeCommand = true };

    private static long SafeLong(BsonValue value)
    {
        switch (value.BsonType)
        {
            case BsonType.Int32:
            case BsonType.Int64:
                return value.ToInt64();
            default:
                // mongod's safeNumberLong: a double (or decimal) out of the long range saturates, NaN is 0.
                double d = value.ToDouble();
                if (double.IsNaN(d))
                {
                    return 0;
                }

                return d >= 9.2233720368547758E+18 ? long.MaxValue : d <= -9.2233720368547758E+18 ? long.MinValue : (long)d;
        }
    }

    private static string TypeAlias(BsonType type) => type switch
    {
        BsonType.String => "string",
        BsonType.Document => "object",
        BsonType.Array => "array",
        BsonType.Boolean => "bool",
        BsonType.Binary => "binData",
        BsonType.ObjectId => "objectId",
        BsonType.DateTime => "date",
        BsonType.Timestamp => "timestamp",
        BsonType.RegularExpression => "regex",
        BsonType.JavaScript => "javascript",
        BsonType.JavaScriptWithScope => "javascriptWithScope",
        BsonType.Symbol => "symbol",
        BsonType.Undefined => "undefined",
        BsonType.MinKey => "minKey",
        BsonType.MaxKey => "maxKey",
        _ => type.ToString().ToLowerInvariant(),
    };

    /// <summary>Restores the deadline that was in force before <see cref="Enter"/>.</summary>
    public readonly struct Scope : IDisposable
    {
        private readonly long _previous;

        internal Scope(long previous) => _previous = previous;

        /// <inheritdoc />
        public void Dispose()
        {
            t_expiresAt = _previous;
            t_countdown = 0;
        }
    }
}
