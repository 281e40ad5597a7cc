using Microsoft.Extensions.Logging;

namespace Mongo.Testing.Monitoring;

/// <summary>One captured log message: category, level, the structured fields and the formatted text.</summary>
/// <param name="Category">The logger category (e.g. <c>Mongo.Driver.Connection</c>).</param>
/// <param name="Level">The level it was written at.</param>
/// <param name="Fields">The structured key-value pairs (the spec's fields, including <c>message</c>).</param>
/// <param name="Text">The formatted (unstructured) message.</param>
/// <param name="Exception">The exception passed to the logger, if any.</param>
public sealed record CapturedLog(string Category, LogLevel Level, IReadOnlyList<KeyValuePair<string, object?>> Fields, string Text, Exception? Exception)
{
    /// <summary>The value of a structured field, or null.</summary>
    public object? this[string key] => Fields.FirstOrDefault(f => f.Key == key).Value;
}

/// <summary>An <see cref="ILoggerFactory"/> that keeps every message at or above a per-category minimum level, in order.</summary>
public sealed class LogCapture : ILoggerFactory
{
    private readonly object _gate = new();
    private readonly List<CapturedLog> _logs = [];
    private readonly Func<string, LogLevel> _minimum;

    /// <summary>Captures categories at the level <paramref name="minimum"/> gives (<see cref="LogLevel.None"/> to ignore one).</summary>
    public LogCapture(Func<string, LogLevel>? minimum = null) => _minimum = minimum ?? (_ => LogLevel.Trace);

    /// <summary>Set to false to stop capturing.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>A snapshot of the captured messages.</summary>
    public IReadOnlyList<CapturedLog> Logs
    {
        get
        {
            lock (_gate)
            {
                return [.. _logs];
            }
        }
    }

    /// <inheritdoc />
    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName, _minimum(categoryName));

    /// <inheritdoc />
    public void AddProvider(ILoggerProvider provider) => throw new NotSupportedException();

    /// <inheritdoc />
    public void Dispose()
    {
    }

    private void Add(CapturedLog log)
    {
        lock (_gate)
        {
            if (Enabled)
            {
                _logs.Add(log);
            }
        }
    }

    private sealed class Logger(LogCapture owner, string category, LogLevel minimum) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => minimum != LogLevel.None && logLevel >= minimum;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel))
            {
                return;
            }

            IReadOnlyList<KeyValuePair<string, object?>> fields = state is IReadOnlyList<KeyValuePair<string, object?>> list ? [.. list] : [];
            owner.Add(new CapturedLog(category, logLevel, fields, formatter(state, exception), exception));
        }
    }
}
