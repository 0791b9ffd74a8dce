using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using OpenChat.SocketIO.Adapters;
using OpenChat.SocketIO.Redis.Protocol;
using StackExchange.Redis;

namespace OpenChat.SocketIO.Redis;

/// <summary>
/// A <see cref="ClusterAdapter"/> over Redis pub/sub that speaks @socket.io/redis-adapter 8.x (the classic,
/// non-sharded adapter) byte for byte: the same channels, the same notepack and JSON payloads, the same request
/// and response types, and the server count from <c>PUBSUB NUMSUB</c>. Node servers with that adapter, and
/// @socket.io/redis-emitter, are members of the same fleet. Servers of this kind also exchange heartbeats on a
/// channel of their own, so one that dies leaves the others' <see cref="ClusterAdapter.Servers"/> in bounded time.
/// Register it with <c>services.AddSocketIO().AddRedisAdapter(...)</c>.
/// </summary>
public sealed partial class RedisAdapter : ClusterAdapter
{
    private readonly RedisConnection _connection;
    private readonly RedisAdapterOptions _options;
    private readonly RedisChannels _channels;
    private readonly ConcurrentDictionary<string, RoomsRequest> _roomRequests = new(StringComparer.Ordinal);
    private ChannelMessageQueue? _queue;
    private ISubscriber? _subscriber;

    internal RedisAdapter(SocketIONamespace ns, RedisConnection connection, RedisAdapterOptions options)
        : base(ns, options)
    {
        _connection = connection;
        _options = options;
        _channels = new RedisChannels(options.Key, ns.Name, ServerId);
    }

    /// <summary>Subscribes once Redis answers, then announces this server and starts its heartbeats.</summary>
    public override async Task InitAsync(CancellationToken cancellationToken)
    {
        _connection.Lost += OnConnectionLost;
        _connection.Restored += OnConnectionRestored;
        await _connection.FirstConnected.WaitAsync(cancellationToken);
        var subscriber = _subscriber = (await _connection.GetAsync()).GetSubscriber();

        // Every channel of the namespace comes through one pattern and one queue, so messages are handled in the
        // order Redis delivered them whatever their channel (a join request before the broadcast that follows it,
        // as Node's client does). The request channel is also subscribed by name: its subscribers are how Node
        // counts servers (PUBSUB NUMSUB), and its messages already come through the pattern.
        _queue = await WhenSubscriptionLinkIsUpAsync(() => subscriber.SubscribeAsync(RedisChannel.Pattern(_channels.Pattern)), cancellationToken);
        _queue.OnMessage(message => Dispatch(message.Channel.ToString(), (byte[]?)message.Message ?? []));
        await WhenSubscriptionLinkIsUpAsync(async () => { await subscriber.SubscribeAsync(RedisChannel.Literal(_channels.Request), CountedOnly); return true; }, cancellationToken);
        await base.InitAsync(cancellationToken);
    }

    /// <summary>
    /// Runs a subscription once the subscription link is up. The multiplexer counts as connected as soon as its
    /// command link is, so a first subscription can still find its own link connecting; it is tried again for a
    /// few seconds before the failure is the caller's.
    /// </summary>
    private static async Task<T> WhenSubscriptionLinkIsUpAsync<T>(Func<Task<T>> subscribe, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await subscribe();
            }
            catch (RedisConnectionException) when (attempt < 50)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(100), cancellationToken);
            }
        }
    }

    /// <summary>Says goodbye to the other servers and unsubscribes.</summary>
    public override async ValueTask DisposeAsync()
    {
        _connection.Lost -= OnConnectionLost;
        _connection.Restored -= OnConnectionRestored;
        await base.DisposeAsync();
        try
        {
            if (_queue is { } queue && _subscriber is { } subscriber)
            {
                await queue.UnsubscribeAsync().WaitAsync(TimeSpan.FromSeconds(2));
                await subscriber.UnsubscribeAsync(RedisChannel.Literal(_channels.Request), CountedOnly).WaitAsync(TimeSpan.FromSeconds(2));
            }
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException or ObjectDisposedException)
        {
            // The link is gone; Redis forgets the subscriptions with it.
        }
    }

    /// <summary>The subscribers of the request channel, as Node counts servers (1 while Redis is unreachable: only this one can be reached).</summary>
    public override async Task<int> ServerCountAsync(CancellationToken cancellationToken = default)
    {
        if (_connection.Current is not { } multiplexer)
        {
            return 1;
        }

        try
        {
            var result = await multiplexer.GetDatabase().ExecuteAsync("PUBSUB", "NUMSUB", _channels.Request).WaitAsync(cancellationToken);
            var count = result.Length >= 2 ? (int)result[1] : 1;
            return Math.Max(1, count);
        }
        catch (RedisException)
        {
            return 1;
        }
    }

    /// <summary>Every room of every server, as Node's <c>allRooms()</c> asks them (<c>ALL_ROOMS</c>).</summary>
    public override async Task<IReadOnlySet<string>> AllRoomsAsync(CancellationToken cancellationToken = default)
    {
        var rooms = new HashSet<string>(Rooms, StringComparer.Ordinal);
        var expected = await ServerCountAsync(cancellationToken) - 1;
        if (expected <= 0)
        {
            return rooms;
        }

        var request = new RoomsRequest(NewRequestId(), expected, rooms);
        _roomRequests[request.Id] = request;
        try
        {
            _ = Send(_channels.Request, ClassicCodec.Json(w =>
            {
                w.WriteString("uid", ServerId);
                w.WriteString("requestId", request.Id);
                w.WriteNumber("type", (int)ClassicRequestType.AllRooms);
            }));
            return await request.Completion.Task.WaitAsync(Options.RequestsTimeout, Time, cancellationToken);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException("timeout reached while waiting for allRooms response");
        }
        finally
        {
            _roomRequests.TryRemove(request.Id, out _);
        }
    }

    /// <inheritdoc />
    protected override Task PublishAsync(ClusterMessage message)
    {
        var (channel, payload) = Encode(message);
        return Send(channel, payload);
    }

    /// <inheritdoc />
    protected override Task PublishResponseAsync(string requesterId, ClusterResponse response)
    {
        var answerChannel = _options.PublishOnSpecificResponseChannel ? _channels.ResponseFor(requesterId) : _channels.Response;
        return response.Type switch
        {
            ClusterMessageType.FetchSocketsResponse => Send(answerChannel, ClassicCodec.Json(w =>
            {
                w.WriteString("requestId", response.RequestId);
                w.WriteStartArray("sockets");
                foreach (var socket in response.Sockets ?? [])
                {
                    w.WriteStartObject();
                    w.WriteString("id", socket.Id);
                    w.WritePropertyName("handshake");
                    socket.Handshake.WriteTo(w);
                    w.WriteStartArray("rooms");
                    foreach (var room in socket.Rooms)
                    {
                        w.WriteStringValue(room);
                    }

                    w.WriteEndArray();
                    w.WritePropertyName("data");
                    socket.Data.WriteTo(w);
                    w.WriteEndObject();
                }

                w.WriteEndArray();
            })),

            // Node's classic adapter answers server-side emits on the shared channel whatever the option says.
            ClusterMessageType.ServerSideEmitResponse => Send(_channels.Response, ClassicCodec.Json(w =>
            {
                w.WriteNumber("type", (int)ClassicRequestType.ServerSideEmit);
                w.WriteString("requestId", response.RequestId);
                if (response.Data is { ValueKind: not JsonValueKind.Undefined } data)
                {
                    w.WritePropertyName("data");
                    data.WriteTo(w);
                }
            })),
            ClusterMessageType.BroadcastClientCount => Send(answerChannel, ClassicCodec.Json(w =>
            {
                w.WriteNumber("type", (int)ClassicRequestType.BroadcastClientCount);
                w.WriteString("requestId", response.RequestId);
                w.WriteNumber("clientCount", response.ClientCount);
            })),
            ClusterMessageType.BroadcastAck when response.Ack is { } ack => Send(answerChannel, ClassicCodec.EncodeBroadcastAck(response.RequestId, ack)),
            _ => Task.CompletedTask,
        };
    }

    private (string Channel, byte[] Payload) Encode(ClusterMessage message)
    {
        var uid = message.ServerId;
        switch (message.Type)
        {
            case ClusterMessageType.Broadcast when message.RequestId is null:
                return (_channels.BroadcastTo(message.Options!.Rooms), ClassicCodec.EncodeBroadcast(uid, message.Packet!, message.Options));
            case ClusterMessageType.Broadcast:
                return (_channels.Request, ClassicCodec.EncodeBroadcastRequest(uid, message.RequestId!, message.Packet!, message.Options!));
            case ClusterMessageType.SocketsJoin or ClusterMessageType.SocketsLeave:
                return (_channels.Request, ClassicCodec.Json(w =>
                {
                    w.WriteString("uid", uid);
                    w.WriteNumber("type", (int)(message.Type == ClusterMessageType.SocketsJoin ? ClassicRequestType.RemoteJoin : ClassicRequestType.RemoteLeave));
                    ClassicCodec.WriteJsonOptions(w, message.Options!);
                    w.WriteStartArray("rooms");
                    foreach (var room in message.Rooms ?? [])
                    {
                        w.WriteStringValue(room);
                    }

                    w.WriteEndArray();
                }));
            case ClusterMessageType.DisconnectSockets:
                return (_channels.Request, ClassicCodec.Json(w =>
                {
                    w.WriteString("uid", uid);
                    w.WriteNumber("type", (int)ClassicRequestType.RemoteDisconnect);
                    ClassicCodec.WriteJsonOptions(w, message.Options!);
                    w.WriteBoolean("close", message.Close);
                }));
            case ClusterMessageType.FetchSockets:
                return (_channels.Request, ClassicCodec.Json(w =>
                {
                    w.WriteString("uid", uid);
                    w.WriteString("requestId", message.RequestId);
                    w.WriteNumber("type", (int)ClassicRequestType.RemoteFetch);
                    ClassicCodec.WriteJsonOptions(w, message.Options!);
                }));
            case ClusterMessageType.ServerSideEmit:
                return (_channels.Request, ClassicCodec.Json(w =>
                {
                    w.WriteString("uid", uid);
                    if (message.RequestId is { } requestId)
                    {
                        w.WriteString("requestId", requestId);
                    }

                    w.WriteNumber("type", (int)ClassicRequestType.ServerSideEmit);
                    w.WritePropertyName("data");
                    message.Data!.Value.WriteTo(w);
                }));
            default:
                // Heartbeats, on a channel Node's classic adapter does not subscribe to.
                return (_channels.Heartbeat, ClassicCodec.Json(w =>
                {
                    w.WriteString("uid", uid);
                    w.WriteNumber("type", (int)message.Type);
                    w.WriteString("nsp", message.Namespace);
                }));
        }
    }

    private Task Send(string channel, byte[] payload)
    {
        if (_connection.Current is not { } multiplexer)
        {
            // Redis is unreachable (logged once for the outage): what is meant for other servers is dropped, not queued.
            return Task.CompletedTask;
        }

        return multiplexer.GetSubscriber().PublishAsync(RedisChannel.Literal(channel), payload, CommandFlags.FireAndForget);
    }

    private static void CountedOnly(RedisChannel channel, RedisValue message)
    {
    }

    private void Dispatch(string channel, ReadOnlyMemory<byte> payload)
    {
        try
        {
            if (channel == _channels.Request)
            {
                OnRequestMessage(channel, payload);
            }
            else if (channel.StartsWith(_channels.Response, StringComparison.Ordinal))
            {
                OnResponseMessage(channel, payload);
            }
            else if (channel == _channels.Heartbeat)
            {
                OnHeartbeatMessage(channel, payload);
            }
            else if (channel.StartsWith(_channels.Broadcast, StringComparison.Ordinal))
            {
                OnBroadcastMessage(channel, payload);
            }

            // Anything else the pattern matched (another key that starts like ours) is not for this adapter.
        }
        catch (Exception ex)
        {
            Log.HandlingFailed(Logger, ex, Namespace.Name, channel);
        }
    }
}
