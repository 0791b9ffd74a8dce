using System.Text.Json;

namespace OpenChat.SocketIO;

/// <summary>Some servers did not answer a server-side emit in time; <see cref="Responses"/> holds the answers that came.</summary>
public sealed class ServerSideEmitTimeoutException(string message, IReadOnlyList<JsonElement> responses) : TimeoutException(message)
{
    /// <summary>The answers received before the timeout.</summary>
    public IReadOnlyList<JsonElement> Responses { get; } = responses;
}
