using System.Collections.Concurrent;
using OpenChat.SocketIO.Adapters;

namespace OpenChat.SocketIO;

/// <summary>
/// A namespace (<c>/</c>, <c>/admin</c>, ...): its middleware, its connection handlers, its sockets and
/// their rooms. Broadcasts from here reach the namespace's sockets only.
/// </summary>
public sealed class SocketIONamespace
{
    private readonly ConcurrentDictionary<string, SocketIOSocket> _sockets = new(StringComparer.Ordinal);
    private readonly Lock _sync = new();
    private readonly List<Func<SocketIOSocket, ValueTask>> _middleware = new();
    private readonly List<Func<SocketIOSocket, ValueTask>> _connectionHandlers = new();

    internal SocketIONamespace(SocketIOServer server, string name)
    {
        Server = server;
        Name = name;
        Adapter = server.Options.AdapterFactory?.Invoke(this) ?? new InMemoryAdapter(this);
    }

    /// <summary>The namespace name, starting with <c>/</c>.</summary>
    public string Name { get; }

    /// <summary>The server the namespace belongs to.</summary>
    public SocketIOServer Server { get; }

    /// <summary>Room membership and broadcast.</summary>
    public ISocketIOAdapter Adapter { get; }

    /// <summary>The connected sockets.</summary>
    public ICollection<SocketIOSocket> Sockets => _sockets.Values;

    /// <summary>How many sockets are connected.</summary>
    public int SocketCount => _sockets.Count;

    /// <summary>
    /// Adds middleware run for every CONNECT before the socket is admitted, in registration order. Throw
    /// <see cref="ConnectionRefusedException"/> to refuse the connection with a message and data.
    /// </summary>
    public void Use(Func<SocketIOSocket, ValueTask> middleware)
    {
        lock (_sync)
        {
            _middleware.Add(middleware);
        }
    }

    /// <summary>Registers a handler for <c>"connection"</c> (or its alias <c>"connect"</c>).</summary>
    public void On(string eventName, Func<SocketIOSocket, ValueTask> handler)
    {
        if (eventName is not ("connection" or "connect"))
        {
            throw new ArgumentException("A namespace raises only \"connection\"; register socket events on the socket.", nameof(eventName));
        }

        lock (_sync)
        {
            _connectionHandlers.Add(handler);
        }
    }

    /// <summary>Registers a synchronous handler for <c>"connection"</c>.</summary>
    public void On(string eventName, Action<SocketIOSocket> handler) => On(eventName, socket =>
    {
        handler(socket);
        return ValueTask.CompletedTask;
    });

    /// <summary>Targets the members of a room.</summary>
    public BroadcastOperator To(string room) => NewOperator().To(room);

    /// <summary>Same as <see cref="To"/>.</summary>
    public BroadcastOperator In(string room) => To(room);

    /// <summary>Targets everyone but the members of a room.</summary>
    public BroadcastOperator Except(string room) => NewOperator().Except(room);

    /// <summary>Sends an event to every socket of the namespace.</summary>
    public void Emit(string eventName, params object?[] args) => NewOperator().Emit(eventName, args);

    /// <summary>Looks up a connected socket by id.</summary>
    public bool TryGetSocket(string id, out SocketIOSocket socket) => _sockets.TryGetValue(id, out socket!);

    internal BroadcastOperator NewOperator() => new(this);

    internal async ValueTask RunMiddlewareAsync(SocketIOSocket socket)
    {
        Func<SocketIOSocket, ValueTask>[] middleware;
        lock (_sync)
        {
            middleware = [.. _middleware];
        }

        foreach (var step in middleware)
        {
            await step(socket);
        }
    }

    /// <summary>Admits a socket: its own room, the CONNECT reply, then the connection handlers.</summary>
    internal async ValueTask AddAsync(SocketIOSocket socket)
    {
        _sockets[socket.Id] = socket;
        Adapter.AddAll(socket.Id, [socket.Id]);

        // The client reads the CONNECT reply before the handlers' first packets reach it (the frame asks the
        // transport for that): a client that handles one message per read, as the official protocol suites
        // do, would otherwise miss a packet that arrived in the same read.
        socket.Send(PacketFactory.Connected(Name, socket.Id, socket.Protocol));
        Func<SocketIOSocket, ValueTask>[] handlers;
        lock (_sync)
        {
            handlers = [.. _connectionHandlers];
        }

        foreach (var handler in handlers)
        {
            await handler(socket);
        }
    }

    internal void Remove(SocketIOSocket socket) => _sockets.TryRemove(new KeyValuePair<string, SocketIOSocket>(socket.Id, socket));
}
