using OpenChat.SocketIO.Protocol;
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
    /// Packets of one connection that may wait for its handlers, all its namespaces together; when full, the
    /// server reads nothing more from that client (its acknowledgements included) until a handler takes the
    /// next packet. Default 1000.
    /// </summary>
    public int MaxBufferedIncomingPackets { get; set; } = 1000;

    /// <summary>
    /// Event handlers of one socket that may run at once (SignalR's <c>MaximumParallelInvocationsPerClient</c>).
    /// 1, the default, runs a socket's events one after another in arrival order; with more, events still
    /// start in arrival order but a slow one no longer holds the next. Sockets of other namespaces on the
    /// same connection never wait for each other, whatever the value.
    /// </summary>
    public int MaxConcurrentHandlersPerSocket { get; set; } = 1;

    /// <summary>
    /// When a handler (or socket middleware) throws while handling an event whose sender asked for an
    /// acknowledgement, answer it with one argument <c>{"error": "&lt;the exception's message&gt;"}</c>
    /// instead of leaving the client to its own timeout. Off by default, since the message then reaches the
    /// client: throw exceptions whose messages you mean to show. A handler that acknowledged before throwing
    /// is not answered twice.
    /// </summary>
    public bool AcknowledgeHandlerErrors { get; set; }

    /// <summary>
    /// Removes a dynamic namespace's child (see <see cref="ParentNamespace"/>) once its last socket has left,
    /// closing its adapter, so names that come and go (<c>/user-123</c>) do not accumulate. Off by default, as
    /// in the reference server.
    /// </summary>
    public bool CleanupEmptyChildNamespaces { get; set; }

    /// <summary>How event arguments are serialized and read. Default: web defaults (camelCase).</summary>
    public JsonSerializerOptions JsonSerializerOptions { get; set; } = new(JsonSerializerDefaults.Web);

    /// <summary>
    /// Creates the adapter of each namespace (rooms, broadcast, the other servers of a cluster). Default:
    /// <see cref="InMemoryAdapter"/>, one server alone. <c>AddRedisAdapter()</c> sets it.
    /// </summary>
    public Func<SocketIONamespace, SocketIOAdapter>? AdapterFactory { get; set; }

    /// <summary>
    /// Connection state recovery: null (the default, as in Node) keeps it off; an instance turns it on (see
    /// <see cref="ConnectionStateRecoveryOptions"/>). Bound from <c>SocketIO:ConnectionStateRecovery</c>.
    /// </summary>
    public ConnectionStateRecoveryOptions? ConnectionStateRecovery { get; set; }

    /// <summary>The recovery options when recovery is on; null when it is off.</summary>
    internal ConnectionStateRecoveryOptions? Recovery => ConnectionStateRecovery is { Enabled: true } on ? on : null;

    /// <summary>
    /// How packets are written inside Engine.IO messages; clients must use the same. Default: Socket.IO's JSON
    /// format (<see cref="SocketIOParser.Default"/>). <c>AddMessagePackParser()</c> (OpenChat.SocketIO.MessagePack)
    /// sets the socket.io-msgpack-parser format. Set in code, not in configuration.
    /// </summary>
    public SocketIOParser Parser { get; set; } = SocketIOParser.Default;
    /// <summary>The server side of the official Socket.IO Admin UI (off by default).</summary>
    public AdminUIOptions AdminUI { get; set; } = new();
}
