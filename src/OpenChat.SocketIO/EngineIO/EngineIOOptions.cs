using Microsoft.AspNetCore.Http;

namespace OpenChat.SocketIO.EngineIO;

/// <summary>Transports a server accepts.</summary>
[Flags]
public enum EngineTransports
{
    /// <summary>HTTP long-polling.</summary>
    Polling = 1,

    /// <summary>WebSocket, directly or as an upgrade from polling.</summary>
    WebSocket = 2,

    /// <summary>Both transports (the default).</summary>
    All = Polling | WebSocket,
}

/// <summary>Engine.IO server options. Defaults are the reference server's.</summary>
public class EngineIOOptions
{
    /// <summary>How often the server sends a ping. Default 25 s.</summary>
    public TimeSpan PingInterval { get; set; } = TimeSpan.FromSeconds(25);

    /// <summary>How long the server waits for the pong before closing with "ping timeout". Default 20 s.</summary>
    public TimeSpan PingTimeout { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>How long a polling session may take to complete an upgrade to WebSocket. Default 10 s.</summary>
    public TimeSpan UpgradeTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Largest accepted message: a polling request body or a WebSocket message, in bytes. Larger ones are
    /// refused (413 / close 1009) and the session is closed. Socket.IO also bounds one binary packet and all
    /// its attachments together by it (more is a parse error). Default 1 000 000 (the reference default).
    /// </summary>
    public long MaxHttpBufferSize { get; set; } = 1_000_000;

    /// <summary>Accepted transports. Default both.</summary>
    public EngineTransports Transports { get; set; } = EngineTransports.All;

    /// <summary>
    /// Whether Engine.IO protocol 3 clients (Socket.IO 2.x) are served, as the reference server's
    /// <c>allowEIO3</c>: length-prefixed polling payloads, client-initiated heartbeat, and on the Socket.IO
    /// server the 2.x handshake. Off by default: they get error code 5, and one log line per address says why.
    /// </summary>
    public bool AllowEIO3 { get; set; }

    /// <summary>Whether polling sessions may upgrade to WebSocket. Default true.</summary>
    public bool AllowUpgrades { get; set; } = true;

    /// <summary>
    /// Bytes that may wait in one session's outgoing queue. A client that cannot keep up is disconnected
    /// when this is exceeded, rather than growing memory or stalling others. Default 4 MiB.
    /// </summary>
    public long MaxQueuedOutgoingBytes { get; set; } = 4 * 1024 * 1024;

    /// <summary>How long a closing session may spend flushing its queue before its transport is aborted. Default 5 s.</summary>
    public TimeSpan CloseTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// The origins the app's own pages are served from, as browsers see them, e.g. <c>https://chat.example.com</c>.
    /// When set, a browser whose <c>Origin</c> is one of these (or is in <see cref="SocketIOCorsOptions.AllowedOrigins"/>)
    /// is served and every other browser is refused: the request's <c>Host</c> and scheme are not consulted, so
    /// the rule holds behind any proxy and against DNS rebinding. Empty by default: the page's origin is then
    /// inferred from the request (see the README's "Deployment" section for that rule).
    /// </summary>
    public IList<string> PublicOrigins { get; } = new List<string>();

    /// <summary>WebSocket compression (permessage-deflate). Off by default, with a 1 KiB threshold when on.</summary>
    public PerMessageDeflateOptions PerMessageDeflate { get; } = new();

    /// <summary>Compression of polling payloads (gzip or deflate). On by default for payloads of 1 KiB and more.</summary>
    public HttpCompressionOptions HttpCompression { get; } = new();

    /// <summary>Cross-origin access. Off by default: only same-origin browsers (and clients sending no Origin) are served.</summary>
    public SocketIOCorsOptions Cors { get; } = new();

    /// <summary>
    /// Called for every handshake; returning false rejects it with 403 and error code 4 ("Forbidden").
    /// </summary>
    public Func<HttpContext, ValueTask<bool>>? AllowRequest { get; set; }

    /// <summary>
    /// Handshakes one client address may make per minute, as a token bucket: up to this many at once, then
    /// this many per minute. Beyond it a handshake gets 429. IPv6 addresses count by their /64 network. Null
    /// turns the limit off. Default 600: a whole office behind one NAT (600 people) can reconnect at once
    /// after a restart, and one address opens at most 10 sessions a second for long.
    /// </summary>
    public int? HandshakesPerMinutePerIp { get; set; } = 600;

    /// <summary>
    /// Most sessions that may be pending at once: handshaken but not established (for Socket.IO, not yet in
    /// a namespace). A handshake beyond it gets 503. Pending sessions expire after
    /// <c>SocketIOOptions.ConnectTimeout</c>. Default 1024.
    /// </summary>
    public int MaxPendingSessions { get; set; } = 1024;

    /// <summary>
    /// Most pending sessions from one client address (IPv6: one /64); a handshake beyond it gets 429.
    /// Default 256, far above what one browser or even one NAT has pending at once (a session is pending
    /// only until its CONNECT, a round trip later).
    /// </summary>
    public int MaxPendingSessionsPerIp { get; set; } = 256;

    /// <summary>
    /// Most a session keeps of its handshake request: the characters of every header name and value (less
    /// the transport's own headers), query parameter and the URL. A larger handshake gets 431: cutting it
    /// could silently drop the cookie or token the application reads. Default 16 384.
    /// </summary>
    public int MaxHandshakeBytes { get; set; } = 16 * 1024;

    /// <summary>
    /// The host's <c>AllowedHosts</c> patterns (host filtering), copied in when the options are built: a host
    /// name on that list is vouched for, so a same-origin request to it may be trusted over plain HTTP.
    /// </summary>
    internal IReadOnlyList<string> AllowedHosts { get; set; } = [];

    /// <summary>The configuration section these options are bound from, named in messages about them.</summary>
    internal string SectionName { get; set; } = "EngineIO";
}
