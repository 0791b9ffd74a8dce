namespace OpenChat.SocketIO;

/// <summary>Registering and removing a socket's listeners: Node's <c>on</c>, <c>once</c>, <c>off</c>, <c>onAny</c>, <c>use</c>, <c>onAnyOutgoing</c>.</summary>
public sealed partial class SocketIOSocket
{
    private readonly Dictionary<string, HandlerList<Func<EventContext, ValueTask>>> _handlers = new(StringComparer.Ordinal);
    private readonly HandlerList<Func<EventContext, ValueTask>> _anyHandlers = new();
    private readonly HandlerList<Func<EventContext, Func<ValueTask>, ValueTask>> _middleware = new();
    private readonly HandlerList<Action<string, EventArguments>> _outgoingHandlers = new();
    private readonly HandlerList<Action<Exception>> _errorHandlers = new();
    private readonly HandlerList<Func<string, ValueTask>> _disconnectingHandlers = new();
    private readonly HandlerList<Func<string, ValueTask>> _disconnectHandlers = new();

    /// <summary>
    /// Handles an event. The handler may await; the socket's later events wait for it (unless
    /// <see cref="SocketIOOptions.MaxConcurrentHandlersPerSocket"/> allows more at once), other sockets' do not.
    /// </summary>
    public void On(string eventName, Func<EventContext, ValueTask> handler) => AddEventHandler(eventName, handler, handler, once: false);

    /// <summary>Handles an event synchronously.</summary>
    public void On(string eventName, Action<EventContext> handler) => AddEventHandler(eventName, handler, Wrap(handler), once: false);

    /// <summary>Handles the next occurrence of an event only (Node's <c>once</c>).</summary>
    public void Once(string eventName, Func<EventContext, ValueTask> handler) => AddEventHandler(eventName, handler, handler, once: true);

    /// <summary>Handles the next occurrence of an event only, synchronously.</summary>
    public void Once(string eventName, Action<EventContext> handler) => AddEventHandler(eventName, handler, Wrap(handler), once: true);

    /// <summary>Removes a handler given to <c>On</c> or <c>Once</c> (the most recently added, if it was given twice); false if it was not there.</summary>
    public bool Off(string eventName, Func<EventContext, ValueTask> handler) => RemoveEventHandler(eventName, handler);

    /// <summary>Removes a synchronous handler given to <c>On</c> or <c>Once</c>.</summary>
    public bool Off(string eventName, Action<EventContext> handler) => RemoveEventHandler(eventName, handler);

    /// <summary>Removes every handler of an event (Node's <c>removeAllListeners(event)</c>).</summary>
    public void Off(string eventName)
    {
        ArgumentNullException.ThrowIfNull(eventName);
        lock (_handlers)
        {
            _handlers.Remove(eventName);
        }
    }

    /// <summary>Handles every event, before socket middleware and the event's own handlers (as Node's <c>onAny</c>).</summary>
    public void OnAny(Func<EventContext, ValueTask> handler) => _anyHandlers.Add(NotNull(handler), handler);

    /// <summary>Handles every event synchronously, before socket middleware and the event's own handlers.</summary>
    public void OnAny(Action<EventContext> handler) => _anyHandlers.Add(NotNull(handler), Wrap(handler));

    /// <summary>Removes a catch-all handler; false if it was not there.</summary>
    public bool OffAny(Func<EventContext, ValueTask> handler) => _anyHandlers.Remove(NotNull(handler));

    /// <summary>Removes a synchronous catch-all handler; false if it was not there.</summary>
    public bool OffAny(Action<EventContext> handler) => _anyHandlers.Remove(NotNull(handler));

    /// <summary>Removes every catch-all handler.</summary>
    public void OffAny() => _anyHandlers.Clear();

    /// <summary>
    /// Adds per-packet middleware (Node's <c>socket.use</c>), run for every incoming event in registration
    /// order after the catch-all handlers and before the event's handlers. Call <c>next()</c> to go on; not
    /// calling it drops the event; throwing refuses it: the exception goes to the <see cref="OnError"/>
    /// handlers (and, with <see cref="SocketIOOptions.AcknowledgeHandlerErrors"/>, to the client's ack).
    /// </summary>
    public void Use(Func<EventContext, Func<ValueTask>, ValueTask> middleware) => _middleware.Add(NotNull(middleware), middleware);

    /// <summary>
    /// Observes every event sent to this client, by <see cref="Emit(string, object?[])"/> or as part of a
    /// broadcast, with its name and arguments (Node's <c>onAnyOutgoing</c>), as it is queued. Runs on the
    /// sender's thread: keep it short; an exception it throws is logged and the packet still goes.
    /// </summary>
    public void OnAnyOutgoing(Action<string, EventArguments> handler) => _outgoingHandlers.Add(NotNull(handler), handler);

    /// <summary>Removes an outgoing listener; false if it was not there.</summary>
    public bool OffAnyOutgoing(Action<string, EventArguments> handler) => _outgoingHandlers.Remove(NotNull(handler));

    /// <summary>Removes every outgoing listener.</summary>
    public void OffAnyOutgoing() => _outgoingHandlers.Clear();

    /// <summary>Receives what socket middleware threw to refuse an event (Node's <c>socket.on("error")</c>).</summary>
    public void OnError(Action<Exception> handler) => _errorHandlers.Add(NotNull(handler), handler);

    /// <summary>
    /// Runs as the socket disconnects, while <see cref="Rooms"/> is still intact, at once (possibly while one
    /// of the socket's handlers is still running); the socket leaves its rooms when it returns.
    /// </summary>
    public void OnDisconnecting(Func<string, ValueTask> handler) => _disconnectingHandlers.Add(NotNull(handler), handler);

    /// <summary>Runs as the socket disconnects, while <see cref="Rooms"/> is still intact, synchronously.</summary>
    public void OnDisconnecting(Action<string> handler) => _disconnectingHandlers.Add(NotNull(handler), Wrap(handler));

    /// <summary>
    /// Runs once the socket has disconnected, with the reason (see <see cref="DisconnectReasons"/>): after it
    /// left its rooms and lists, and after its handlers that were running have returned, so it is the last
    /// handler of the socket to run.
    /// </summary>
    public void OnDisconnect(Func<string, ValueTask> handler) => _disconnectHandlers.Add(NotNull(handler), handler);

    /// <summary>Runs once the socket has disconnected, synchronously.</summary>
    public void OnDisconnect(Action<string> handler) => _disconnectHandlers.Add(NotNull(handler), Wrap(handler));

    private static T NotNull<T>(T handler)
        where T : Delegate
    {
        ArgumentNullException.ThrowIfNull(handler);
        return handler;
    }

    private static Func<EventContext, ValueTask> Wrap(Action<EventContext> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        return context =>
        {
            handler(context);
            return ValueTask.CompletedTask;
        };
    }

    private static Func<string, ValueTask> Wrap(Action<string> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        return reason =>
        {
            handler(reason);
            return ValueTask.CompletedTask;
        };
    }

    private void AddEventHandler(string eventName, Delegate original, Func<EventContext, ValueTask> invoke, bool once)
    {
        ArgumentNullException.ThrowIfNull(eventName);
        ArgumentNullException.ThrowIfNull(original);
        switch (eventName)
        {
            case "disconnect":
            case "disconnecting":
                throw new ArgumentException("Use OnDisconnect or OnDisconnecting for these events.", nameof(eventName));
        }

        HandlerList<Func<EventContext, ValueTask>>? list;
        lock (_handlers)
        {
            if (!_handlers.TryGetValue(eventName, out list))
            {
                _handlers[eventName] = list = new();
            }
        }

        list.Add(original, invoke, once);
    }

    private bool RemoveEventHandler(string eventName, Delegate original)
    {
        ArgumentNullException.ThrowIfNull(eventName);
        ArgumentNullException.ThrowIfNull(original);
        HandlerList<Func<EventContext, ValueTask>>? list;
        lock (_handlers)
        {
            if (!_handlers.TryGetValue(eventName, out list))
            {
                return false;
            }
        }

        return list.Remove(original);
    }
}
