using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using OpenChat.SocketIO.Adapters;

namespace OpenChat.SocketIO;

/// <summary>
/// A namespace (<c>/</c>, <c>/admin</c>, ...): its middleware, its connection handlers, its sockets and
/// their rooms. Broadcasts from here reach the namespace's sockets on every server of the cluster (on this
/// one only through <see cref="Local"/>).
/// </summary>
public sealed partial class SocketIONamespace
{
    private readonly ConcurrentDictionary<string, SocketIOSocket> _sockets = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, SocketIOSocket> _byPrivateId = new(StringComparer.Ordinal);
    private readonly Lock _sync = new();
    private readonly List<Func<SocketIOSocket, ValueTask>> _middleware = new();
    private readonly List<Func<SocketIOSocket, ValueTask>> _connectionHandlers = new();
    private readonly Dictionary<string, List<Func<ServerSideEvent, ValueTask>>> _serverSideHandlers = new(StringComparer.Ordinal);
    private long _nextAckId;
    private int _admitting;

    internal SocketIONamespace(SocketIOServer server, string name)
    {
        Server = server;
        Name = name;
        Adapter = server.Options.AdapterFactory?.Invoke(this) ?? new InMemoryAdapter(this);
        Adapter.Start();
    }

    /// <summary>The namespace name, starting with <c>/</c>.</summary>
    public string Name { get; }

    /// <summary>The dynamic namespace this one was created from, or null for a namespace created by name.</summary>
    public ParentNamespace? Parent { get; internal set; }

    /// <summary>The server the namespace belongs to.</summary>
    public SocketIOServer Server { get; }

    /// <summary>Room membership, broadcast and the other servers of the cluster.</summary>
    public SocketIOAdapter Adapter { get; }

    /// <summary>The sockets connected to this server.</summary>
    public ICollection<SocketIOSocket> Sockets => _sockets.Values;

    /// <summary>How many sockets are connected to this server.</summary>
    public int SocketCount => _sockets.Count;

    /// <summary>Broadcasts from here reach this server's sockets only.</summary>
    public BroadcastOperator Local => NewOperator().Local;

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
        EnsureConnectionEvent(eventName);
        ArgumentNullException.ThrowIfNull(handler);

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

    /// <summary>
    /// Handles this namespace's sockets with a handler class (see <see cref="SocketIOHub"/>): each public
    /// method handles the event of its name, with a new instance per event from the event's service scope.
    /// Needs the server from DI. Throws at once if the class cannot be a hub (two methods for one event, a
    /// reserved event name, an unsupported return type).
    /// </summary>
    public void MapHub<THub>()
        where THub : SocketIOHub => HubDescriptor.For(typeof(THub)).Attach(handler => On("connection", handler), Server);

    /// <summary>Targets the members of a room.</summary>
    public BroadcastOperator To(string room) => NewOperator().To(room);

    /// <summary>Targets the members of several rooms.</summary>
    public BroadcastOperator To(IEnumerable<string> rooms) => NewOperator().To(rooms);

    /// <summary>Same as <see cref="To(string)"/>.</summary>
    public BroadcastOperator In(string room) => To(room);

    /// <summary>Targets everyone but the members of a room.</summary>
    public BroadcastOperator Except(string room) => NewOperator().Except(room);

    /// <summary>Sets the timeout of a following <see cref="BroadcastOperator.EmitWithAckAsync(string, object?[])"/>.</summary>
    public BroadcastOperator Timeout(TimeSpan timeout) => NewOperator().Timeout(timeout);

    /// <summary>Sends an event to every socket of the namespace.</summary>
    public void Emit(string eventName, params object?[] args) => NewOperator().Emit(eventName, args);

    /// <summary>Sends an event to every socket and waits for each one's acknowledgement (see <see cref="BroadcastOperator.EmitWithAckAsync(string, object?[])"/>).</summary>
    public Task<IReadOnlyList<EventArguments>> EmitWithAckAsync(string eventName, params object?[] args) => NewOperator().EmitWithAckAsync(eventName, args);

    /// <summary>Sends an event to every socket and waits for each acknowledgement, until <paramref name="cancellationToken"/> is cancelled at most.</summary>
    public Task<IReadOnlyList<EventArguments>> EmitWithAckAsync(string eventName, CancellationToken cancellationToken, params object?[] args) =>
        NewOperator().EmitWithAckAsync(eventName, cancellationToken, args);

    /// <summary>Describes every socket of the namespace, on every server.</summary>
    public Task<IReadOnlyList<RemoteSocket>> FetchSocketsAsync(CancellationToken cancellationToken = default) => NewOperator().FetchSocketsAsync(cancellationToken);

    /// <summary>Makes every socket, on every server, join rooms.</summary>
    public void SocketsJoin(params string[] rooms) => NewOperator().SocketsJoin(rooms);

    /// <summary>Makes every socket, on every server, leave rooms.</summary>
    public void SocketsLeave(params string[] rooms) => NewOperator().SocketsLeave(rooms);

    /// <summary>Disconnects every socket, on every server.</summary>
    public void DisconnectSockets(bool close = false) => NewOperator().DisconnectSockets(close);

    /// <summary>Looks up a socket of this server by id.</summary>
    public bool TryGetSocket(string id, out SocketIOSocket socket) => _sockets.TryGetValue(id, out socket!);

    /// <summary>
    /// A new acknowledgement id. Ids come from one counter per namespace, so the id a broadcast with
    /// acknowledgements gives all its recipients is never one a recipient already waits on.
    /// </summary>
    public long NextAckId() => Interlocked.Increment(ref _nextAckId) - 1;

    internal BroadcastOperator NewOperator() => new(this);

    /// <summary>Whether no socket is in the namespace and none is joining it.</summary>
    internal bool IsIdle => _sockets.IsEmpty && Volatile.Read(ref _admitting) == 0;

    internal static void EnsureConnectionEvent(string eventName)
    {
        if (eventName is not ("connection" or "connect"))
        {
            throw new ArgumentException("A namespace raises only \"connection\"; register socket events on the socket, and events from other servers with OnServerSideEmit.", nameof(eventName));
        }
    }

    /// <summary>A client is joining (its CONNECT found this namespace); balanced by <see cref="EndAdmission"/>.</summary>
    internal void BeginAdmission() => Interlocked.Increment(ref _admitting);

    internal void EndAdmission()
    {
        if (Interlocked.Decrement(ref _admitting) == 0)
        {
            RemoveIfEmptyChild();
        }
    }

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

    /// <summary>
    /// Admits a socket: its own room (a recovered one: the packets it missed, then its former rooms), the CONNECT
    /// reply, then the connection handlers. False when a recovered session could not be resumed after all.
    /// </summary>
    internal async ValueTask<bool> AddAsync(SocketIOSocket socket, RestoredSession? restored)
    {
        _sockets[socket.Id] = socket;
        if (socket.PrivateId is { } pid)
        {
            _byPrivateId[pid] = socket;
        }

        if (restored is null)
        {
            Adapter.AddAll(socket.Id, [socket.Id]);
        }
        else if (!Adapter.ResumeSession(socket, restored))
        {
            Remove(socket);
            return false;
        }

        if (!socket.Connected)
        {
            // The connection closed while the socket was being admitted, and its disconnect may have run first.
            Adapter.DeleteAll(socket.Id);
            Remove(socket);
            return true;
        }

        // The client reads the CONNECT reply before the handlers' first packets reach it (the frame asks the
        // transport for that): a client that handles one message per read, as the official protocol suites
        // do, would otherwise miss a packet that arrived in the same read.
        socket.Send(PacketFactory.Connected(Name, socket.Id, socket.Protocol, socket.PrivateId));
        Server.Observer?.OnConnected(socket);
        Func<SocketIOSocket, ValueTask>[] handlers;
        lock (_sync)
        {
            handlers = [.. _connectionHandlers];
        }

        foreach (var handler in handlers)
        {
            await handler(socket);
        }

        return true;
    }

    internal void Remove(SocketIOSocket socket)
    {
        if (_sockets.TryRemove(new KeyValuePair<string, SocketIOSocket>(socket.Id, socket)))
        {
            RemoveIfEmptyChild();
        }

        if (socket.PrivateId is { } pid)
        {
            _byPrivateId.TryRemove(new KeyValuePair<string, SocketIOSocket>(pid, socket));
        }
    }

    /// <summary>The socket of this server that was given this private session id, while it is in the namespace.</summary>
    internal bool TryGetSocketByPrivateId(string privateId, out SocketIOSocket socket) => _byPrivateId.TryGetValue(privateId, out socket!);

    private void RemoveIfEmptyChild()
    {
        if (Parent is not null && Server.Options.CleanupEmptyChildNamespaces && IsIdle)
        {
            Server.RemoveIfEmpty(this);
        }
    }

    private static bool IsEventPacket(JsonElement packet) =>
        packet.ValueKind == JsonValueKind.Array && packet.GetArrayLength() > 0 && packet[0].ValueKind == JsonValueKind.String;

    private static partial class Log
    {
        [LoggerMessage(90, LogLevel.Error, "Namespace {Namespace}: a handler of the server-side event {Event} failed.", EventName = "ServerSideHandlerFailed")]
        public static partial void HandlerFailed(ILogger logger, Exception exception, string @namespace, string @event);

        [LoggerMessage(91, LogLevel.Debug, "Namespace {Namespace}: ignored a server-side event that is not [name, ...args].", EventName = "ServerSideEventMalformed")]
        public static partial void Malformed(ILogger logger, string @namespace);
    }
}
