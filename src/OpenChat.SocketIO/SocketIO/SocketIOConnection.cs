using System.Text.Json;
using Microsoft.Extensions.Logging;
using OpenChat.SocketIO.EngineIO;
using OpenChat.SocketIO.Protocol;

namespace OpenChat.SocketIO;

/// <summary>
/// The Socket.IO side of one Engine.IO session (the reference server's "Client"): decodes packets,
/// reassembles binary ones, routes them to the socket of each namespace, and enforces the connect timeout.
/// </summary>
internal sealed partial class SocketIOConnection
{
    private readonly SocketIOServer _server;
    private readonly SerialWorkQueue _work;
    private readonly Dictionary<string, SocketIOSocket> _sockets = new(StringComparer.Ordinal);
    private readonly ITimer _connectTimer;
    private PacketAssembly? _assembly;
    private bool _closed;

    public SocketIOConnection(SocketIOServer server, EngineSession engine)
    {
        _server = server;
        Engine = engine;
        _work = new SerialWorkQueue(server.Options.MaxBufferedIncomingPackets, server.Logger);
        _connectTimer = server.Time.CreateTimer(static s => ((SocketIOConnection)s!).OnConnectTimeout(), this, server.Options.ConnectTimeout, Timeout.InfiniteTimeSpan);
    }

    public EngineSession Engine { get; }

    /// <summary>Attachments received of the binary packet being put together; null when there is none (for tests).</summary>
    internal int? PendingAttachments => Volatile.Read(ref _assembly)?.Packet.Attachments.Count;

    public ValueTask OnMessageAsync(EnginePacket message)
    {
        if (message.IsBinary)
        {
            var assembly = _assembly;
            if (assembly is null)
            {
                return ParseError("binary data outside a binary packet");
            }

            if (!assembly.TryAdd(message.Data))
            {
                return ParseError($"binary packet over {_server.Options.MaxHttpBufferSize} bytes with its attachments");
            }

            if (!assembly.IsComplete)
            {
                return ValueTask.CompletedTask;
            }

            EndAssembly();
            return SocketPacketDecoder.HasValidPlaceholders(assembly.Packet) ? Dispatch(assembly.Packet) : ParseError("placeholder without attachment");
        }

        if (_assembly is not null)
        {
            return ParseError("text packet while binary attachments were expected");
        }

        if (!SocketPacketDecoder.TryDecode(message.Data, _server.Options.MaxAttachments, out var decoded, out var error))
        {
            return ParseError(error);
        }

        if (decoded.AttachmentCount > 0)
        {
            var options = _server.Options;
            Volatile.Write(ref _assembly, new PacketAssembly(decoded, message.Data.Length, options.MaxHttpBufferSize, options.BinaryPacketTimeout, _server.Time, OnAssemblyTimedOut));
            return ValueTask.CompletedTask;
        }

        return SocketPacketDecoder.HasValidPlaceholders(decoded) ? Dispatch(decoded) : ParseError("placeholder without attachment");
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
        EndAssembly();
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
        if (!_server.TryGetNamespace(packet.Namespace, out var ns))
        {
            Engine.Send(PacketFactory.ConnectError(packet.Namespace, "Invalid namespace", null, _server.JsonOptions).Frames);
            return;
        }

        lock (_sockets)
        {
            if (_closed || _sockets.ContainsKey(ns.Name))
            {
                return;
            }
        }

        var socket = new SocketIOSocket(this, ns, new Handshake(Engine.Handshake, packet.Data));
        try
        {
            await ns.RunMiddlewareAsync(socket);
        }
        catch (ConnectionRefusedException refused)
        {
            Log.ConnectionRefused(_server.Logger, Engine.Id, ns.Name, refused.Message);
            Engine.Send(PacketFactory.ConnectError(ns.Name, refused.Message, refused.Details, _server.JsonOptions).Frames);
            return;
        }

        lock (_sockets)
        {
            if (_closed)
            {
                return;
            }

            _sockets[ns.Name] = socket;
        }

        _connectTimer.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        Engine.Establish();
        Log.SocketConnected(_server.Logger, Engine.Id, socket.Id, ns.Name);
        await ns.AddAsync(socket);
    }

    private void BeginDisconnect(SocketIOSocket socket, string reason)
    {
        if (!socket.MarkDisconnected())
        {
            return;
        }

        Log.SocketDisconnected(_server.Logger, Engine.Id, socket.Id, reason);

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

    internal SocketIOSocket[] Snapshot()
    {
        lock (_sockets)
        {
            return [.. _sockets.Values];
        }
    }

    private void EndAssembly() => Interlocked.Exchange(ref _assembly, null)?.Dispose();

    private void OnAssemblyTimedOut(PacketAssembly assembly)
    {
        if (Volatile.Read(ref _assembly) == assembly)
        {
            ParseError($"binary packet still missing attachments after {_server.Options.BinaryPacketTimeout.TotalSeconds:0.#} s");
        }
    }

    private ValueTask ParseError(string reason)
    {
        Log.MalformedPacket(_server.Logger, Engine.Id, reason);
        EndAssembly();
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
}
