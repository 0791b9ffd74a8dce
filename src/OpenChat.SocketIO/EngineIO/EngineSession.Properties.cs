using System.Net;
using Microsoft.Extensions.Logging;

namespace OpenChat.SocketIO.EngineIO;

// What a session tells about itself. Its transitions, every one of them, are in EngineSession.cs.
public sealed partial class EngineSession
{
    /// <summary>The session id (the <c>sid</c> query parameter).</summary>
    public string Id { get; }

    /// <summary>The handshake request.</summary>
    public HandshakeRequest Handshake { get; }

    /// <summary>The client's IP address.</summary>
    public IPAddress? RemoteAddress => Handshake.RemoteAddress;

    /// <summary>
    /// The Engine.IO protocol version the client speaks: 4, or 3 for Socket.IO 2.x clients (served when
    /// <see cref="EngineIOOptions.AllowEIO3"/> is on).
    /// </summary>
    public int Protocol => Codec.Version;

    /// <summary>"polling" or "websocket".</summary>
    public string Transport => Volatile.Read(ref _transport)?.Name ?? "polling";

    /// <summary>Whether the session is closing or closed: nothing more can be sent.</summary>
    public bool IsClosed => Status >= EngineSessionState.Closing;

    /// <summary>Completes when the session has closed (its close handler has run).</summary>
    public Task Closed => _closed.Task;

    /// <summary>State the application above Engine.IO attaches to the session.</summary>
    public object? State { get; set; }

    /// <summary>Bytes waiting to be sent to this client.</summary>
    public long QueuedBytes => Queue.QueuedBytes;

    /// <summary>
    /// Completes when the session has left the session store: at once on a hard close; after a graceful
    /// close, once its last packets went to the client or the close timeout ran out.
    /// </summary>
    internal Task Released => _released.Task;

    internal OutgoingQueue Queue { get; }

    /// <summary>Where the session's life and traffic are counted; null when nothing counts.</summary>
    internal SocketIOMetrics? Metrics { get; }

    /// <summary>The framing of <see cref="Protocol"/>.</summary>
    internal IEngineCodec Codec { get; }

    /// <summary>A v3 client without binary support (<c>b64</c> in its handshake): binary packets reach it as base64 text.</summary>
    internal bool Base64Binary { get; }

    internal EngineIOOptions Options => _options;

    internal ILogger Logger => _logger;

    internal TimeProvider Time => _time;

    internal EngineSessionState Status
    {
        get
        {
            lock (_sync)
            {
                return _state;
            }
        }
    }

    /// <summary>The polling transport while it is the current one; null once the session is on WebSocket.</summary>
    internal PollingTransport? Polling => Volatile.Read(ref _transport) as PollingTransport;

    /// <summary>The client sent a close packet (a pending poll is then answered with a noop, not a close).</summary>
    internal bool ClosedByClient
    {
        get
        {
            lock (_sync)
            {
                return _closedByClient;
            }
        }
    }

    /// <summary>A ping is out and its pong has not come back.</summary>
    internal bool AwaitingPong => _heartbeat.AwaitingPong;

    /// <summary>An upgrade is under way and the client probed the new transport: a poll sent now gets its noop after <see cref="PollingTransport.ProbedPollGrace"/>.</summary>
    internal bool IsUpgradeProbed
    {
        get
        {
            lock (_sync)
            {
                return _upgrade is { Probed: true };
            }
        }
    }
}
