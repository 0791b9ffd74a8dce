namespace OpenChat.SocketIO;

/// <summary>
/// The base of a handler class, for those who prefer classes to lambdas (as SignalR's <c>Hub</c>): each public
/// method of the derived class handles the event of its name (<c>SendMessage</c> or <c>SendMessageAsync</c>
/// handles <c>"sendMessage"</c>; <see cref="SocketIOEventAttribute"/> names it otherwise), its parameters
/// read from the event's arguments in order, and what it returns answers the client's acknowledgement.
/// Register it with <see cref="SocketIONamespace.MapHub{THub}"/>. A new instance handles each event, created
/// from the event's service scope (<see cref="EventContext.Services"/>), so its constructor may take scoped
/// services; it is disposed after the event if it is disposable.
/// </summary>
/// <remarks>
/// Parameters of type <see cref="CancellationToken"/> (the socket's <see cref="SocketIOSocket.DisconnectToken"/>),
/// <see cref="EventContext"/>, <see cref="SocketIOSocket"/> and <see cref="EventArguments"/> (all of them) are
/// given, not read; every other parameter reads the next argument as <see cref="EventArguments.Get{T}(int)"/>
/// does, and a missing one takes the parameter's default value when it has one. Methods may return nothing,
/// a value, <see cref="Task"/>, <see cref="ValueTask"/>, <see cref="Task{TResult}"/> or
/// <see cref="ValueTask{TResult}"/>: once they complete, a client that asked for an acknowledgement gets the
/// value as its one argument (none for methods that return nothing), unless the method acknowledged itself
/// through <see cref="Event"/>.
/// </remarks>
public abstract class SocketIOHub
{
    private SocketIOSocket? _socket;
    private EventContext? _event;

    /// <summary>The socket the event came from: emit to it, join rooms, read its handshake.</summary>
    public SocketIOSocket Socket => _socket ?? throw new InvalidOperationException("The hub is not handling an event yet.");

    /// <summary>The socket's namespace: broadcast from here (<c>Namespace.To(room).Emit(...)</c>).</summary>
    public SocketIONamespace Namespace => Socket.Namespace;

    /// <summary>The server, for other namespaces and the cluster.</summary>
    public SocketIOServer Server => Socket.Namespace.Server;

    /// <summary>The event being handled; not available in <see cref="OnConnectedAsync"/> and <see cref="OnDisconnectedAsync"/>.</summary>
    public EventContext Event => _event ?? throw new InvalidOperationException("OnConnectedAsync and OnDisconnectedAsync handle no event.");

    /// <summary>Runs when a socket joins the namespace, before its events are handled (a <c>"connection"</c> handler).</summary>
    public virtual ValueTask OnConnectedAsync() => ValueTask.CompletedTask;

    /// <summary>Runs once the socket has disconnected, with the reason (see <see cref="SocketIOSocket.OnDisconnect(Func{string, ValueTask})"/>).</summary>
    public virtual ValueTask OnDisconnectedAsync(string reason) => ValueTask.CompletedTask;

    internal void Bind(SocketIOSocket socket, EventContext? context)
    {
        _socket = socket;
        _event = context;
    }
}
