using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace OpenChat.Testing;

/// <summary>Keeps every log entry a server writes.</summary>
public sealed class LogRecorder : ILoggerProvider
{
    private readonly ConcurrentQueue<(LogLevel Level, string Category, string Name, string Message)> _entries = new();

    public IReadOnlyList<(LogLevel Level, string Category, string Name, string Message)> Entries => [.. _entries];

    public int Count(string eventName) => Entries.Count(e => e.Name == eventName);

    public ILogger CreateLogger(string categoryName) => new Recorder(this, categoryName);

    public void Dispose()
    {
    }

    private sealed class Recorder(LogRecorder owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            owner._entries.Enqueue((logLevel, category, eventId.Name ?? string.Empty, formatter(state, exception)));
    }
}
