using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace OpenChat.SocketIO.Tests.Hardening;

/// <summary>
/// A logger provider that keeps every entry in memory, so a test can assert what the server said about a
/// misbehaving client, and that it never reported a fault of its own.
/// </summary>
public sealed class LogCapture : ILoggerProvider
{
    private readonly ConcurrentQueue<LogEntry> _entries = new();
    private readonly AsyncLocal<ScopeNode?> _scopes = new();

    public IReadOnlyList<LogEntry> Entries => [.. _entries];

    /// <summary>Entries at Error or above: a client's fault must never produce one.</summary>
    public IReadOnlyList<LogEntry> Faults => [.. _entries.Where(e => e.Level >= LogLevel.Error)];

    public ILogger CreateLogger(string categoryName) => new CapturingLogger(this, categoryName);

    /// <summary>Fails with every Error/Critical entry (and its stack trace) if there is any.</summary>
    public void AssertNoFaults()
    {
        var faults = Faults;
        Assert.True(faults.Count == 0, $"The server logged {faults.Count} fault(s):{Environment.NewLine}{string.Join(Environment.NewLine, faults.Take(10))}");
    }

    public void Dispose()
    {
    }

    private sealed record ScopeNode(string Value, ScopeNode? Parent);

    private sealed class CapturingLogger(LogCapture owner, string category) : ILogger
    {
        public IDisposable BeginScope<TState>(TState state)
            where TState : notnull
        {
            var previous = owner._scopes.Value;
            owner._scopes.Value = new ScopeNode(state.ToString() ?? string.Empty, previous);
            return new ScopeRestorer(owner, previous);
        }

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var scopes = new List<string>();
            for (var scope = owner._scopes.Value; scope is not null; scope = scope.Parent)
            {
                scopes.Add(scope.Value);
            }

            owner._entries.Enqueue(new LogEntry(category, logLevel, eventId, formatter(state, exception), exception, scopes));
        }
    }

    private sealed class ScopeRestorer(LogCapture owner, ScopeNode? previous) : IDisposable
    {
        public void Dispose() => owner._scopes.Value = previous;
    }
}
