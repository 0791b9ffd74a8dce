using OpenChat.SocketIO.Protocol;

namespace OpenChat.SocketIO;

/// <summary>One event received from a client: its name, arguments and, if the client asked for one, the acknowledgement.</summary>
public sealed class EventContext
{
    private readonly long? _ackId;
    private int _acknowledged;

    internal EventContext(SocketIOSocket socket, string eventName, EventArguments arguments, long? ackId)
    {
        Socket = socket;
        EventName = eventName;
        Arguments = arguments;
        _ackId = ackId;
    }

    /// <summary>The socket that sent the event.</summary>
    public SocketIOSocket Socket { get; }

    /// <summary>The event name.</summary>
    public string EventName { get; }

    /// <summary>The arguments after the event name.</summary>
    public EventArguments Arguments { get; }

    /// <summary>Whether the client passed an acknowledgement callback.</summary>
    public bool HasAck => _ackId is not null;

    /// <summary>Answers the client's callback with these arguments. Only the first call is sent.</summary>
    public bool Ack(params object?[] args) => TryClaimAck() && Socket.SendAck(_ackId!.Value, args);

    /// <summary>Answers the client's callback with received arguments, attachments included.</summary>
    public bool Ack(EventArguments args) => TryClaimAck() && Socket.SendAck(_ackId!.Value, args);

    private bool TryClaimAck() => _ackId is not null && Interlocked.Exchange(ref _acknowledged, 1) == 0;
}
