using System.Text.Json;

namespace OpenChat.SocketIO;

/// <summary>An event another server of the cluster sent with <c>ServerSideEmit</c>; arguments are JSON.</summary>
public sealed class ServerSideEvent
{
    private readonly Action<JsonElement>? _ack;
    private readonly JsonSerializerOptions _options;
    private int _acknowledged;

    internal ServerSideEvent(string eventName, EventArguments arguments, Action<JsonElement>? ack, JsonSerializerOptions options)
    {
        EventName = eventName;
        Arguments = arguments;
        _ack = ack;
        _options = options;
    }

    /// <summary>The event name.</summary>
    public string EventName { get; }

    /// <summary>The arguments after the event name.</summary>
    public EventArguments Arguments { get; }

    /// <summary>Whether the sending server waits for an answer.</summary>
    public bool HasAck => _ack is not null;

    /// <summary>Answers the sending server with one value (as in the reference server, only one travels); only the first call counts.</summary>
    public bool Ack(object? value)
    {
        if (_ack is null || Interlocked.Exchange(ref _acknowledged, 1) == 1)
        {
            return false;
        }

        _ack(value is JsonElement element ? element : JsonSerializer.SerializeToElement(value, _options));
        return true;
    }
}
