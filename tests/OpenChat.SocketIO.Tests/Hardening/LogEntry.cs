using Microsoft.Extensions.Logging;

namespace OpenChat.SocketIO.Tests.Hardening;

/// <summary>One log line as the server wrote it, with the scopes active at the time.</summary>
public sealed record LogEntry(string Category, LogLevel Level, EventId EventId, string Message, Exception? Exception, IReadOnlyList<string> Scopes)
{
    /// <summary>Whether the message or one of its scopes names <paramref name="text"/> (a session id, say).</summary>
    public bool Mentions(string text) =>
        Message.Contains(text, StringComparison.Ordinal) || Scopes.Any(s => s.Contains(text, StringComparison.Ordinal));

    public override string ToString() =>
        $"[{Level}] {Category} ({EventId.Name}): {Message}{(Exception is null ? "" : Environment.NewLine + Exception)}";
}
