using System.Text.Json;
using Microsoft.Extensions.Logging;
using OpenChat.SocketIO.Adapters;
using OpenChat.SocketIO.EngineIO;
using OpenChat.SocketIO.Protocol;

namespace OpenChat.SocketIO;

/// <summary>
/// The Socket.IO side of one Engine.IO session (the reference server's "Client"): decodes packets with the
/// server's parser (a packet in several messages bounded in time), routes them to the socket of each namespace, and enforces the connect timeout.
/// </summary>
internal sealed partial class SocketIOConnection
{
    private readonly SocketIOServer _server;
    private readonly SerialWorkQueue _work;
    private readonly Dictionary<string, SocketIOSocket> _sockets = new(StringComparer.Ordinal);
    private readonly ITimer _connectTimer;
    private readonly SocketIOPacketDecoder _decoder;
    private PacketDeadline? _deadline;
    private bool _closed;

    public SocketIOConnection(SocketIOServer server, EngineSession engine)
    {
        _server = server;
        Engine = engine;
        _work = new SerialWorkQueue(server.Options.MaxBufferedIncomingPackets, server.Logger);
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
            _ = _work.EnqueueAsync(static s => ((ConnectWork)s!).Run(), new ConnectWork(this, new SocketPacket { Type = SocketPacketType.Connect }), force: true);
        }
    }

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

        _connectTimer.Dispose();
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
                return _work.EnqueueAsync(static s => ((ConnectWork)s!).Run(), new ConnectWork(this, packet));
            case SocketPacketType.Event:
            case SocketPacketType.BinaryEvent:
                if (TryGetSocket(packet.Namespace, out var target))
                {
                    return _work.EnqueueAsync(static s => ((EventWork)s!).Run(), new EventWork(target, packet));
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

    private async ValueTask ConnectAsync(SocketPacket packet)
    {
        var (name, auth) = Protocol == 4 ? LegacyConnect.Read(packet.Namespace) : (packet.Namespace, packet.Data);
        if (!_server.TryGetNamespace(name, out var ns))
        {
            Engine.Send(PacketFactory.ConnectError(name, "Invalid namespace", null, _server.JsonOptions).FramesFor(_server.Parser));
            return;
        }

        lock (_sockets)
        {
            if (_closed || _sockets.ContainsKey(ns.Name))
            {
                return;
            }
        }

        var handshake = new Handshake(Engine.Handshake, auth);
        var restored = await RestoreAsync(ns, handshake);
        var socket = new SocketIOSocket(this, ns, handshake, restored);
        if (restored is null || !_server.Options.Recovery!.SkipMiddlewares)
        {
            try
            {
                await ns.RunMiddlewareAsync(socket);
            }
            catch (ConnectionRefusedException refused)
            {
                // A recovered session the middleware refuses is dropped: that client is not let back in.
                Log.ConnectionRefused(_server.Logger, Engine.Id, ns.Name, refused.Message);
                Engine.Send(PacketFactory.ConnectError(ns.Name, refused.Message, refused.Details, _server.JsonOptions, Protocol).FramesFor(_server.Parser));
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

        _connectTimer.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
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
        if (!socket.MarkDisconnected())
        {
            return;
        }

        Log.SocketDisconnected(_server.Logger, Engine.Id, socket.Id, reason);
        if (socket.PrivateId is { } pid && DisconnectReasons.IsRecoverable(reason))
        {
            // Kept now, with the rooms as they are, so that a client back at once finds it.
            Persist(socket.Namespace, new PersistedSession(socket.Id, pid, [.. socket.Rooms], socket.Data));
        }

        // Queued behind the socket's earlier events, whatever the queue's capacity, so handlers see them in order.
        _ = _work.EnqueueAsync(static s => ((DisconnectWork)s!).Run(), new DisconnectWork(socket, reason), force: true);
    }

    private bool TryGetSocket(string nsp, out SocketIOSocket socket)
    {
        lock (_sockets)
        {
            return _sockets.TryGetValue(nsp, out socket!);
        }
    }

    private SocketIOSocket[] Snapshot()
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

    private sealed record ConnectWork(SocketIOConnection Connection, SocketPacket Packet)
    {
        public ValueTask Run() => Connection.ConnectAsync(Packet);
    }

    private sealed record EventWork(SocketIOSocket Socket, SocketPacket Packet)
    {
        public ValueTask Run() => Socket.HandleEventAsync(Packet);
    }

    private sealed record DisconnectWork(SocketIOSocket Socket, string Reason)
    {
        public ValueTask Run() => Socket.CompleteDisconnectAsync(Reason);
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
