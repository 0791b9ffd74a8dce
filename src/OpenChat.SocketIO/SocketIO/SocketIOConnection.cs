using System.Text.Json;
using Microsoft.Extensions.Logging;
using OpenChat.SocketIO.Adapters;
using OpenChat.SocketIO.EngineIO;
using OpenChat.SocketIO.Protocol;

namespace OpenChat.SocketIO;

/// <summary>
/// The Socket.IO side of one Engine.IO session (the reference server's "Client"): decodes packets with the
/// server's parser (a packet in several messages bounded in time), routes them to the socket of each
/// namespace, and enforces the connect timeout.
/// Each socket has its own <see cref="HandlerQueue"/>, so a slow handler in one namespace never holds
/// another's events; the packets waiting in all of them are bounded together (<see cref="IncomingBacklog"/>).
/// </summary>
internal sealed partial class SocketIOConnection
{
    private readonly SocketIOServer _server;
    private readonly IncomingBacklog _backlog;
    private readonly Dictionary<string, SocketIOSocket> _sockets = new(StringComparer.Ordinal);
    private readonly CompactStringSet _connecting = new();
    private ITimer? _connectTimer;
    private readonly SocketIOPacketDecoder _decoder;
    private PacketDeadline? _deadline;
    private bool _closed;

    public SocketIOConnection(SocketIOServer server, EngineSession engine)
    {
        _server = server;
        Engine = engine;
        _backlog = new IncomingBacklog(server.Options.MaxBufferedIncomingPackets);
        _connectTimer = server.Time.CreateTimer(static s => ((SocketIOConnection)s!).OnConnectTimeout(), this, server.Options.ConnectTimeout, Timeout.InfiniteTimeSpan);
        Protocol = engine.Protocol == 3 ? 4 : 5;
        _decoder = server.Parser.CreateDecoder(new SocketIODecoderLimits(server.Options.MaxAttachments, server.Options.MaxHttpBufferSize));
    }

    public EngineSession Engine { get; }

    /// <summary>The Socket.IO protocol: 5, or 4 for the 2.x clients that speak Engine.IO 3.</summary>
    public int Protocol { get; }

    /// <summary>
    /// A 2.x client is in the main namespace as soon as its session opens, without a CONNECT of its own
    /// (its middleware runs as for any CONNECT; the auth is empty).
    /// </summary>
    public void JoinMainNamespaceForLegacyClient()
    {
        if (Protocol == 4)
        {
            _ = BeginConnect(new SocketPacket { Type = SocketPacketType.Connect });
        }
    }

    /// <summary>Incoming packets waiting for their handlers, across namespaces (for tests).</summary>
    internal int BufferedPackets => _backlog.Count;

    /// <summary>Attachments received of the binary packet being put together; null when there is none (for tests).</summary>
    internal int? PendingAttachments => (_decoder as JsonPacketDecoder)?.PendingAttachments;

    public ValueTask OnMessageAsync(EnginePacket message)
    {
        switch (_decoder.Add(new EngineMessage(message.Data, message.IsBinary), out var packet, out var error))
        {
            case SocketIODecodeResult.Incomplete:
                // The packet waits for more messages (binary attachments): all of them within BinaryPacketTimeout
                // of its first, so a client cannot park a part packet in server memory.
                if (Volatile.Read(ref _deadline) is null)
                {
                    Volatile.Write(ref _deadline, new PacketDeadline(this, _server.Options.BinaryPacketTimeout, _server.Time));
                }

                return ValueTask.CompletedTask;
            case SocketIODecodeResult.Invalid:
                return ParseError(error ?? "invalid packet");
        }

        EndDeadline();
        return SocketPacketDecoder.TryRead(packet!, out var decoded, out var invalid) ? Dispatch(decoded) : ParseError(invalid);
    }

    public void OnClose(string reason)
    {
        SocketIOSocket[] sockets;
        lock (_sockets)
        {
            _closed = true;
            sockets = [.. _sockets.Values];
            _sockets.Clear();
        }

        StopConnectTimer();
        EndDeadline();
        foreach (var socket in sockets)
        {
            BeginDisconnect(socket, reason);
        }
    }

    /// <summary>The server disconnected a socket; with <paramref name="close"/> the whole connection goes.</summary>
    public void OnServerDisconnect(SocketIOSocket socket, bool close)
    {
        lock (_sockets)
        {
            _sockets.Remove(socket.Namespace.Name);
        }

        BeginDisconnect(socket, DisconnectReasons.ServerNamespaceDisconnect);
        if (close)
        {
            foreach (var other in Snapshot())
            {
                other.Disconnect();
            }

            Engine.Close(DisconnectReasons.ForcedClose, graceful: true);
        }
    }

    private ValueTask Dispatch(SocketPacket packet)
    {
        switch (packet.Type)
        {
            case SocketPacketType.Connect:
                return BeginConnect(packet);
            case SocketPacketType.Event:
            case SocketPacketType.BinaryEvent:
                if (TryGetSocket(packet.Namespace, out var target))
                {
                    return EnqueueAsync(target.Queue, static s => ((EventWork)s!).Run(), new EventWork(target, packet));
                }

                break;
            case SocketPacketType.Ack:
            case SocketPacketType.BinaryAck:
                // Acks bypass the queue: a handler may be awaiting this very ack.
                if (TryGetSocket(packet.Namespace, out var acked))
                {
                    acked.HandleAck(packet);
                }

                break;
            case SocketPacketType.Disconnect:
                if (TryGetSocket(packet.Namespace, out var leaving))
                {
                    lock (_sockets)
                    {
                        _sockets.Remove(packet.Namespace);
                    }

                    BeginDisconnect(leaving, DisconnectReasons.ClientNamespaceDisconnect);
                }

                break;
            default:
                // CONNECT_ERROR only ever travels from server to client.
                return ParseError("connect error from client");
        }

        return ValueTask.CompletedTask;
    }

    /// <summary>
    /// Handles a CONNECT on a queue of its own (a slow middleware holds nothing else), which becomes the
    /// socket's if it is admitted. A second CONNECT to a namespace already joined or joining is ignored.
    /// </summary>
    private ValueTask BeginConnect(SocketPacket packet)
    {
        var (name, auth) = Protocol == 4 ? LegacyConnect.Read(packet.Namespace) : (packet.Namespace, packet.Data);
        lock (_sockets)
        {
            if (_closed || _sockets.ContainsKey(name) || !_connecting.Add(name))
            {
                return ValueTask.CompletedTask;
            }
        }

        var queue = new HandlerQueue(_server.Options.MaxConcurrentHandlersPerSocket, _backlog, _server.Logger);
        return EnqueueAsync(queue, static s => ((ConnectWork)s!).Run(), new ConnectWork(this, name, auth, queue), exclusive: true);
    }

    private ValueTask EnqueueAsync(HandlerQueue queue, Func<object?, ValueTask> work, object? state, bool exclusive = false)
    {
        if (_backlog.TryAdd())
        {
            queue.Enqueue(work, state, exclusive);
            return ValueTask.CompletedTask;
        }

        return WaitThenEnqueueAsync(queue, work, state, exclusive);
    }

    /// <summary>The backlog is full: the transport reads nothing more from this client until a handler takes a packet.</summary>
    private async ValueTask WaitThenEnqueueAsync(HandlerQueue queue, Func<object?, ValueTask> work, object? state, bool exclusive)
    {
        while (!_backlog.TryAdd())
        {
            await _backlog.WhenSpaceAsync();
        }

        queue.Enqueue(work, state, exclusive);
    }

    private async ValueTask ConnectAsync(string name, JsonElement? auth, HandlerQueue queue)
    {
        try
        {
            await AdmitAsync(name, auth, queue);
        }
        finally
        {
            lock (_sockets)
            {
                _connecting.Remove(name);
            }
        }
    }

    private async ValueTask AdmitAsync(string name, JsonElement? auth, HandlerQueue queue)
    {
        var handshake = new Handshake(Engine.Handshake, auth);
        var ns = await _server.ResolveNamespaceAsync(name, handshake);
        if (ns is null)
        {
            Engine.Send(PacketFactory.ConnectError(name, "Invalid namespace", null, _server.JsonOptions, Protocol).FramesFor(_server.Parser));
            return;
        }

        try
        {
            await AdmitAsync(ns, handshake, queue);
        }
        finally
        {
            ns.EndAdmission();
        }
    }

    private async ValueTask AdmitAsync(SocketIONamespace ns, Handshake handshake, HandlerQueue queue)
    {
        var restored = await RestoreAsync(ns, handshake);
        var socket = new SocketIOSocket(this, ns, handshake, queue, restored);
        if (restored is null || !_server.Options.Recovery!.SkipMiddlewares)
        {
            // A recovered session the middleware refuses is dropped: that client is not let back in.
            try
            {
                await ns.RunMiddlewareAsync(socket);
            }
            catch (ConnectionRefusedException refused)
            {
                Log.ConnectionRefused(_server.Logger, Engine.Id, ns.Name, refused.Message);
                Engine.Send(PacketFactory.ConnectError(ns.Name, refused.Message, refused.Details, _server.JsonOptions, Protocol).FramesFor(_server.Parser));
                return;
            }
            catch (Exception ex)
            {
                // Any exception refuses the connection with its message, as next(err) does in Node; the client
                // hears at once instead of waiting for its connect timeout.
                Log.MiddlewareFailed(_server.Logger, ex, Engine.Id, ns.Name);
                Engine.Send(PacketFactory.ConnectError(ns.Name, ex.Message, null, _server.JsonOptions, Protocol).FramesFor(_server.Parser));
                return;
            }
        }

        lock (_sockets)
        {
            if (_closed)
            {
                if (restored is not null)
                {
                    // Gone again before it was back: the client may still come back to it.
                    Persist(ns, new PersistedSession(restored.Id, restored.PrivateId, restored.Rooms, restored.Data));
                }

                return;
            }

            _sockets[ns.Name] = socket;
        }

        StopConnectTimer();
        Engine.Establish();
        Log.SocketConnected(_server.Logger, Engine.Id, socket.Id, ns.Name);
        if (!await ns.AddAsync(socket, restored))
        {
            // A packet it missed was dropped while the middleware ran: it cannot be resumed, nor admitted as a new
            // session without the middleware. Closing lets the client start over.
            lock (_sockets)
            {
                _sockets.Remove(ns.Name);
            }

            socket.MarkDisconnected();
            Log.ResumeFailed(_server.Logger, Engine.Id, socket.Id, ns.Name);
            Engine.Close(DisconnectReasons.ForcedClose, graceful: true);
        }
    }

    private void BeginDisconnect(SocketIOSocket socket, string reason)
    {
        if (!socket.Connected)
        {
            return;
        }

        Log.SocketDisconnected(_server.Logger, Engine.Id, socket.Id, reason);
        if (socket.PrivateId is { } pid && DisconnectReasons.IsRecoverable(reason))
        {
            // Kept now, with the rooms as they are, so that a client back at once finds it.
            Persist(socket.Namespace, new PersistedSession(socket.Id, pid, [.. socket.Rooms], socket.Data));
        }

        socket.BeginDisconnect(reason);
    }

    private bool TryGetSocket(string nsp, out SocketIOSocket socket)
    {
        lock (_sockets)
        {
            return _sockets.TryGetValue(nsp, out socket!);
        }
    }

    internal SocketIOSocket[] Snapshot()
    {
        lock (_sockets)
        {
            return [.. _sockets.Values];
        }
    }

    private void EndDeadline() => Interlocked.Exchange(ref _deadline, null)?.Dispose();

    private void OnDeadline(PacketDeadline deadline)
    {
        if (Volatile.Read(ref _deadline) == deadline)
        {
            ParseError($"binary packet still missing attachments after {_server.Options.BinaryPacketTimeout.TotalSeconds:0.#} s");
        }
    }

    private ValueTask ParseError(string reason)
    {
        Log.MalformedPacket(_server.Logger, Engine.Id, reason);
        EndDeadline();
        Engine.Close(DisconnectReasons.ParseError, graceful: false);
        return ValueTask.CompletedTask;
    }

    // Only the first namespace is timed, as in the reference server; the timer is let go of, not just stopped,
    // so an established connection holds none.
    private void StopConnectTimer() => Interlocked.Exchange(ref _connectTimer, null)?.Dispose();

    private void OnConnectTimeout()
    {
        lock (_sockets)
        {
            if (_sockets.Count > 0 || _closed)
            {
                return;
            }
        }

        Log.ConnectTimedOut(_server.Logger, Engine.Id);
        Engine.Close(DisconnectReasons.ForcedClose, graceful: true);
    }

    private sealed record ConnectWork(SocketIOConnection Connection, string Namespace, JsonElement? Auth, HandlerQueue Queue)
    {
        public ValueTask Run() => Connection.ConnectAsync(Namespace, Auth, Queue);
    }

    private sealed record EventWork(SocketIOSocket Socket, SocketPacket Packet)
    {
        public ValueTask Run() => Socket.HandleEventAsync(Packet);
    }

    private static partial class Log
    {
        [LoggerMessage(50, LogLevel.Debug, "Connection {Sid} sent a malformed packet ({Error}); closing it.", EventName = "MalformedPacket")]
        public static partial void MalformedPacket(ILogger logger, string sid, string error);

        [LoggerMessage(51, LogLevel.Debug, "Connection {Sid} refused on namespace {Namespace}: {Message}.", EventName = "ConnectionRefused")]
        public static partial void ConnectionRefused(ILogger logger, string sid, string @namespace, string message);

        [LoggerMessage(52, LogLevel.Debug, "Connection {Sid} joined no namespace in time; closing it.", EventName = "ConnectTimedOut")]
        public static partial void ConnectTimedOut(ILogger logger, string sid);

        [LoggerMessage(53, LogLevel.Debug, "Connection {Sid}: socket {SocketId} connected to {Namespace}.", EventName = "SocketConnected")]
        public static partial void SocketConnected(ILogger logger, string sid, string socketId, string @namespace);

        [LoggerMessage(54, LogLevel.Debug, "Connection {Sid}: socket {SocketId} disconnected ({Reason}).", EventName = "SocketDisconnected")]
        public static partial void SocketDisconnected(ILogger logger, string sid, string socketId, string reason);

        [LoggerMessage(56, LogLevel.Debug, "Connection {Sid} refused on namespace {Namespace}: the middleware threw; the client gets its message.", EventName = "MiddlewareFailed")]
        public static partial void MiddlewareFailed(ILogger logger, Exception exception, string sid, string @namespace);
    }

    /// <summary>The time a packet in several messages has to arrive whole.</summary>
    private sealed class PacketDeadline : IDisposable
    {
        private readonly ITimer _timer;

        public PacketDeadline(SocketIOConnection connection, TimeSpan timeout, TimeProvider time)
        {
            Connection = connection;
            _timer = time.CreateTimer(static s => { var d = (PacketDeadline)s!; d.Connection.OnDeadline(d); }, this, timeout, Timeout.InfiniteTimeSpan);
        }

        private SocketIOConnection Connection { get; }

        public void Dispose() => _timer.Dispose();
    }
}
