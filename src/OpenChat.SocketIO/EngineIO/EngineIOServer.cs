using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using OpenChat.SocketIO.EngineIO;

namespace OpenChat.SocketIO.EngineIO;

/// <summary>
/// The Engine.IO server behind an endpoint (Node's <c>io.engine</c>): validates each request against the
/// reference error table, creates sessions on handshake and hands the rest to the session's transport. Its
/// events let an application watch refused requests and add response headers.
/// </summary>
public sealed partial class EngineIOServer
{
    private readonly EngineIOOptions _options;
    private readonly IEngineIOHandler _handler;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly OriginPolicy _origins;
    private readonly HandshakeRateLimiter? _rateLimiter;
    private readonly PendingSessions? _pending;
    private readonly LogThrottle _rateLimitedLog;
    private readonly LogThrottle _pendingFullLog;
    private readonly LogThrottle _tooLargeLog;
    private readonly SessionStore _sessions = new();
    private readonly RefusedProtocolLog _refusedProtocols;
    private readonly WebSocketAcceptContext _webSocketAccept;
    private readonly SocketIOMetrics? _metrics;
    private volatile bool _stopping;

    /// <param name="options">The endpoint's options.</param>
    /// <param name="handler">What runs on the sessions.</param>
    /// <param name="time">The clock.</param>
    /// <param name="logger">The endpoint's logger.</param>
    /// <param name="sessionsStartPending">
    /// Whether a new session counts as pending until the handler establishes it (Socket.IO: until it joins a
    /// namespace), within <see cref="EngineIOOptions.MaxPendingSessions"/>. A raw Engine.IO endpoint's
    /// sessions are established at once.
    /// </param>
    /// <param name="metrics">Where connections, packets and refusals are counted; none when null.</param>
    internal EngineIOServer(EngineIOOptions options, IEngineIOHandler handler, TimeProvider time, ILogger logger, bool sessionsStartPending = false, SocketIOMetrics? metrics = null)
    {
        _metrics = metrics;
        metrics?.Track(this);
        _options = options;
        _handler = handler;
        _time = time;
        _logger = logger;
        _origins = new OriginPolicy(options, logger);
        _refusedProtocols = new RefusedProtocolLog(logger);
        var deflate = options.PerMessageDeflate;
        _webSocketAccept = new WebSocketAcceptContext
        {
            // Engine.IO's heartbeat already keeps the connection alive and detects a dead peer; the WebSocket
            // layer's own keep-alive (an unsolicited pong every two minutes by default) would only add a timer
            // per connection and frames no client needs.
            KeepAliveInterval = TimeSpan.Zero,
            DangerousEnableCompression = deflate.Enabled,
            DisableServerContextTakeover = !deflate.ContextTakeover,
            ServerMaxWindowBits = deflate.ServerMaxWindowBits,
        };
        if (options.HandshakesPerMinutePerIp is int limit)
        {
            _rateLimiter = new HandshakeRateLimiter(limit, time);
        }

        if (sessionsStartPending)
        {
            _pending = new PendingSessions(options.MaxPendingSessions, options.MaxPendingSessionsPerIp);
        }

        _rateLimitedLog = new LogThrottle(LimitWarningInterval, time);
        _pendingFullLog = new LogThrottle(LimitWarningInterval, time);
        _tooLargeLog = new LogThrottle(LimitWarningInterval, time);
    }

    /// <summary>
    /// A request was refused (Node's <c>connection_error</c>): an unknown transport or session id, a bad
    /// handshake method or request, a refused origin or <see cref="EngineIOOptions.AllowRequest"/>, an
    /// unsupported protocol version, too many handshakes or pending sessions, too large a handshake. Carries the request, the code and message the
    /// client receives, and the HTTP status. Listeners run on the request's thread, before the answer is
    /// written: keep them short (a metric, a log line); one that throws is logged and the answer still goes.
    /// </summary>
    public event Action<EngineConnectionError>? ConnectionError;

    /// <summary>
    /// The response to a handshake (the first request of a session, polling or WebSocket) is about to be
    /// written (Node's <c>initial_headers</c>): add headers to it, a <c>Set-Cookie</c> for instance.
    /// </summary>
    public event Action<IHeaderDictionary, HttpRequest>? InitialHeaders;

    /// <summary>
    /// The response to any request of a session (the handshake, each poll and post, the WebSocket upgrade) is
    /// about to be written (Node's <c>headers</c>): add headers to it.
    /// </summary>
    public event Action<IHeaderDictionary, HttpRequest>? Headers;

    /// <summary>Open sessions.</summary>
    internal int SessionCount => _sessions.Count;

    /// <summary>Least time between two warnings about refused handshakes of one kind; each carries a count.</summary>
    internal static TimeSpan LimitWarningInterval { get; } = TimeSpan.FromSeconds(10);

    /// <summary>The clock of this endpoint's sessions.</summary>
    internal TimeProvider Time => _time;

    /// <summary>Sessions not established yet (for Socket.IO: in no namespace).</summary>
    internal int PendingSessionCount => _pending?.Count ?? 0;

    /// <summary>The live sessions (for tests and diagnostics).</summary>
    internal IEnumerable<EngineSession> Sessions => _sessions.All;

    /// <summary>How many sessions wait for the pong of a ping.</summary>
    internal int SessionsAwaitingPong => _sessions.All.Count(s => s.AwaitingPong);

    /// <summary>How many frames session <paramref name="sid"/> has waiting to be sent (0 when it is gone).</summary>
    internal int QueuedFrames(string sid) => _sessions.TryGet(sid, out var session) ? session.Queue.Count : 0;

    /// <summary>Whether session <paramref name="sid"/> holds a GET waiting for data.</summary>
    internal bool HasPendingPoll(string sid) => _sessions.TryGet(sid, out var session) && session.Polling is { HasPendingGet: true };

    internal async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        if (!_origins.IsAllowed(request))
        {
            CountRefusal(request, HandshakeRefusals.Origin);
            await RefuseAsync(context, EngineErrorCode.Forbidden);
            return;
        }

        _origins.ApplyHeaders(context);
        if (HttpMethods.IsOptions(request.Method))
        {
            context.Response.StatusCode = StatusCodes.Status204NoContent;
            return;
        }

        var query = request.Query;
        var transport = query["transport"].ToString();
        var isPolling = transport == "polling" && _options.Transports.HasFlag(EngineTransports.Polling);
        var isWebSocket = transport == "websocket" && _options.Transports.HasFlag(EngineTransports.WebSocket);
        if (!isPolling && !isWebSocket)
        {
            CountRefusal(request, HandshakeRefusals.UnknownTransport);
            await RejectAsync(context, EngineErrorCode.TransportUnknown);
            return;
        }

        var version = query["EIO"].ToString();
        if (version != "4" && !(version == "3" && _options.AllowEIO3))
        {
            CountRefusal(request, HandshakeRefusals.UnsupportedProtocolVersion);
            _refusedProtocols.Refused(context.Connection.RemoteIpAddress, version, _options.AllowEIO3);
            await RejectAsync(context, EngineErrorCode.UnsupportedProtocolVersion);
            return;
        }

        if (isWebSocket != context.WebSockets.IsWebSocketRequest)
        {
            CountRefusal(request, HandshakeRefusals.BadRequest);
            await RejectAsync(context, EngineErrorCode.BadRequest);
            return;
        }

        var sid = query["sid"].ToString();
        if (sid.Length > 0)
        {
            await HandleSessionRequestAsync(context, sid, isWebSocket);
        }
        else
        {
            await HandleHandshakeAsync(context, isWebSocket);
        }
    }

    /// <summary>New handshakes are refused from now on (403, as the reference server does once closed).</summary>
    internal void BeginStopping() => _stopping = true;

    /// <summary>Closes every session: a close packet is flushed to each client within the close timeout.</summary>
    internal async Task CloseAllAsync(string reason)
    {
        _stopping = true;
        var closing = new List<Task>();
        foreach (var session in _sessions.All)
        {
            session.Close(reason, graceful: true);
            closing.Add(session.Released);
        }

        await Task.WhenAll(closing);
    }

    private async Task HandleSessionRequestAsync(HttpContext context, string sid, bool isWebSocket)
    {
        if (!_sessions.TryGet(sid, out var session) || session.CloseIfHeartbeatOverdue())
        {
            await RejectAsync(context, EngineErrorCode.UnknownSid);
            return;
        }

        // A request as another user (or none) than the one who opened the session gets the very answer an
        // unknown id gets: the id opens nothing for them, and tells them nothing. The session is untouched,
        // so nobody can end someone else's session by replaying its id.
        if (!SessionIdentity.Matches(session.Handshake, context.User))
        {
            Log.ForeignIdentity(_logger, session.Id, context.Request.Method, isWebSocket ? "websocket" : "polling");
            await EngineErrorResponse.WriteAsync(context, EngineErrorCode.UnknownSid);
            return;
        }

        if (isWebSocket)
        {
            RaiseHeaders(context, initial: false);
            await UpgradeAsync(context, session);
            return;
        }

        // After an upgrade the polling transport is gone: its requests are refused.
        if (session.Polling is not { } polling)
        {
            await RejectAsync(context, EngineErrorCode.BadRequest);
            return;
        }

        if (HttpMethods.IsGet(context.Request.Method))
        {
            RaiseHeaders(context, initial: false);
            if (!await polling.HandleGetAsync(context))
            {
                // Still waiting when the upgrade completed: it is a request after the upgrade packet.
                await RejectAsync(context, EngineErrorCode.BadRequest);
            }
        }
        else if (HttpMethods.IsPost(context.Request.Method))
        {
            RaiseHeaders(context, initial: false);
            await polling.HandlePostAsync(context);
        }
        else
        {
            await RejectAsync(context, EngineErrorCode.BadRequest);
        }
    }

    private async Task UpgradeAsync(HttpContext context, EngineSession session)
    {
        var socket = await context.WebSockets.AcceptWebSocketAsync(_webSocketAccept);
        var candidate = new WebSocketTransport(socket, session, _time, context.Features.Get<ReadReceiptStream>());
        if (!session.TryBeginUpgrade(candidate))
        {
            // Already upgrading or upgraded: this second WebSocket is closed, the session carries on.
            Log.DuplicateUpgrade(_logger, session.Id);
            using (socket)
            {
                await CloseQuietlyAsync(socket);
            }

            return;
        }

        await candidate.RunAsync(upgrading: true);
    }

    private async Task HandleHandshakeAsync(HttpContext context, bool isWebSocket)
    {
        if (!HttpMethods.IsGet(context.Request.Method))
        {
            _metrics?.HandshakeRefused(HandshakeRefusals.BadMethod);
            await RejectAsync(context, EngineErrorCode.BadHandshakeMethod);
            return;
        }

        if (_stopping || (_options.AllowRequest is { } allow && !await allow(context)))
        {
            _metrics?.HandshakeRefused(HandshakeRefusals.Forbidden);
            await RejectAsync(context, EngineErrorCode.Forbidden);
            return;
        }

        var address = context.Connection.RemoteIpAddress;
        if (_rateLimiter is not null && !_rateLimiter.TryAcquire(address))
        {
            _metrics?.HandshakeRefused(HandshakeRefusals.RateLimited);
            if (_rateLimitedLog.Count() is long refused)
            {
                Log.HandshakeRateLimited(_logger, address?.ToString(), refused, LimitWarningInterval.TotalSeconds);
            }

            // The reference table has no code for this; 429 says what happened and code 3 keeps the body's shape.
            await RefuseAsync(context, StatusCodes.Status429TooManyRequests, EngineErrorCode.BadRequest, "Too many handshakes");
            return;
        }

        var handshake = HandshakeRequest.TryCapture(context, _time.GetUtcNow(), _options.MaxHandshakeBytes);
        if (handshake is null)
        {
            _metrics?.HandshakeRefused(HandshakeRefusals.TooLarge);
            if (_tooLargeLog.Count() is long refused)
            {
                Log.HandshakeTooLarge(_logger, address?.ToString(), _options.MaxHandshakeBytes, refused, LimitWarningInterval.TotalSeconds);
            }

            await RefuseAsync(context, StatusCodes.Status431RequestHeaderFieldsTooLarge, EngineErrorCode.BadRequest, "Handshake too large");
            return;
        }

        PendingSessions.Slot? slot = null;
        if (_pending is not null)
        {
            slot = _pending.TryEnter(address, out var refusal);
            if (slot is null)
            {
                _metrics?.HandshakeRefused(HandshakeRefusals.TooManyPending);
                await RefusePendingAsync(context, refusal, address);
                return;
            }
        }

        var session = new EngineSession(SessionIdGenerator.NewId(), handshake, _options, _handler, _time, _logger, _sessions, slot, _metrics);
        if (!_sessions.TryAdd(session))
        {
            // Two identical 120-bit random ids: refuse rather than mix sessions.
            slot?.Release();
            context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            return;
        }

        using var scope = _logger.BeginScope(new SessionLogScope(session.Id));
        Log.SessionOpened(_logger, session.Id, isWebSocket ? "websocket" : "polling");
        RaiseHeaders(context, initial: true);
        if (isWebSocket)
        {
            var socket = await context.WebSockets.AcceptWebSocketAsync(_webSocketAccept);
            var webSocket = new WebSocketTransport(socket, session, _time, context.Features.Get<ReadReceiptStream>());
            session.Open(webSocket, canUpgrade: false);
            await webSocket.RunAsync(upgrading: false);
            return;
        }

        var polling = new PollingTransport(session);
        session.Open(polling, canUpgrade: _options.AllowUpgrades && _options.Transports.HasFlag(EngineTransports.WebSocket));
        await polling.HandleGetAsync(context); // the handshake's poll: no upgrade can have been probed before it
    }

    private Task RefusePendingAsync(HttpContext context, PendingRefusal refusal, System.Net.IPAddress? address)
    {
        var overall = refusal == PendingRefusal.Overall;
        if (_pendingFullLog.Count() is long refused)
        {
            Log.TooManyPending(_logger, overall ? "the server" : $"address {address}", overall ? _options.MaxPendingSessions : _options.MaxPendingSessionsPerIp, refused, LimitWarningInterval.TotalSeconds);
        }

        // Overall it is the server that is full (503, come back later); per address it is this client (429).
        return overall
            ? RefuseAsync(context, StatusCodes.Status503ServiceUnavailable, EngineErrorCode.BadRequest, "Too many pending sessions")
            : RefuseAsync(context, StatusCodes.Status429TooManyRequests, EngineErrorCode.BadRequest, "Too many pending sessions from this address");
    }

    // A request without a sid is a handshake; those with one belong to a session and are not refusals of a new client.
    private void CountRefusal(HttpRequest request, string reason)
    {
        if (_metrics is not null && request.Query["sid"].Count == 0 && !HttpMethods.IsOptions(request.Method))
        {
            _metrics.HandshakeRefused(reason);
        }
    }

    private async Task RejectAsync(HttpContext context, EngineErrorCode code)
    {
        Log.RequestRejected(_logger, (int)code, EngineErrorMessages.For(code), context.Request.Method, context.Request.QueryString.Value);
        await RefuseAsync(context, code);
    }

    private Task RefuseAsync(HttpContext context, EngineErrorCode code) =>
        RefuseAsync(context, EngineErrorMessages.StatusCode(code), code, EngineErrorMessages.For(code));

    /// <summary>Writes an error answer, after telling the <see cref="ConnectionError"/> listeners.</summary>
    private Task RefuseAsync(HttpContext context, int statusCode, EngineErrorCode code, string message)
    {
        if (ConnectionError is { } listeners)
        {
            var error = new EngineConnectionError(context.Request, code, message, statusCode);
            foreach (var listener in listeners.GetInvocationList())
            {
                try
                {
                    ((Action<EngineConnectionError>)listener)(error);
                }
                catch (Exception ex)
                {
                    Log.ListenerFailed(_logger, ex, nameof(ConnectionError));
                }
            }
        }

        return EngineErrorResponse.WriteAsync(context, statusCode, code, message);
    }

    /// <summary>Lets the listeners add headers to a session's response before it is written.</summary>
    private void RaiseHeaders(HttpContext context, bool initial)
    {
        if (initial)
        {
            Raise(InitialHeaders, context, nameof(InitialHeaders));
        }

        Raise(Headers, context, nameof(Headers));
    }

    private void Raise(Action<IHeaderDictionary, HttpRequest>? listeners, HttpContext context, string name)
    {
        if (listeners is null)
        {
            return;
        }

        foreach (var listener in listeners.GetInvocationList())
        {
            try
            {
                ((Action<IHeaderDictionary, HttpRequest>)listener)(context.Response.Headers, context.Request);
            }
            catch (Exception ex)
            {
                Log.ListenerFailed(_logger, ex, name);
            }
        }
    }

    private static async Task CloseQuietlyAsync(System.Net.WebSockets.WebSocket socket)
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            await socket.CloseAsync(System.Net.WebSockets.WebSocketCloseStatus.PolicyViolation, "already upgraded", timeout.Token);
        }
        catch (Exception ex) when (ex is OperationCanceledException or System.Net.WebSockets.WebSocketException or IOException)
        {
        }
    }
}
