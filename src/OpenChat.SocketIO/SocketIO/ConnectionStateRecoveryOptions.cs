namespace OpenChat.SocketIO;

/// <summary>
/// Connection state recovery (Node's <c>connectionStateRecovery</c>): a client that lost its connection and
/// comes back within <see cref="MaxDisconnectionDuration"/> gets its socket back, with the same id, rooms and
/// <see cref="SocketIOSocket.Data"/>, and the broadcast packets it missed, once and in order
/// (<see cref="SocketIOSocket.Recovered"/> is then true). Set <see cref="SocketIOOptions.ConnectionStateRecovery"/>
/// to turn it on; it is off by default, as in Node.
/// </summary>
/// <remarks>
/// <para>
/// On the wire, as Node's server 4.8: the CONNECT reply carries a private session id
/// (<c>{"sid":"…","pid":"…"}</c>); every broadcast event without an acknowledgement and not volatile carries an
/// offset as its last argument (<c>["chat",{…},"PZ8yTMb"]</c>); a returning client sends <c>pid</c> and the last
/// <c>offset</c> it saw in its CONNECT auth. Only the disconnects Node recovers from keep a session
/// (<see cref="DisconnectReasons.IsRecoverable"/>): a client or server that disconnects on purpose does not.
/// </para>
/// <para>
/// Memory is bounded per namespace: at most <see cref="MaxRetainedPackets"/> packets and
/// <see cref="MaxRetainedBytes"/> bytes are kept (the oldest go first), packets and sessions older than
/// <see cref="MaxDisconnectionDuration"/> are dropped, and at most <see cref="MaxSessions"/> sessions wait. A client
/// that missed a packet no longer kept, or whose session is gone, gets a new session: it learns so from
/// <c>socket.recovered === false</c> and fetches what it needs by itself.
/// </para>
/// </remarks>
public sealed class ConnectionStateRecoveryOptions
{
    /// <summary>
    /// Whether recovery is on. An instance with this true turns it on; binding <c>Enabled=false</c> from
    /// configuration turns it off again. Default true.
    /// </summary>
    public bool Enabled { get; set; } = true;

    /// <summary>How long after a disconnection its session can still be recovered. Default 2 minutes (Node's).</summary>
    public TimeSpan MaxDisconnectionDuration { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>
    /// Whether a recovered socket skips the namespace middleware (<see cref="SocketIONamespace.Use"/>). Default
    /// true (Node's). With false the middleware runs again and may refuse it; the missed packets are sent only
    /// once it has accepted.
    /// </summary>
    public bool SkipMiddlewares { get; set; } = true;

    /// <summary>
    /// Most broadcast packets kept per namespace for clients that may come back; when full, the oldest is
    /// dropped, and a session that missed it can no longer be recovered. Default 10 000.
    /// </summary>
    public int MaxRetainedPackets { get; set; } = 10_000;

    /// <summary>Most bytes those packets may hold together, per namespace (the oldest go first). Default 32 MiB.</summary>
    public long MaxRetainedBytes { get; set; } = 32L * 1024 * 1024;

    /// <summary>
    /// Most disconnected sessions kept per namespace; when full, the one disconnected longest ago is dropped.
    /// Default 100 000.
    /// </summary>
    public int MaxSessions { get; set; } = 100_000;
}
