using System.Text.Json;
using Microsoft.Extensions.Logging;
using OpenChat.SocketIO.Adapters;
using OpenChat.SocketIO.Redis.Protocol;

namespace OpenChat.SocketIO.Redis;

public sealed partial class RedisAdapter
{
    private static readonly JsonElement JsonNull = JsonSerializer.SerializeToElement<object?>(null);

    /// <summary><c>[uid, packet, opts]</c> on <c>socket.io#/#</c> or <c>socket.io#/#room#</c>.</summary>
    private void OnBroadcastMessage(string channel, ReadOnlyMemory<byte> payload)
    {
        if (!channel.StartsWith(_channels.Broadcast, StringComparison.Ordinal))
        {
            return;
        }

        // A broadcast to one room comes on that room's channel: a server without the room has nothing to do.
        var room = channel.Length > _channels.Broadcast.Length ? channel[_channels.Broadcast.Length..^1] : string.Empty;
        if (room.Length > 0 && !HasRoom(room))
        {
            return;
        }

        if (!ClassicCodec.TryDecode(payload, out var decoded)
            || decoded.Root is not { ValueKind: JsonValueKind.Array } root || root.GetArrayLength() < 3
            || root[0].ValueKind != JsonValueKind.String
            || ClassicCodec.ReadPacket(root[1], decoded.Attachments, Namespace.Name) is not { } packet)
        {
            Log.Malformed(Logger, Namespace.Name, channel);
            return;
        }

        if (packet.Namespace != Namespace.Name)
        {
            return;
        }

        OnMessage(new ClusterMessage
        {
            Type = ClusterMessageType.Broadcast,
            ServerId = root[0].GetString()!,
            Namespace = packet.Namespace,
            Packet = packet,
            Options = ClassicCodec.ReadOptions(root[2]),
        });
    }

    /// <summary>A request on <c>socket.io-request#/#</c>: JSON, or notepack for a broadcast with acknowledgements.</summary>
    private void OnRequestMessage(string channel, ReadOnlyMemory<byte> payload)
    {
        if (!ClassicCodec.TryDecode(payload, out var decoded) || decoded.Root is not { ValueKind: JsonValueKind.Object } request
            || !request.TryGetProperty("type", out var typeElement) || !typeElement.TryGetInt32(out var typeNumber))
        {
            Log.Malformed(Logger, Namespace.Name, channel);
            return;
        }

        // The emitter sends some requests without a uid; they come from no server.
        var uid = request.TryGetProperty("uid", out var u) && u.ValueKind == JsonValueKind.String ? u.GetString()! : EmitterId;
        var requestId = request.TryGetProperty("requestId", out var r) && r.ValueKind == JsonValueKind.String ? r.GetString() : null;
        var hasOptions = request.TryGetProperty("opts", out var opts) && opts.ValueKind == JsonValueKind.Object;
        var message = new ClusterMessage { Type = ClusterMessageType.Heartbeat, ServerId = uid, Namespace = Namespace.Name, RequestId = requestId };
        switch ((ClassicRequestType)typeNumber)
        {
            case ClassicRequestType.Sockets when requestId is not null && uid != ServerId:
                var sockets = Sockets(new BroadcastOptions(ClassicCodec.ReadRooms(request, "rooms")));
                AnswerLegacy(uid, requestId, w =>
                {
                    w.WriteStartArray("sockets");
                    foreach (var id in sockets)
                    {
                        w.WriteStringValue(id);
                    }

                    w.WriteEndArray();
                });
                break;
            case ClassicRequestType.AllRooms when requestId is not null && !_roomRequests.ContainsKey(requestId):
                var rooms = Rooms;
                AnswerLegacy(uid, requestId, w =>
                {
                    w.WriteStartArray("rooms");
                    foreach (var name in rooms)
                    {
                        w.WriteStringValue(name);
                    }

                    w.WriteEndArray();
                });
                break;
            case ClassicRequestType.RemoteJoin or ClassicRequestType.RemoteLeave when hasOptions:
                OnMessage(message with
                {
                    Type = typeNumber == (int)ClassicRequestType.RemoteJoin ? ClusterMessageType.SocketsJoin : ClusterMessageType.SocketsLeave,
                    Options = ClassicCodec.ReadOptions(opts),
                    Rooms = ClassicCodec.ReadRooms(request, "rooms"),
                });
                break;
            case ClassicRequestType.RemoteJoin or ClassicRequestType.RemoteLeave or ClassicRequestType.RemoteDisconnect when !hasOptions:
                OnLegacySocketRequest((ClassicRequestType)typeNumber, uid, requestId, request);
                break;
            case ClassicRequestType.RemoteDisconnect:
                OnMessage(message with
                {
                    Type = ClusterMessageType.DisconnectSockets,
                    Options = ClassicCodec.ReadOptions(opts),
                    Close = request.TryGetProperty("close", out var close) && close.ValueKind == JsonValueKind.True,
                });
                break;
            case ClassicRequestType.RemoteFetch when requestId is not null:
                OnMessage(message with { Type = ClusterMessageType.FetchSockets, Options = hasOptions ? ClassicCodec.ReadOptions(opts) : BroadcastOptions.Everyone });
                break;
            case ClassicRequestType.ServerSideEmit when request.TryGetProperty("data", out var data) && data.ValueKind == JsonValueKind.Array:
                OnMessage(message with { Type = ClusterMessageType.ServerSideEmit, Data = data });
                break;
            case ClassicRequestType.Broadcast when requestId is not null && request.TryGetProperty("packet", out var packetElement)
                && ClassicCodec.ReadPacket(packetElement, decoded.Attachments, Namespace.Name) is { } packet:
                OnMessage(message with
                {
                    Type = ClusterMessageType.Broadcast,
                    Packet = packet,
                    Options = hasOptions ? ClassicCodec.ReadOptions(opts) : BroadcastOptions.Everyone,
                });
                break;
            default:
                Log.Ignored(Logger, Namespace.Name, typeNumber);
                break;
        }
    }

    /// <summary>An answer on <c>socket.io-response#/#</c> (or this server's own response channel).</summary>
    private void OnResponseMessage(string channel, ReadOnlyMemory<byte> payload)
    {
        if (!ClassicCodec.TryDecode(payload, out var decoded) || decoded.Root is not { ValueKind: JsonValueKind.Object } response
            || !response.TryGetProperty("requestId", out var r) || r.ValueKind != JsonValueKind.String)
        {
            return;
        }

        var requestId = r.GetString()!;
        var type = response.TryGetProperty("type", out var t) && t.TryGetInt32(out var n) ? (ClassicRequestType?)n : null;
        switch (type)
        {
            case ClassicRequestType.BroadcastClientCount:
                OnResponse(new ClusterResponse
                {
                    Type = ClusterMessageType.BroadcastClientCount,
                    RequestId = requestId,
                    ClientCount = response.TryGetProperty("clientCount", out var count) && count.TryGetInt32(out var c) ? c : 0,
                });
                return;
            case ClassicRequestType.BroadcastAck:
                var ack = response.TryGetProperty("packet", out var packet) ? packet : JsonNull;
                OnResponse(new ClusterResponse
                {
                    Type = ClusterMessageType.BroadcastAck,
                    RequestId = requestId,
                    Ack = EventArguments.Create([ack], decoded.Attachments, Namespace.Server.JsonOptions),
                });
                return;
            case ClassicRequestType.ServerSideEmit:
                OnResponse(new ClusterResponse
                {
                    Type = ClusterMessageType.ServerSideEmitResponse,
                    RequestId = requestId,
                    Data = response.TryGetProperty("data", out var data) ? data : JsonNull,
                });
                return;
        }

        if (response.TryGetProperty("rooms", out var rooms) && _roomRequests.TryGetValue(requestId, out var roomsRequest))
        {
            roomsRequest.Add(ClassicCodec.ReadRooms(response, "rooms"));
        }
        else if (response.TryGetProperty("sockets", out var sockets) && sockets.ValueKind == JsonValueKind.Array)
        {
            OnResponse(new ClusterResponse { Type = ClusterMessageType.FetchSocketsResponse, RequestId = requestId, Sockets = ReadSockets(sockets) });
        }
    }

    /// <summary>A heartbeat of another server of this kind: <c>{uid, type, nsp}</c>.</summary>
    private void OnHeartbeatMessage(string channel, ReadOnlyMemory<byte> payload)
    {
        if (!ClassicCodec.TryDecode(payload, out var decoded) || decoded.Root is not { ValueKind: JsonValueKind.Object } heartbeat
            || !heartbeat.TryGetProperty("uid", out var uid) || uid.ValueKind != JsonValueKind.String
            || !heartbeat.TryGetProperty("type", out var type) || !type.TryGetInt32(out var value)
            || (ClusterMessageType)value is not (ClusterMessageType.InitialHeartbeat or ClusterMessageType.Heartbeat or ClusterMessageType.AdapterClose))
        {
            Log.Malformed(Logger, Namespace.Name, channel);
            return;
        }

        OnMessage(new ClusterMessage { Type = (ClusterMessageType)value, ServerId = uid.GetString()!, Namespace = Namespace.Name });
    }

    /// <summary>The pre-8.x form of join, leave and disconnect: one socket by id, answered with <c>{requestId}</c>.</summary>
    private void OnLegacySocketRequest(ClassicRequestType type, string uid, string? requestId, JsonElement request)
    {
        if (!request.TryGetProperty("sid", out var sid) || sid.ValueKind != JsonValueKind.String || !Namespace.TryGetSocket(sid.GetString()!, out var socket))
        {
            return;
        }

        var room = request.TryGetProperty("room", out var r) && r.ValueKind == JsonValueKind.String ? r.GetString()! : null;
        switch (type)
        {
            case ClassicRequestType.RemoteJoin when room is not null:
                socket.Join(room);
                break;
            case ClassicRequestType.RemoteLeave when room is not null:
                socket.Leave(room);
                break;
            case ClassicRequestType.RemoteDisconnect:
                socket.Disconnect(request.TryGetProperty("close", out var close) && close.ValueKind == JsonValueKind.True);
                break;
            default:
                return;
        }

        if (requestId is not null)
        {
            AnswerLegacy(uid, requestId, static _ => { });
        }
    }

    private void AnswerLegacy(string requesterId, string requestId, Action<Utf8JsonWriter> body)
    {
        var channel = _options.PublishOnSpecificResponseChannel ? _channels.ResponseFor(requesterId) : _channels.Response;
        _ = Send(channel, ClassicCodec.Json(w =>
        {
            w.WriteString("requestId", requestId);
            body(w);
        }));
    }

    private static List<RemoteSocketData> ReadSockets(JsonElement sockets)
    {
        var found = new List<RemoteSocketData>();
        foreach (var socket in sockets.EnumerateArray())
        {
            if (socket.ValueKind == JsonValueKind.Object && socket.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.String)
            {
                found.Add(new RemoteSocketData(
                    id.GetString()!,
                    socket.TryGetProperty("handshake", out var handshake) ? handshake : default,
                    ClassicCodec.ReadRooms(socket, "rooms"),
                    socket.TryGetProperty("data", out var data) ? data : JsonNull));
            }
        }

        return found;
    }

    /// <summary>An <c>allRooms()</c> waiting for one answer from each other server.</summary>
    private sealed class RoomsRequest(string id, int expected, HashSet<string> rooms)
    {
        private int _received;

        public string Id { get; } = id;

        public TaskCompletionSource<IReadOnlySet<string>> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Add(IEnumerable<string> more)
        {
            lock (rooms)
            {
                rooms.UnionWith(more);
                if (++_received < expected)
                {
                    return;
                }
            }

            Completion.TrySetResult(rooms);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(20, LogLevel.Debug, "Namespace {Namespace}: ignored a malformed message on {Channel}.", EventName = "RedisMessageMalformed")]
        public static partial void Malformed(ILogger logger, string @namespace, string channel);

        [LoggerMessage(21, LogLevel.Debug, "Namespace {Namespace}: ignored a request of unknown or incomplete type {Type}.", EventName = "RedisRequestIgnored")]
        public static partial void Ignored(ILogger logger, string @namespace, int type);

        [LoggerMessage(22, LogLevel.Error, "Namespace {Namespace}: handling a message on {Channel} failed.", EventName = "RedisHandlingFailed")]
        public static partial void HandlingFailed(ILogger logger, Exception exception, string @namespace, string channel);
    }
}
