using System.Text.Json;

namespace OpenChat.SocketIO.Adapters;

/// <summary>
/// One server's answer to a <see cref="ClusterMessage"/> that carried a request id, as socket.io-adapter's
/// <c>ClusterResponse</c>: its <see cref="Type"/> says which of the other members are set.
/// </summary>
public sealed record ClusterResponse
{
    /// <summary>
    /// <see cref="ClusterMessageType.FetchSocketsResponse"/>, <see cref="ClusterMessageType.ServerSideEmitResponse"/>,
    /// <see cref="ClusterMessageType.BroadcastClientCount"/> or <see cref="ClusterMessageType.BroadcastAck"/>.
    /// </summary>
    public required ClusterMessageType Type { get; init; }

    /// <summary>The answering server's id.</summary>
    public string ServerId { get; init; } = string.Empty;

    /// <summary>The namespace.</summary>
    public string Namespace { get; init; } = "/";

    /// <summary>The request answered.</summary>
    public required string RequestId { get; init; }

    /// <summary>The answering server's selected sockets (fetch).</summary>
    public IReadOnlyList<RemoteSocketData>? Sockets { get; init; }

    /// <summary>The value a server-side event handler acknowledged with.</summary>
    public JsonElement? Data { get; init; }

    /// <summary>How many clients the answering server sent a broadcast to.</summary>
    public int ClientCount { get; init; }

    /// <summary>One client's acknowledgement of a broadcast: its first argument.</summary>
    public EventArguments? Ack { get; init; }
}
