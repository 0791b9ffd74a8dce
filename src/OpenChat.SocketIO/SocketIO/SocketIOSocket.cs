using System.Collections.Concurrent;
using OpenChat.SocketIO.Adapters;
using OpenChat.SocketIO.Protocol;

namespace OpenChat.SocketIO;

/// <summary>
/// One client connected to one namespace. Register handlers with <see cref="On(string, Func{EventContext, ValueTask})"/>,
/// send with <see cref="Emit(string, object?[])"/>, group with rooms. A socket's handlers run one at a time
/// in the order its packets arrived (<see cref="SocketIOOptions.MaxConcurrentHandlersPerSocket"/> allows
/// more); sockets of other namespaces on the same connection are handled independently.
/// </summary>
public sealed partial class SocketIOSocket
{
    private readonly SocketIOConnection _connection;
    private readonly PendingAcks _acks;
    private static readonly BroadcastFlags OwnRoomFlags = new() { Local = true };

    private readonly CancellationTokenSource _disconnect = new();
    private readonly TaskCompletionSource _gone = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _connected = 1;

    internal SocketIOSocket(SocketIOConnection connection, SocketIONamespace ns, Handshake handshake, HandlerQueue queue, RestoredSession? restored = null)
    {
        _connection = connection;
        Namespace = ns;
        Handshake = handshake;
        Queue = queue;
        _acks = new PendingAcks(ns.Server.Options.MaxPendingAcks, ns.Server.Time, ns.Server.Metrics);
        if (restored is not null)
        {
            Id = restored.Id;
            PrivateId = restored.PrivateId;
            Data = restored.Data;
            Recovered = true;
        }
        else
        {
            Id = EngineIO.SessionIdGenerator.NewId();
            PrivateId = ns.Server.Options.Recovery is null ? null : EngineIO.SessionIdGenerator.NewId();
            Data = new(concurrencyLevel: 1, capacity: 1, StringComparer.Ordinal);
        }
    }

    /// <summary>The socket id (a room of its own; not the Engine.IO session id). A recovered socket keeps its id.</summary>
    public string Id { get; }

    /// <summary>
    /// Whether this socket is a session recovered after its client lost the connection
    /// (<see cref="SocketIOOptions.ConnectionStateRecovery"/>): it has its former id, rooms and <see cref="Data"/>,
    /// and the broadcasts it missed have been sent to it again. A "connection" handler typically skips what it
    /// did the first time. False for every new session.
    /// </summary>
    public bool Recovered { get; }

    /// <summary>
    /// The private session id (<c>pid</c>) told only to this client, with which it may recover the session; null
    /// with recovery off.
    /// </summary>
    internal string? PrivateId { get; }

    /// <summary>Completes once the disconnect sequence has run to its end.</summary>
    internal Task Gone => _gone.Task;

    /// <summary>The namespace the socket belongs to.</summary>
    public SocketIONamespace Namespace { get; }

    /// <summary>How the socket connected: auth payload, headers, query, address.</summary>
    public Handshake Handshake { get; }

    /// <summary>Whether the socket is still connected.</summary>
    public bool Connected => Volatile.Read(ref _connected) == 1;

    /// <summary>
    /// Cancelled as the socket disconnects, before its disconnect handlers run: pass it to what a handler
    /// awaits (a query, a delay, <see cref="EmitWithAckAsync(string, CancellationToken, object?[])"/>) so that
    /// work for a client that left stops (SignalR's <c>ConnectionAborted</c>).
    /// </summary>
    public CancellationToken DisconnectToken => _disconnect.Token;

    /// <summary>The Socket.IO protocol of the client: 5, or 4 for socket.io-client 2.x.</summary>
    internal int Protocol => _connection.Protocol;

    /// <summary>The current transport of the underlying connection: "polling" or "websocket".</summary>
    public string Transport => _connection.Engine.Transport;

    /// <summary>Free-form per-socket state for the application; a recovered socket gets its former one back.</summary>
    public ConcurrentDictionary<string, object?> Data { get; }

    /// <summary>The rooms this socket is in, its own id room included.</summary>
    public IReadOnlySet<string> Rooms => Namespace.Adapter.SocketRooms(Id);

    /// <summary>Everyone in the namespace except this socket.</summary>
    public BroadcastOperator Broadcast => Namespace.NewOperator().Except(Id);

    internal EngineIO.EngineSession Engine => _connection.Engine;

    /// <summary>This socket's handler work (its CONNECT, then its events).</summary>
    internal HandlerQueue Queue { get; }

    /// <summary>Sends an event to this client. False when the socket is gone or its queue is full.</summary>
    public bool Emit(string eventName, params object?[] args)
    {
        EnsureNotReserved(eventName);
        return SendEvent(PacketFactory.Event(Namespace.Name, null, eventName, args, Namespace.Server.JsonOptions));
    }

    /// <summary>Sends received arguments on to this client, attachments included.</summary>
    public bool Emit(string eventName, EventArguments args)
    {
        EnsureNotReserved(eventName);
        return SendEvent(PacketFactory.Event(Namespace.Name, null, eventName, args));
    }

    /// <summary>
    /// Sends an event and waits for the client's acknowledgement, at most <see cref="SocketIOOptions.AckTimeout"/>.
    /// Throws <see cref="TimeoutException"/> on timeout and <see cref="SocketDisconnectedException"/> as soon
    /// as the socket disconnects.
    /// </summary>
    public Task<EventArguments> EmitWithAckAsync(string eventName, params object?[] args) =>
        EmitWithAckAsync(eventName, Namespace.Server.Options.AckTimeout, CancellationToken.None, args);

    /// <summary>Sends an event and waits at most <paramref name="timeout"/> for the acknowledgement.</summary>
    public Task<EventArguments> EmitWithAckAsync(string eventName, TimeSpan timeout, params object?[] args) =>
        EmitWithAckAsync(eventName, timeout, CancellationToken.None, args);

    /// <summary>
    /// Sends an event and waits for the acknowledgement, at most <see cref="SocketIOOptions.AckTimeout"/>, or
    /// until <paramref name="cancellationToken"/> is cancelled (the task is then cancelled and a late answer
    /// is ignored).
    /// </summary>
    public Task<EventArguments> EmitWithAckAsync(string eventName, CancellationToken cancellationToken, params object?[] args) =>
        EmitWithAckAsync(eventName, Namespace.Server.Options.AckTimeout, cancellationToken, args);

    /// <summary>
    /// Sends an event and waits for the acknowledgement: at most <paramref name="timeout"/>
    /// (<see cref="Timeout.InfiniteTimeSpan"/> for no limit) and until <paramref name="cancellationToken"/> is
    /// cancelled. Throws <see cref="TimeoutException"/>, <see cref="OperationCanceledException"/>, or
    /// <see cref="SocketDisconnectedException"/> as soon as the socket disconnects.
    /// </summary>
    public Task<EventArguments> EmitWithAckAsync(string eventName, TimeSpan timeout, CancellationToken cancellationToken, params object?[] args)
    {
        EnsureNotReserved(eventName);
        if (cancellationToken.IsCancellationRequested)
        {
            return Task.FromCanceled<EventArguments>(cancellationToken);
        }

        if (!Connected)
        {
            return Task.FromException<EventArguments>(new SocketDisconnectedException(DisconnectReasons.ServerNamespaceDisconnect));
        }

        var (id, task) = _acks.Register(Namespace.NextAckId, timeout, cancellationToken);
        if (!task.IsCompleted && !Send(PacketFactory.Event(Namespace.Name, id, eventName, args, Namespace.Server.JsonOptions)))
        {
            _acks.Fail(id, new SocketDisconnectedException(DisconnectReasons.TransportError));
        }

        return task;
    }

    /// <summary>Joins a room.</summary>
    public void Join(string room) => Namespace.Adapter.AddAll(Id, [room]);

    /// <summary>Joins several rooms.</summary>
    public void Join(IEnumerable<string> rooms) => Namespace.Adapter.AddAll(Id, rooms);

    /// <summary>Leaves a room.</summary>
    public void Leave(string room) => Namespace.Adapter.Delete(Id, room);

    /// <summary>Leaves several rooms.</summary>
    public void Leave(IEnumerable<string> rooms)
    {
        ArgumentNullException.ThrowIfNull(rooms);
        foreach (var room in rooms)
        {
            Namespace.Adapter.Delete(Id, room);
        }
    }

    /// <summary>Members of a room, except this socket.</summary>
    public BroadcastOperator To(string room) => Broadcast.To(room);

    /// <summary>Same as <see cref="To"/>.</summary>
    public BroadcastOperator In(string room) => To(room);

    /// <summary>Everyone in the namespace except this socket and the members of <paramref name="room"/>.</summary>
    public BroadcastOperator Except(string room) => Broadcast.Except(room);

    /// <summary>
    /// Disconnects the socket from its namespace ("server namespace disconnect"); the client does not
    /// reconnect by itself. With <paramref name="close"/> the whole underlying connection is closed too. The
    /// socket has left its rooms and the namespace's list when this returns (unless an
    /// <see cref="OnDisconnecting(Func{string, ValueTask})"/> handler is still awaiting).
    /// </summary>
    public void Disconnect(bool close = false)
    {
        if (!Connected)
        {
            return;
        }

        Send(PacketFactory.Disconnect(Namespace.Name));
        _connection.OnServerDisconnect(this, close);
    }

    /// <summary>
    /// Queues an already-encoded packet for this client, sharing its frames with every other recipient. For
    /// adapters delivering a broadcast; applications use <see cref="Emit(string, object?[])"/>. False when the
    /// socket is gone or its queue is full. Events sent this way reach the <see cref="OnAnyOutgoing(Action{string, EventArguments})"/> listeners.
    /// </summary>
    public bool Send(EncodedPacket packet)
    {
        var queued = Enqueue(packet);
        Flush();
        return queued;
    }

    /// <summary>
    /// Queues a packet as <see cref="Send(EncodedPacket)"/> does, without writing it yet: a broadcast queues
    /// to every recipient under the lock that orders its packets, then calls <see cref="Flush"/> on each.
    /// </summary>
    internal bool Enqueue(EncodedPacket packet)
    {
        ArgumentNullException.ThrowIfNull(packet);
        if (!Connected)
        {
            return false;
        }

        if (packet.Type == SocketPacketType.Event && (_outgoingHandlers.Count > 0 || Namespace.Server.Observer is { WatchesEvents: true }))
        {
            NotifyOutgoing(packet);
        }

        return _connection.Engine.Enqueue(packet.FramesFor(Namespace.Server.Parser));
    }

    /// <summary>Lets the transport write what <see cref="Enqueue"/> queued.</summary>
    internal void Flush() => _connection.Engine.Flush();

    /// <summary>
    /// Queues a packet that carries an acknowledgement id (see <see cref="SocketIONamespace.NextAckId"/> and
    /// <see cref="EncodedPacket.WithAckId"/>) and calls <paramref name="onAck"/> with the client's answer if it
    /// comes within <paramref name="timeout"/>. For adapters delivering a broadcast with acknowledgements.
    /// </summary>
    public bool SendWithAck(EncodedPacket packet, TimeSpan timeout, Action<EventArguments> onAck)
    {
        ArgumentNullException.ThrowIfNull(packet);
        ArgumentNullException.ThrowIfNull(onAck);
        if (packet.AckId is not { } id)
        {
            throw new ArgumentException("The packet carries no acknowledgement id.", nameof(packet));
        }

        if (!Connected)
        {
            return false;
        }

        try
        {
            _acks.Register(id, timeout, onAck);
        }
        catch (InvalidOperationException)
        {
            // This client already waits on too many acknowledgements: it is left out rather than counted and never heard from.
            return false;
        }

        if (Send(packet))
        {
            return true;
        }

        _acks.Fail(id, new SocketDisconnectedException(DisconnectReasons.TransportError));
        return false;
    }

    /// <summary>
    /// Sends an event of this socket's own. With recovery on it goes, as in Node, through the adapter to the
    /// socket's own room, so that it is kept and carries an offset like a broadcast; on this server only (Node
    /// would also publish it to the other servers, where nobody is in that room).
    /// </summary>
    private bool SendEvent(EncodedPacket packet)
    {
        if (PrivateId is null)
        {
            return Send(packet);
        }

        if (!Connected)
        {
            return false;
        }

        Namespace.Adapter.Broadcast(packet, new BroadcastOptions([Id], flags: OwnRoomFlags));
        return Connected;
    }

    /// <inheritdoc />
    public override string ToString() => $"Socket {Id} ({Namespace.Name})";

    internal bool SendAck(long id, object?[] args) => Send(PacketFactory.Ack(Namespace.Name, id, args, Namespace.Server.JsonOptions));

    internal bool SendAck(long id, EventArguments args) => Send(PacketFactory.Ack(Namespace.Name, id, args));

    internal static void EnsureNotReserved(string eventName)
    {
        if (ReservedEvents.Contains(eventName))
        {
            throw new ArgumentException($"\"{eventName}\" is a reserved event name.", nameof(eventName));
        }
    }

    internal void HandleAck(SocketPacket packet) =>
        _acks.Complete(packet.Id!.Value, EventArguments.FromArray(packet.Data!.Value, 0, packet.Attachments, Namespace.Server.JsonOptions));
}
