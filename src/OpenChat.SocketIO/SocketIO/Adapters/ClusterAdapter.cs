using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using OpenChat.SocketIO.Protocol;

namespace OpenChat.SocketIO.Adapters;

/// <summary>
/// A cluster-ready adapter, modelled on socket.io-adapter's <c>ClusterAdapterWithHeartbeat</c>: every
/// operation runs on this server's sockets (the <see cref="InMemoryAdapter"/> it extends) and, unless
/// <see cref="BroadcastFlags.Local"/>, is published to the other servers as a <see cref="ClusterMessage"/>;
/// requests wait for one <see cref="ClusterResponse"/> per other server. Servers send heartbeats, so one that
/// goes silent leaves <see cref="Servers"/> within <see cref="ClusterAdapterOptions.HeartbeatTimeout"/> plus a
/// second.
/// </summary>
/// <remarks>
/// An implementation supplies the transport: it implements <see cref="PublishAsync"/> and
/// <see cref="PublishResponseAsync"/>, calls <see cref="OnMessage"/> and <see cref="OnResponse"/> with what
/// it receives from other servers (messages from this server itself are ignored there), and reports its
/// link with <see cref="OnConnectionLost"/> and <see cref="OnConnectionRestored"/>.
/// </remarks>
public abstract partial class ClusterAdapter : InMemoryAdapter
{
    /// <summary>The <see cref="ClusterMessage.ServerId"/> of Node's <c>@socket.io/*-emitter</c> packages, which are not servers.</summary>
    public const string EmitterId = "emitter";

    private readonly ConcurrentDictionary<string, PendingRequest> _requests = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, AckRequest> _ackRequests = new(StringComparer.Ordinal);

    /// <summary>Creates the adapter of a namespace.</summary>
    protected ClusterAdapter(SocketIONamespace ns, ClusterAdapterOptions options)
        : base(ns)
    {
        ArgumentNullException.ThrowIfNull(options);
        Options = options;
        Time = ns.Server.Time;
        Logger = ns.Server.Logger;
        _heartbeatTimer = Time.CreateTimer(static s => ((ClusterAdapter)s!).SendHeartbeat(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        _cleanupTimer = Time.CreateTimer(static s => ((ClusterAdapter)s!).RemoveSilentServers(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    /// <summary>The timing in force.</summary>
    protected ClusterAdapterOptions Options { get; }

    /// <summary>The clock of the server (a fake one in tests).</summary>
    protected TimeProvider Time { get; }

    /// <summary>The library's logger.</summary>
    protected ILogger Logger { get; }

    /// <inheritdoc />
    public override void Broadcast(EncodedPacket packet, BroadcastOptions options)
    {
        if (!options.Flags.Local)
        {
            Publish(new ClusterMessage { Type = ClusterMessageType.Broadcast, Packet = packet, Options = options });
        }

        base.Broadcast(packet, options);
    }

    /// <inheritdoc />
    public override void BroadcastWithAck(EncodedPacket packet, BroadcastOptions options, Action<int> onClientCount, Action<EventArguments> onAck)
    {
        if (!options.Flags.Local)
        {
            var requestId = NewRequestId();
            var timeout = options.Flags.Timeout ?? Namespace.Server.Options.AckTimeout;

            // There is no telling when every client has answered, so the callbacks are simply dropped after the timeout.
            var ack = new AckRequest(this, requestId, onClientCount, onAck);
            _ackRequests[requestId] = ack;
            ack.Timer = Time.CreateTimer(static s => ((AckRequest)s!).Expire(), ack, timeout, Timeout.InfiniteTimeSpan);
            Publish(new ClusterMessage { Type = ClusterMessageType.Broadcast, RequestId = requestId, Packet = packet, Options = options with { Flags = options.Flags with { Timeout = timeout } } });
        }

        base.BroadcastWithAck(packet, options, onClientCount, onAck);
    }

    /// <inheritdoc />
    public override void AddSockets(BroadcastOptions options, IReadOnlyCollection<string> rooms)
    {
        if (!options.Flags.Local)
        {
            Publish(new ClusterMessage { Type = ClusterMessageType.SocketsJoin, Options = options, Rooms = [.. rooms] });
        }

        base.AddSockets(options, rooms);
    }

    /// <inheritdoc />
    public override void DelSockets(BroadcastOptions options, IReadOnlyCollection<string> rooms)
    {
        if (!options.Flags.Local)
        {
            Publish(new ClusterMessage { Type = ClusterMessageType.SocketsLeave, Options = options, Rooms = [.. rooms] });
        }

        base.DelSockets(options, rooms);
    }

    /// <inheritdoc />
    public override void DisconnectSockets(BroadcastOptions options, bool close)
    {
        if (!options.Flags.Local)
        {
            Publish(new ClusterMessage { Type = ClusterMessageType.DisconnectSockets, Options = options, Close = close });
        }

        base.DisconnectSockets(options, close);
    }

    /// <inheritdoc />
    public override async Task<IReadOnlyList<RemoteSocketData>> FetchSocketsAsync(BroadcastOptions options, CancellationToken cancellationToken = default)
    {
        var local = FetchLocalSockets(options);
        if (options.Flags.Local)
        {
            return local;
        }

        var expected = await ServerCountAsync(cancellationToken) - 1;
        if (expected <= 0)
        {
            return local;
        }

        var request = Register(expected, [.. local.Select(s => (object)s)], options.Flags.Timeout ?? Options.RequestsTimeout, "fetchSockets");
        Publish(new ClusterMessage { Type = ClusterMessageType.FetchSockets, RequestId = request.Id, Options = options });
        var responses = await request.Completion.Task.WaitAsync(cancellationToken);
        return responses.Cast<RemoteSocketData>().ToList();
    }

    /// <inheritdoc />
    public override void ServerSideEmit(JsonElement packet) =>
        Publish(new ClusterMessage { Type = ClusterMessageType.ServerSideEmit, Data = packet });

    /// <inheritdoc />
    public override async Task<IReadOnlyList<JsonElement>> ServerSideEmitWithAckAsync(JsonElement packet, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        var expected = await ServerCountAsync(cancellationToken) - 1;
        if (expected <= 0)
        {
            return [];
        }

        var request = Register(expected, [], timeout, "serverSideEmit");
        Publish(new ClusterMessage { Type = ClusterMessageType.ServerSideEmit, RequestId = request.Id, Data = packet });
        var responses = await request.Completion.Task.WaitAsync(cancellationToken);
        return responses.Cast<JsonElement>().ToList();
    }

    /// <summary>Handles a message from another server (messages from this one are ignored).</summary>
    protected void OnMessage(ClusterMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (message.ServerId == ServerId)
        {
            return;
        }

        if (message.Namespace != Namespace.Name)
        {
            Log.IgnoredMessage(Logger, Namespace.Name, message.Type.ToString(), "another namespace");
            return;
        }

        if (TrackServer(message))
        {
            return;
        }

        switch (message.Type)
        {
            case ClusterMessageType.Broadcast when message.Packet is { } packet && message.Options is { } options:
                if (message.RequestId is { } ackRequestId)
                {
                    var requester = message.ServerId;
                    base.BroadcastWithAck(
                        packet,
                        options,
                        count => PublishResponse(requester, new ClusterResponse { Type = ClusterMessageType.BroadcastClientCount, RequestId = ackRequestId, ClientCount = count }),
                        args => PublishResponse(requester, new ClusterResponse { Type = ClusterMessageType.BroadcastAck, RequestId = ackRequestId, Ack = args.Slice(0, Math.Min(1, args.Count)) }));
                }
                else
                {
                    base.Broadcast(packet, options);
                }

                break;
            case ClusterMessageType.SocketsJoin when message.Options is { } options && message.Rooms is { } rooms:
                base.AddSockets(options, rooms);
                break;
            case ClusterMessageType.SocketsLeave when message.Options is { } options && message.Rooms is { } rooms:
                base.DelSockets(options, rooms);
                break;
            case ClusterMessageType.DisconnectSockets when message.Options is { } options:
                base.DisconnectSockets(options, message.Close);
                break;
            case ClusterMessageType.FetchSockets when message.Options is { } options && message.RequestId is { } fetchRequestId:
                PublishResponse(message.ServerId, new ClusterResponse { Type = ClusterMessageType.FetchSocketsResponse, RequestId = fetchRequestId, Sockets = FetchLocalSockets(options) });
                break;
            case ClusterMessageType.ServerSideEmit when message.Data is { } data:
                DispatchServerSideEmit(message, data);
                break;
            case ClusterMessageType.FetchSocketsResponse or ClusterMessageType.ServerSideEmitResponse
                or ClusterMessageType.BroadcastClientCount or ClusterMessageType.BroadcastAck:
                Log.IgnoredMessage(Logger, Namespace.Name, message.Type.ToString(), "a response sent as a message");
                break;
            default:
                Log.IgnoredMessage(Logger, Namespace.Name, message.Type.ToString(), "incomplete or unknown");
                break;
        }
    }

    /// <summary>Handles another server's answer to one of this server's requests (unknown requests are ignored).</summary>
    protected void OnResponse(ClusterResponse response)
    {
        ArgumentNullException.ThrowIfNull(response);
        switch (response.Type)
        {
            case ClusterMessageType.BroadcastClientCount when _ackRequests.TryGetValue(response.RequestId, out var ack):
                ack.OnClientCount(response.ClientCount);
                break;
            case ClusterMessageType.BroadcastAck when _ackRequests.TryGetValue(response.RequestId, out var ack) && response.Ack is { } args:
                ack.OnAck(args);
                break;
            case ClusterMessageType.FetchSocketsResponse when _requests.TryGetValue(response.RequestId, out var request):
                request.Add(response.Sockets ?? []);
                break;
            case ClusterMessageType.ServerSideEmitResponse when _requests.TryGetValue(response.RequestId, out var request):
                request.Add([response.Data ?? default]);
                break;
        }
    }

    /// <summary>Sends a message to the other servers.</summary>
    protected abstract Task PublishAsync(ClusterMessage message);

    /// <summary>Sends an answer to the server that asked (<paramref name="requesterId"/>).</summary>
    protected abstract Task PublishResponseAsync(string requesterId, ClusterResponse response);

    /// <summary>A fresh request id.</summary>
    protected static string NewRequestId() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));

    /// <summary>Publishes a message stamped with this server's id and namespace; failures are logged, never thrown.</summary>
    protected void Publish(ClusterMessage message)
    {
        var stamped = message with { ServerId = ServerId, Namespace = Namespace.Name };
        _ = Observe(PublishSafely(stamped), stamped.Type.ToString());
    }

    private Task PublishSafely(ClusterMessage message)
    {
        try
        {
            return PublishAsync(message);
        }
        catch (Exception ex)
        {
            return Task.FromException(ex);
        }
    }

    private void PublishResponse(string requesterId, ClusterResponse response)
    {
        var stamped = response with { ServerId = ServerId, Namespace = Namespace.Name };
        Task task;
        try
        {
            task = PublishResponseAsync(requesterId, stamped);
        }
        catch (Exception ex)
        {
            task = Task.FromException(ex);
        }

        _ = Observe(task, stamped.Type.ToString());
    }

    private async Task Observe(Task task, string what)
    {
        try
        {
            await task.ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            Log.PublishFailed(Logger, Namespace.Name, what, ex.Message);
        }
    }

    private void DispatchServerSideEmit(ClusterMessage message, JsonElement data)
    {
        if (message.RequestId is not { } requestId)
        {
            Namespace.OnServerSideEmitReceived(data, null);
            return;
        }

        var requester = message.ServerId;
        Namespace.OnServerSideEmitReceived(data, answer =>
            PublishResponse(requester, new ClusterResponse { Type = ClusterMessageType.ServerSideEmitResponse, RequestId = requestId, Data = answer }));
    }
}
