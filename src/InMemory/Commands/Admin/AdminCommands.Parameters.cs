using Mongo.Bson;
using Mongo.InMemory.Commands.Data;
using Mongo.InMemory.Engine;

namespace Mongo.InMemory.Commands.Admin;

/// <summary>setParameter: the runtime parameters this server has, checked and answered as mongod does.</summary>
internal static partial class AdminCommands
{
    /// <summary>Parameters getParameter reports that mongod only takes at startup.</summary>
    private static readonly HashSet<string> s_startupOnlyParameters = new(StringComparer.Ordinal)
    {
        "authenticationMechanisms", "enableTestCommands", "maxBSONDepth",
    };

    /// <summary>
    /// setParameter: transactionLifetimeLimitSeconds, minSnapshotHistoryWindowInSeconds, cursorTimeoutMillis, notablescan,
    /// ttlMonitorEnabled, logLevel, logComponentVerbosity and quiet. The reply carries the previous value as "was"; an
    /// unknown parameter fails as on mongod, one mongod has but this server cannot honour fails with NotImplemented.
    /// </summary>
    private static BsonDocument SetParameter(CommandContext context)
    {
        DataCommand.RequireAdmin(context);
        var reply = new BsonDocument();
        for (int i = 1; i < context.Command.ElementCount; i++)
        {
            (string name, BsonValue value) = context.Command.GetElement(i);
            if (name.StartsWith('$') || name is "lsid" or "comment" or "writeConcern" or "apiVersion" or "apiStrict" or "apiDeprecationErrors")
            {
                continue;
            }

            // Several parameters may be set at once; as on mongod the reply's "was" is the first one's.
            BsonValue was = SetOne(context, name, value);
            if (reply.ElementCount == 0)
            {
                reply.Add("was", was);
            }
        }

        if (reply.ElementCount == 0)
        {
            throw Errors.Of(ErrorCodes.InvalidOptions, "no option found to set, use help:true to see options ");
        }

        return reply;
    }

    private static BsonValue SetOne(CommandContext context, string name, BsonValue value)
    {
        var state = context.Server;
        switch (name)
        {
            case "transactionLifetimeLimitSeconds":
                {
                    int was = state.Transactions.LifetimeLimitSeconds;
                    state.Transactions.LifetimeLimitSeconds = WholeNumber(name, value, minimum: 1);
                    return was;
                }

            case "minSnapshotHistoryWindowInSeconds":
                {
                    int was = state.History.WindowSeconds;
                    state.History.WindowSeconds = WholeNumber(name, value, minimum: 0);
                    return was;
                }

            case "cursorTimeoutMillis":
                {
                    var was = new BsonInt64((long)state.Cursors.Timeout.TotalMilliseconds);
                    state.Cursors.Timeout = TimeSpan.FromMilliseconds(WholeNumber(name, value, minimum: 1));
                    return was;
                }

            case "notablescan":
                {
                    bool was = state.Storage.NoTableScan;
                    state.Storage.NoTableScan = Flag(name, value);
                    return was;
                }

            case "ttlMonitorEnabled":
                {
                    bool was = state.Storage.TtlMonitorEnabled;
                    state.Storage.TtlMonitorEnabled = Flag(name, value);
                    return was;
                }

            case "quiet":
                {
                    bool was = state.Parameters.Quiet;
                    state.Parameters.Quiet = Flag(name, value);
                    return was;
                }

            case "logLevel":
                {
                    int was = state.Parameters.LogLevel;
                    int level = WholeNumber(name, value, minimum: 0);
                    if (level > 5)
                    {
                        throw Errors.BadValue($"Invalid value for parameter {name}: {level} is not less than or equal to 5");
                    }

                    state.Parameters.LogLevel = level;
                    return was;
                }

            case "logComponentVerbosity":
                {
                    if (value is not BsonDocument update)
                    {
                        throw Errors.TypeMismatch("Invalid value for parameter logComponentVerbosity: expected an object, found " + BsonOrder.TypeName(value));
                    }

                    BsonDocument was = state.Parameters.ComponentVerbosity;
                    CheckVerbosity(update);
                    state.Parameters.MergeComponentVerbosity(update);
                    return was;
                }

            default:
                if (s_startupOnlyParameters.Contains(name))
                {
                    throw Errors.IllegalOperation("not allowed to change [" + name + "] at runtime");
                }

                if (name is "featureCompatibilityVersion")
                {
                    throw Errors.IllegalOperation("Use the setFeatureCompatibilityVersion command to change the featureCompatibilityVersion");
                }

                if (name is "requireApiVersion" or "tlsMode" or "internalQueryMaxBlockingSortMemoryUsageBytes" or "internalDocumentSourceGroupMaxMemoryBytes"
                    or "maxTransactionLockRequestTimeoutMillis" or "maxIndexBuildMemoryUsageMegabytes")
                {
                    throw Errors.NotImplemented("setting " + name + " is not supported by Mongo.InMemory (the server keeps its fixed value)");
                }

                throw Errors.Of(ErrorCodes.InvalidOptions, "Unrecognized parameter: " + name);
        }
    }

    /// <summary>Every level in a logComponentVerbosity document: a whole number from -1 (inherit) to 5.</summary>
    private static void CheckVerbosity(BsonDocument update)
    {
        foreach (var (component, level) in update)
        {
            if (level is BsonDocument nested)
            {
                CheckVerbosity(nested);
                continue;
            }

            if (!level.IsNumeric || level.ToDouble() != Math.Truncate(level.ToDouble()) || level.ToDouble() is < -1 or > 5)
            {
                throw Errors.BadValue("Invalid verbosity level for component " + component + ": " + Shell.Format(level) + " (expected -1 to 5)");
            }
        }
    }

    private static int WholeNumber(string name, BsonValue value, int minimum)
    {
        if (!value.IsNumeric || value.ToDouble() != Math.Truncate(value.ToDouble()))
        {
            throw Errors.Of(ErrorCodes.BadValue, $"Invalid value for parameter {name}: " + value);
        }

        long number = value.ToInt64();
        if (number < minimum)
        {
            throw Errors.Of(ErrorCodes.BadValue, $"Invalid value for parameter {name}: {number} is not greater than or equal to {minimum}");
        }

        return (int)Math.Min(number, int.MaxValue);
    }

    private static bool Flag(string name, BsonValue value) => value switch
    {
        BsonBoolean b => b.Value,
        _ when value.IsNumeric => value.ToDouble() != 0,
        _ => throw Errors.Of(ErrorCodes.BadValue, $"Invalid value for parameter {name}: " + value),
    };
}
