using System.Text.Json;
using OpenChat.SocketIO.Protocol;

namespace OpenChat.SocketIO.Adapters;

/// <summary>
/// A message from one server of the cluster to all the others, as socket.io-adapter's <c>ClusterMessage</c>:
/// its <see cref="Type"/> says which of the other members are set. A transport (Redis, say) turns it into its
/// own wire format and back; <see cref="ClusterAdapter"/> fills <see cref="ServerId"/> and <see cref="Namespace"/>.
/// </summary>
public sealed record ClusterMessage
{
    /// <summary>What the message asks for.</summary>
    public required ClusterMessageType Type { get; init; }

    /// <summary>The sending server's id (<c>uid</c>).</summary>
    public string ServerId { get; init; } = string.Empty;

    /// <summary>The namespace.</summary>
    public string Namespace { get; init; } = "/";

    /// <summary>Set when answers are expected: broadcasts with acknowledgements, fetches, server-side emits with acknowledgement.</summary>
    public string? RequestId { get; init; }

    /// <summary>The packet of a <see cref="ClusterMessageType.Broadcast"/>.</summary>
    public EncodedPacket? Packet { get; init; }

    /// <summary>Which sockets a broadcast, join, leave, disconnect or fetch selects.</summary>
    public BroadcastOptions? Options { get; init; }

    /// <summary>The rooms of a join or leave.</summary>
    public IReadOnlyList<string>? Rooms { get; init; }

    /// <summary>Whether a disconnect closes the whole connections.</summary>
    public bool Close { get; init; }

    /// <summary>The JSON array <c>[eventName, ...args]</c> of a server-side emit.</summary>
    public JsonElement? Data { get; init; }
}
