using System.Collections.Concurrent;
using System.Text.Json;
using OpenChat.SocketIO.Protocol;

namespace OpenChat.SocketIO;

/// <summary>
/// One client connected to one namespace. Register handlers with <see cref="On(string, Func{EventContext, ValueTask})"/>,
/// send with <see cref="Emit(string, object?[])"/>, group with rooms. Handlers of one connection run one at a
/// time, in the order the packets arrived.
/// </summary>
public sealed partial class SocketIOSocket
{
    private readonly SocketIOConnection _connection;
    private readonly Lock _sync = new();
    private readonly Dictionary<string, List<Func<EventContext, ValueTask>>> _handlers = new(StringComparer.Ordinal);
    private readonly List<Func<EventContext, ValueTask>> _anyHandlers = new();
    private readonly List<Func<string, ValueTask>> _disconnectingHandlers = new();
    private readonly List<Func<string, ValueTask>> _disconnectHandlers = new();
    private readonly PendingAcks _acks;
    private int _connected = 1;

    internal SocketIOSocket(SocketIOConnection connection, SocketIONamespace ns, Handshake handshake)
    {
        _connection = connection;
        Namespace = ns;
        Handshake = handshake;
        Id = EngineIO.SessionIdGenerator.NewId();
        _acks = new PendingAcks(ns.Server.Options.MaxPendingAcks, ns.Server.Time, ns.Server.Metrics);
    }

    /// <summary>The socket id (a room of its own; not the Engine.IO session id).</summary>
    public string Id { get; }

    /// <summary>The namespace the socket belongs to.</summary>
    public SocketIONamespace Namespace { get; }

    /// <summary>How the socket connected: auth payload, headers, query, address.</summary>
    public Handshake Handshake { get; }

    /// <summary>Whether the socket is still connected.</summary>
    public bool Connected => Volatile.Read(ref _connected) == 1;

    internal EngineIO.EngineSession Engine => _connection.Engine;

    /// <summary>The current transport of the underlying connection: "polling" or "websocket".</summary>
    public string Transport => _connection.Engine.Transport;

    /// <summary>Free-form per-socket state for the application.</summary>
    public ConcurrentDictionary<string, object?> Data { get; } = new(StringComparer.Ordinal);

    /// <summary>The rooms this socket is in, its own id room included.</summary>
    public IReadOnlySet<string> Rooms => Namespace.Adapter.SocketRooms(Id);

    /// <summary>Everyone in the namespace except this socket.</summary>
    public BroadcastOperator Broadcast => Namespace.NewOperator().Except(Id);

    /// <summary>Handles an event. The handler may await; later packets of this connection wait for it.</summary>
    public void On(string eventName, Func<EventContext, ValueTask> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        switch (eventName)
        {
            case "disconnect":
            case "disconnecting":
                throw new ArgumentException("Use OnDisconnect or OnDisconnecting for these events.", nameof(eventName));
        }

        lock (_sync)
        {
            if (!_handlers.TryGetValue(eventName, out var list))
            {
                _handlers[eventName] = list = new();
            }

            list.Add(handler);
        }
    }

    /// <summary>Handles an event synchronously.</summary>
    public void On(string eventName, Action<EventContext> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        On(eventName, context =>
        {
            handler(context);
            return ValueTask.CompletedTask;
        });
    }

    /// <summary>Handles every event (before its specific handlers).</summary>
    public void OnAny(Func<EventContext, ValueTask> handler)
    {
        lock (_sync)
        {
            _anyHandlers.Add(handler);
        }
    }

    /// <summary>Handles every event synchronously (before its specific handlers).</summary>
    public void OnAny(Action<EventContext> handler) => OnAny(context =>
    {
        handler(context);
        return ValueTask.CompletedTask;
    });

    /// <summary>Runs when the socket is about to leave its rooms; <see cref="Rooms"/> is still intact.</summary>
    public void OnDisconnecting(Func<string, ValueTask> handler)
    {
        lock (_sync)
        {
            _disconnectingHandlers.Add(handler);
        }
    }

    /// <summary>Runs once the socket disconnected, with the reason (see <see cref="DisconnectReasons"/>).</summary>
    public void OnDisconnect(Func<string, ValueTask> handler)
    {
        lock (_sync)
        {
            _disconnectHandlers.Add(handler);
        }
    }

    /// <summary>Runs once the socket disconnected.</summary>
    public void OnDisconnect(Action<string> handler) => OnDisconnect(reason =>
    {
        handler(reason);
        return ValueTask.CompletedTask;
    });

    /// <summary>Sends an event to this client. False when the socket is gone or its queue is full.</summary>
    public bool Emit(string eventName, params object?[] args)
    {
        EnsureNotReserved(eventName);
        Namespace.Server.Observer?.OnEventSent(this, eventName, args);
        return Send(PacketFactory.Event(Namespace.Name, null, eventName, args, Namespace.Server.JsonOptions));
    }

    /// <summary>Sends received arguments on to this client, attachments included.</summary>
    public bool Emit(string eventName, EventArguments args)
    {
        EnsureNotReserved(eventName);
        Namespace.Server.Observer?.OnEventSent(this, eventName, args.Select(static a => (object?)a).ToArray());
        return Send(PacketFactory.Event(Namespace.Name, null, eventName, args));
    }

    /// <summary>
    /// Sends an event and waits for the client's acknowledgement, at most <see cref="SocketIOOptions.AckTimeout"/>.
    /// Throws <see cref="TimeoutException"/> on timeout and <see cref="SocketDisconnectedException"/> on disconnect.
    /// </summary>
    public Task<EventArguments> EmitWithAckAsync(string eventName, params object?[] args) =>
        EmitWithAckAsync(eventName, Namespace.Server.Options.AckTimeout, args);

    /// <summary>Sends an event and waits at most <paramref name="timeout"/> for the acknowledgement.</summary>
    public Task<EventArguments> EmitWithAckAsync(string eventName, TimeSpan timeout, params object?[] args)
    {
        EnsureNotReserved(eventName);
        if (!Connected)
        {
            return Task.FromException<EventArguments>(new SocketDisconnectedException(DisconnectReasons.ServerNamespaceDisconnect));
        }

        Namespace.Server.Observer?.OnEventSent(this, eventName, args);
        var (id, task) = _acks.Register(Namespace.NextAckId, timeout);
        if (!Send(PacketFactory.Event(Namespace.Name, id, eventName, args, Namespace.Server.JsonOptions)))
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
    /// reconnect by itself. With <paramref name="close"/> the whole underlying connection is closed too.
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
    /// socket is gone or its queue is full.
    /// </summary>
    public bool Send(EncodedPacket packet)
    {
        ArgumentNullException.ThrowIfNull(packet);
        return Connected && _connection.Engine.Send(packet.Frames);
    }

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

    internal bool SendAck(long id, object?[] args) => Send(PacketFactory.Ack(Namespace.Name, id, args, Namespace.Server.JsonOptions));

    internal bool SendAck(long id, EventArguments args) => Send(PacketFactory.Ack(Namespace.Name, id, args));

    internal static void EnsureNotReserved(string eventName)
    {
        if (ReservedEvents.Contains(eventName))
        {
            throw new ArgumentException($"\"{eventName}\" is a reserved event name.", nameof(eventName));
        }
    }

    internal async ValueTask HandleEventAsync(SocketPacket packet)
    {
        if (!Connected)
        {
            return;
        }

        var data = packet.Data!.Value;
        var name = data[0].ValueKind == JsonValueKind.String ? data[0].GetString()! : data[0].GetRawText();
        var context = new EventContext(this, name, EventArguments.FromArray(data, 1, packet.Attachments, Namespace.Server.JsonOptions), packet.Id);
        Namespace.Server.Observer?.OnEventReceived(this, name, context.Arguments);
        Func<EventContext, ValueTask>[] handlers;
        lock (_sync)
        {
            handlers = _handlers.TryGetValue(name, out var list) ? [.. _anyHandlers, .. list] : [.. _anyHandlers];
        }

        // Counted while running, so a shutdown waits for handlers that began before it (HandlerGate).
        var gate = Namespace.Server.Handlers;
        gate.Enter();
        try
        {
            foreach (var handler in handlers)
            {
                await handler(context);
            }
        }
        finally
        {
            gate.Exit();
        }
    }

    internal void HandleAck(SocketPacket packet) =>
        _acks.Complete(packet.Id!.Value, EventArguments.FromArray(packet.Data!.Value, 0, packet.Attachments, Namespace.Server.JsonOptions));

    /// <summary>Marks the socket gone; returns false if it already was.</summary>
    internal bool MarkDisconnected() => Interlocked.Exchange(ref _connected, 0) == 1;

    /// <summary>Runs the disconnect sequence of the reference server: disconnecting, leave rooms, disconnect.</summary>
    internal async ValueTask CompleteDisconnectAsync(string reason)
    {
        Func<string, ValueTask>[] disconnecting, disconnected;
        lock (_sync)
        {
            disconnecting = [.. _disconnectingHandlers];
            disconnected = [.. _disconnectHandlers];
        }

        _acks.FailAll(new SocketDisconnectedException(reason));
        try
        {
            foreach (var handler in disconnecting)
            {
                await handler(reason);
            }
        }
        finally
        {
            Namespace.Adapter.DeleteAll(Id);
            Namespace.Remove(this);
            Namespace.Server.Observer?.OnDisconnected(this, reason);
        }

        foreach (var handler in disconnected)
        {
            await handler(reason);
        }
    }

    /// <inheritdoc />
    public override string ToString() => $"Socket {Id} ({Namespace.Name})";
}
