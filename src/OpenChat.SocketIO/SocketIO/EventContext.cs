using Microsoft.Extensions.DependencyInjection;

namespace OpenChat.SocketIO;

/// <summary>One event received from a client: its name, arguments and, if the client asked for one, the acknowledgement.</summary>
public sealed class EventContext
{
    private readonly long? _ackId;
    private int _acknowledged;
    private AsyncServiceScope? _scope;

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

    /// <summary>Whether the acknowledgement has been sent (or claimed by a first <c>Ack</c> call).</summary>
    public bool Acknowledged => Volatile.Read(ref _acknowledged) == 1;

    /// <summary>
    /// The application's services in a scope of this event's own, created on first use and disposed once the
    /// event's handlers have returned: resolve scoped services (a DbContext, a unit of work) here, as a
    /// controller or a SignalR hub method would get them.
    /// </summary>
    public IServiceProvider Services
    {
        get
        {
            _scope ??= (Socket.Namespace.Server.ScopeFactory
                ?? throw new InvalidOperationException("This SocketIOServer was created without a service provider; resolve it from DI (services.AddSocketIO()) to use scoped services."))
                .CreateAsyncScope();
            return _scope.Value.ServiceProvider;
        }
    }

    /// <summary>Answers the client's callback with these arguments. Only the first call is sent.</summary>
    public bool Ack(params object?[] args) => TryClaimAck() && Socket.SendAck(_ackId!.Value, args);

    /// <summary>Answers the client's callback with received arguments, attachments included.</summary>
    public bool Ack(EventArguments args) => TryClaimAck() && Socket.SendAck(_ackId!.Value, args);

    /// <summary>Disposes the event's service scope, if one was created.</summary>
    internal ValueTask DisposeAsync() => _scope is { } scope ? scope.DisposeAsync() : ValueTask.CompletedTask;

    private bool TryClaimAck() => _ackId is not null && Interlocked.Exchange(ref _acknowledged, 1) == 0;
}
