using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Mongo.Extensions.Tests;

/// <summary>Records the category of every message logged, to show which loggers a client wrote to.</summary>
internal sealed class CapturingLoggerProvider : ILoggerProvider
{
    private readonly ConcurrentQueue<string> _categories = new();

    public IReadOnlyCollection<string> Categories => _categories;

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, _categories);

    public void Dispose()
    {
    }

    private sealed class Logger(string category, ConcurrentQueue<string> sink) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            sink.Enqueue(category);
    }
}
