using System.Text.Json;
using OpenChat.SocketIO.EngineIO;
using OpenChat.SocketIO.Adapters;

namespace OpenChat.SocketIO;

/// <summary>Socket.IO server options, on top of the Engine.IO ones. Defaults are the reference server's where it has one.</summary>
public sealed class SocketIOOptions : EngineIOOptions
{
    /// <summary>
    /// How long a new connection may take to join a namespace before it is closed; until then it counts as
    /// pending (<see cref="EngineIOOptions.MaxPendingSessions"/>). Default 10 s, below the reference server's
    /// 45 s: the official clients send CONNECT right after the handshake, and a pending session that goes no
    /// further only holds memory.
    /// </summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Default wait for <see cref="SocketIOSocket.EmitWithAckAsync(string, object?[])"/>. Default 30 s.</summary>
    public TimeSpan AckTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Most binary attachments one packet may announce; more is a parse error. Default 64.</summary>
    public int MaxAttachments { get; set; } = 64;

    /// <summary>
    /// Longest time between a binary packet and its last attachment; a packet still incomplete then closes
    /// the connection ("parse error"). Together with <see cref="EngineIOOptions.MaxHttpBufferSize"/>, which
    /// bounds a packet and all its attachments together, it keeps a client from parking attachments in server
    /// memory. Default 30 s.
    /// </summary>
    public TimeSpan BinaryPacketTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Most acknowledgements one socket may wait for at once; more throws. Default 1000.</summary>
    public int MaxPendingAcks { get; set; } = 1000;

    /// <summary>
    /// Packets of one connection that may wait for its handlers; when full, the server stops reading from
    /// that client until its handlers catch up. Default 1000.
    /// </summary>
    public int MaxBufferedIncomingPackets { get; set; } = 1000;

    /// <summary>How event arguments are serialized and read. Default: web defaults (camelCase).</summary>
    public JsonSerializerOptions JsonSerializerOptions { get; set; } = new(JsonSerializerDefaults.Web);

    /// <summary>
    /// Creates the adapter of each namespace (rooms, broadcast, the other servers of a cluster). Default:
    /// <see cref="InMemoryAdapter"/>, one server alone. <c>AddRedisAdapter()</c> sets it.
    /// </summary>
    public Func<SocketIONamespace, SocketIOAdapter>? AdapterFactory { get; set; }

    /// <summary>The server side of the official Socket.IO Admin UI (off by default).</summary>
    public AdminUIOptions AdminUI { get; set; } = new();
}
