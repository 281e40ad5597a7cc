using Mongo.Bson;
using Mongo.InMemory.Commands;
using Mongo.InMemory.Engine;

namespace Mongo.InMemory.FailPoints;

/// <summary>
/// The server's fail points (configureFailPoint). Only failCommand is implemented: it matches commands by name
/// (and optionally by the client's appName) and, per its mode (alwaysOn, off, {times: n}, {skip: n},
/// {activationProbability: p}), returns an error, closes the connection, blocks, or adds a writeConcernError.
/// </summary>
internal sealed class FailPointManager
{
    public const string FailCommand = "failCommand";
    public const string OnPrimaryTransactionalWrite = "onPrimaryTransactionalWrite";

    private readonly object _lock = new();
    private FailCommandConfig? _failCommand;
    private FailCommandConfig? _onPrimaryTransactionalWrite;

    /// <summary>Whether a failCommand fail point is armed (a fast check for the hot path).</summary>
    public bool IsArmed => Volatile.Read(ref _failCommand) is not null || Volatile.Read(ref _onPrimaryTransactionalWrite) is not null;

    /// <summary>Applies a configureFailPoint command; returns the reply body (without ok).</summary>
    public BsonDocument Configure(BsonDocument command)
    {
        BsonValue nameValue = command[0];
        if (!nameValue.IsString)
        {
            throw Errors.Of(ErrorCodes.TypeMismatch, "configureFailPoint must be the name of a fail point (a string)");
        }

        string name = nameValue.AsString;
        if (name is not (FailCommand or OnPrimaryTransactionalWrite))
        {
            throw Errors.Of(ErrorCodes.BadValue, $"Cannot find failPoint: {name}");
        }

        if (!command.TryGetValue("mode", out BsonValue? mode))
        {
            throw Errors.Of(ErrorCodes.BadValue, "configureFailPoint requires a 'mode'");
        }

        BsonDocument data = command.TryGetValue("data", out BsonValue? dataValue) && dataValue.IsDocument ? dataValue.AsDocument : new BsonDocument();
        lock (_lock)
        {
            if (name == OnPrimaryTransactionalWrite)
            {
                FailCommandConfig? writeConfig = FailCommandConfig.ParseTransactionalWrite(mode, data);
                long previous = _onPrimaryTransactionalWrite?.TimesEntered ?? 0;
                Volatile.Write(ref _onPrimaryTransactionalWrite, writeConfig);
                return new BsonDocument("count", new BsonInt64(previous));
            }

            FailCommandConfig? config = FailCommandConfig.Parse(mode, data);
            long count = _failCommand?.TimesEntered ?? 0;
            Volatile.Write(ref _failCommand, config);
            return new BsonDocument("count", new BsonInt64(count));
        }
    }

    /// <summary>Turns every fail point off (used when a server is reset between tests).</summary>
    public void Clear()
    {
        lock (_lock)
        {
            Volatile.Write(ref _failCommand, null);
            Volatile.Write(ref _onPrimaryTransactionalWrite, null);
        }
    }

    /// <summary>Checks onPrimaryTransactionalWrite for a retryable write (one with a txnNumber outside a transaction).</summary>
    public FailCommandAction? CheckTransactionalWrite(string commandName)
    {
        if (Volatile.Read(ref _onPrimaryTransactionalWrite) is null)
        {
            return null;
        }

        lock (_lock)
        {
            FailCommandConfig? config = _onPrimaryTransactionalWrite;
            if (config is null || !config.Matches(commandName, null) || !config.TryActivate(out bool exhausted))
            {
                return null;
            }

            if (exhausted)
            {
                _onPrimaryTransactionalWrite = null;
            }

            return config.Action;
        }
    }

    /// <summary>Decides whether the fail point fires for this command; consumes one activation when it does.</summary>
    public FailCommandAction? Check(string commandName, string? appName)
    {
        if (Volatile.Read(ref _failCommand) is null || commandName == "configureFailPoint")
        {
            return null;
        }

        lock (_lock)
        {
            FailCommandConfig? config = _failCommand;
            if (config is null || !config.Matches(commandName, appName))
            {
                return null;
            }

            if (!config.TryActivate(out bool exhausted))
            {
                return null;
            }

            if (exhausted)
            {
                _failCommand = null;
            }

            return config.Action;
        }
    }

    private sealed class FailCommandConfig
    {
        private readonly HashSet<string> _commands;
        private readonly string? _appName;
        private readonly double _probability;
        private int _remainingTimes; // -1: unlimited
        private int _skip;

        private FailCommandConfig(HashSet<string> commands, string? appName, int times, int skip, double probability, FailCommandAction action)
        {
            _commands = commands;
            _appName = appName;
            _remainingTimes = times;
            _skip = skip;
            _probability = probability;
            Action = action;
        }

        public FailCommandAction Action { get; }

        public long TimesEntered { get; private set; }

        public static FailCommandConfig? ParseTransactionalWrite(BsonValue mode, BsonDocument data)
        {
            if (!TryParseMode(mode, out int times, out int skip, out double probability))
            {
                return null;
            }

            int? code = data.TryGetValue("failBeforeCommitExceptionCode", out BsonValue? c) && c.IsNumeric ? c.ToInt32() : null;
            bool close = !data.TryGetValue("closeConnection", out BsonValue? cc) || cc.ToBoolean();
            var action = new FailCommandAction
            {
                CloseConnection = close,
                ErrorCode = code,
                AfterExecution = code is null,
            };
            var commands = new HashSet<string>(["insert", "update", "delete", "findAndModify"], StringComparer.Ordinal);
            return new FailCommandConfig(commands, null, times, skip, probability, action);
        }

        public static FailCommandConfig? Parse(BsonValue mode, BsonDocument data)
        {
            if (!TryParseMode(mode, out int times, out int skip, out double probability))
            {
                return null;
            }

            return ParseFailCommand(data, times, skip, probability);
        }

        /// <summary>Parses a fail point mode; false means "off" (including {times: 0}).</summary>
        private static bool TryParseMode(BsonValue mode, out int times, out int skip, out double probability)
        {
            times = -1;
            skip = 0;
            probability = 1.0;
            if (mode.IsString)
            {
                switch (mode.AsString)
                {
                    case "off":
                        return false;
                    case "alwaysOn":
                        break;
                    default:
                        throw Errors.Of(ErrorCodes.BadValue, $"unknown mode: {mode.AsString}");
                }
            }
            else if (mode.IsDocument)
            {
                BsonDocument modeDocument = mode.AsDocument;
                if (modeDocument.TryGetValue("times", out BsonValue? t))
                {
                    times = RequireNonNegative(t, "times");
                    if (times == 0)
                    {
                        return false;
                    }
                }
                else if (modeDocument.TryGetValue("skip", out BsonValue? s))
                {
                    skip = RequireNonNegative(s, "skip");
                }
                else if (modeDocument.TryGetValue("activationProbability", out BsonValue? p) && p.IsNumeric)
                {
                    probability = p.ToDouble();
                    if (probability is < 0 or > 1)
                    {
                        throw Errors.Of(ErrorCodes.BadValue, "activationProbability must be between 0 and 1");
                    }
                }
                else
                {
                    throw Errors.Of(ErrorCodes.BadValue, "mode must be 'times', 'skip' or 'activationProbability'");
                }
            }
            else
            {
                throw Errors.Of(ErrorCodes.TypeMismatch, "'mode' must be a string or a document");
            }

            return true;
        }

        private static FailCommandConfig ParseFailCommand(BsonDocument data, int times, int skip, double probability)
        {
            if (!data.TryGetValue("failCommands", out BsonValue? failCommands) || !failCommands.IsArray)
            {
                throw Errors.Of(ErrorCodes.BadValue, "failCommand fail point requires data.failCommands (an array of command names)");
            }

            var commands = new HashSet<string>(StringComparer.Ordinal);
            foreach (BsonValue command in failCommands.AsArray)
            {
                if (!command.IsString)
                {
                    throw Errors.Of(ErrorCodes.TypeMismatch, "data.failCommands must hold only strings");
                }

                commands.Add(command.AsString);
            }

            int blockTimeMs = 0;
            if (data.TryGetValue("blockConnection", out BsonValue? block) && block.ToBoolean())
            {
                if (!data.TryGetValue("blockTimeMS", out BsonValue? blockTime) || !blockTime.IsNumeric)
                {
                    throw Errors.Of(ErrorCodes.BadValue, "blockConnection requires a numeric blockTimeMS");
                }

                blockTimeMs = Math.Max(0, blockTime.ToInt32());
            }

            var action = new FailCommandAction
            {
                CloseConnection = data.TryGetValue("closeConnection", out BsonValue? close) && close.ToBoolean(),
                BlockTimeMs = blockTimeMs,
                ErrorCode = data.TryGetValue("errorCode", out BsonValue? code) && code.IsNumeric ? code.ToInt32() : null,
                ErrorLabels = data.TryGetValue("errorLabels", out BsonValue? labels) && labels.IsArray ? labels.AsArray : null,
                WriteConcernError = data.TryGetValue("writeConcernError", out BsonValue? wce) && wce.IsDocument ? wce.AsDocument : null,
                ErrorMessage = data.TryGetValue("errmsg", out BsonValue? msg) && msg.IsString ? msg.AsString : null,
            };
            string? appName = data.TryGetValue("appName", out BsonValue? app) && app.IsString ? app.AsString : null;
            return new FailCommandConfig(commands, appName, times, skip, probability, action);
        }

        public bool Matches(string commandName, string? appName) =>
            _commands.Contains(commandName) && (_appName is null || _appName == appName);

        public bool TryActivate(out bool exhausted)
        {
            exhausted = false;
            if (_skip > 0)
            {
                _skip--;
                return false;
            }

            if (_probability < 1.0 && Random.Shared.NextDouble() >= _probability)
            {
                return false;
            }

            TimesEntered++;
            if (_remainingTimes > 0)
            {
                _remainingTimes--;
                exhausted = _remainingTimes == 0;
            }

            return true;
        }

        private static int RequireNonNegative(BsonValue value, string name)
        {
            if (!value.IsNumeric || value.ToInt64() < 0)
            {
                throw Errors.Of(ErrorCodes.BadValue, $"'{name}' must be a non-negative number");
            }

            return (int)Math.Min(int.MaxValue, value.ToInt64());
        }
    }
}
