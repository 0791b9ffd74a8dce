using System.Net;
using Microsoft.Extensions.Logging;

namespace OpenChat.SocketIO.EngineIO;

/// <summary>
/// One Engine.IO session and the single owner of its life: opening → open ⇄ upgrading → closing → closed
/// (<see cref="EngineSessionState"/>). It owns the outgoing queue, the heartbeat, the current transport and
/// an upgrade in progress. Transports only report what happened (a packet, drained, failed, closed by the
/// client); every decision is taken here, under one short lock.
/// </summary>
public sealed partial class EngineSession
{
    private readonly Lock _sync = new();
    private readonly EngineIOOptions _options;
    private readonly IEngineIOHandler _handler;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Action<EngineSession> _onReleased;
    private readonly Heartbeat _heartbeat;
    private readonly TaskCompletionSource _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private EngineSessionState _state = EngineSessionState.Opening;
    private IEngineTransport? _transport;
    private TransportUpgrade? _upgrade;
    private ITimer? _closeTimer;
    private bool _closedByClient;
    private int _releasedFlag;
    private PendingSessions.Slot? _pending;
    private long _openedAt;
    private bool _counted;
    private string _protocolVersion = "4";

    internal EngineSession(
        string id,
        HandshakeRequest handshake,
        EngineIOOptions options,
        IEngineIOHandler handler,
        TimeProvider time,
        ILogger logger,
        Action<EngineSession> onReleased,
        PendingSessions.Slot? pending = null,
        SocketIOMetrics? metrics = null)
    {
        Id = id;
        Metrics = metrics;
        _pending = pending;
        Handshake = handshake;
        _options = options;
        _handler = handler;
        _time = time;
        _logger = logger;
        _onReleased = onReleased;
        Queue = new OutgoingQueue(options.MaxQueuedOutgoingBytes);
        _heartbeat = new Heartbeat(time, options.PingInterval, options.PingTimeout, SendPing, OnPingTimedOut);
    }

    /// <summary>The session id (the <c>sid</c> query parameter).</summary>
    public string Id { get; }

    /// <summary>The handshake request.</summary>
    public HandshakeRequest Handshake { get; }

    /// <summary>The client's IP address.</summary>
    public IPAddress? RemoteAddress => Handshake.RemoteAddress;

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

    internal EngineIOOptions Options => _options;

    internal ILogger Logger => _logger;

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

    /// <summary>An upgrade is under way and the client probed the new transport: polls are answered at once.</summary>
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

    /// <summary>Closes the session: queued packets are flushed, then a close packet is sent.</summary>
    public void Close() => Close(DisconnectReasons.ForcedClose, graceful: true);

    /// <summary>Whether the session still counts as pending (handshaken, not established by the application above).</summary>
    internal bool IsPending => Volatile.Read(ref _pending) is not null;

    /// <summary>The application above took the session (Socket.IO: it joined a namespace): it no longer counts as pending.</summary>
    internal void Establish() => Interlocked.Exchange(ref _pending, null)?.Release();

    /// <summary>Opening → open: the handshake answer is queued on <paramref name="transport"/> and the heartbeat starts.</summary>
    internal void Open(IEngineTransport transport, bool canUpgrade)
    {
        lock (_sync)
        {
            if (_state != EngineSessionState.Opening)
            {
                return;
            }

            _transport = transport;
            _state = EngineSessionState.Open;
        }

        Queue.TryEnqueue(OpenPacket.Create(Id, canUpgrade, _options.PingInterval, _options.PingTimeout, _options.MaxHttpBufferSize));
        if (Metrics is not null)
        {
            _openedAt = _time.GetTimestamp();
            _counted = true;
            _protocolVersion = Handshake.Query.TryGetValue("EIO", out var version) && version == "3" ? "3" : "4";
            Metrics.ConnectionOpened(transport.Name, _protocolVersion);
        }

        _heartbeat.Start();
        _handler.OnOpen(this);
    }

    /// <summary>A packet from the current transport; the transport awaits it before reading the next.</summary>
    internal ValueTask OnPacketAsync(EnginePacket packet)
    {
        switch (packet.Type)
        {
            case EnginePacketType.Message:
                return IsClosed ? ValueTask.CompletedTask : _handler.OnMessageAsync(this, packet);
            case EnginePacketType.Pong:
                _heartbeat.OnPong();
                break;
            case EnginePacketType.Close:
                lock (_sync)
                {
                    _closedByClient = _state < EngineSessionState.Closing;
                }

                Close(DisconnectReasons.TransportClose, graceful: false);
                break;
            case EnginePacketType.Ping:
                // In v4 the server pings; a client ping outside an upgrade probe breaks the protocol.
                Log.ProtocolViolation(_logger, Id, "ping from client");
                Close(DisconnectReasons.TransportError, graceful: false);
                break;
            default:
                // open, upgrade and noop carry no meaning on an established transport.
                break;
        }

        return ValueTask.CompletedTask;
    }

    /// <summary>Open → upgrading, when the session is on polling and upgrades are allowed.</summary>
    internal bool TryBeginUpgrade(IEngineTransport candidate)
    {
        lock (_sync)
        {
            if (_state != EngineSessionState.Open || _transport?.Name != "polling" || !_options.AllowUpgrades)
            {
                return false;
            }

            _upgrade = new TransportUpgrade(candidate, _time, _options.UpgradeTimeout, OnUpgradeTimedOut);
            _state = EngineSessionState.Upgrading;
            return true;
        }
    }

    /// <summary>The client probed the candidate: the pending poll is answered so the client can pause polling.</summary>
    internal void OnUpgradeProbe(IEngineTransport candidate)
    {
        IEngineTransport? current;
        lock (_sync)
        {
            if (_upgrade?.Candidate != candidate)
            {
                return;
            }

            _upgrade.MarkProbed();
            current = _transport;
        }

        current?.Release();
    }

    /// <summary>Upgrading → open on the candidate, when the client sends the upgrade packet. False when it is too late.</summary>
    internal bool OnUpgradeRequested(IEngineTransport candidate)
    {
        IEngineTransport? previous;
        TransportUpgrade upgrade;
        lock (_sync)
        {
            if (_state != EngineSessionState.Upgrading || _upgrade is null || _upgrade.Candidate != candidate)
            {
                return false;
            }

            upgrade = _upgrade;
            _upgrade = null;
            previous = _transport;
            Volatile.Write(ref _transport, candidate);
            _state = EngineSessionState.Open;
        }

        upgrade.Dispose();

        // The retired polling transport answers its pending poll; its later requests are refused.
        previous?.Release();
        Metrics?.Upgraded(_protocolVersion);
        Log.Upgraded(_logger, Id);
        try
        {
            _handler.OnUpgraded(this);
        }
        catch (Exception ex)
        {
            Log.HandlerFailed(_logger, Id, ex);
        }

        return true;
    }

    /// <summary>A transport failed or broke a rule: the session closes if it was the current one; a candidate is dropped.</summary>
    internal void OnTransportError(IEngineTransport transport, string reason) => OnTransportEnded(transport, reason);

    /// <summary>The client closed or left a transport.</summary>
    internal void OnTransportClosed(IEngineTransport transport) => OnTransportEnded(transport, DisconnectReasons.TransportClose);

    /// <summary>After a graceful close, the transport handed the client its last frame: closing → closed.</summary>
    internal void OnDrained(IEngineTransport transport)
    {
        lock (_sync)
        {
            if (_state != EngineSessionState.Closing || _transport != transport)
            {
                return;
            }

            _state = EngineSessionState.Closed;
        }

        Release();
    }

    /// <summary>
    /// Closes once. A graceful close (→ closing) lets the transport flush the queue and a close packet within
    /// <see cref="EngineIOOptions.CloseTimeout"/>; a hard close (→ closed) stops the transport now. A hard close
    /// while closing cuts the flush short.
    /// </summary>
    internal void Close(string reason, bool graceful)
    {
        IEngineTransport? transport;
        TransportUpgrade? upgrade;
        bool cutShort;
        lock (_sync)
        {
            if (_state == EngineSessionState.Closed || (_state == EngineSessionState.Closing && graceful))
            {
                return;
            }

            cutShort = _state == EngineSessionState.Closing;
            _state = graceful ? EngineSessionState.Closing : EngineSessionState.Closed;
            transport = _transport;
            upgrade = _upgrade;
            _upgrade = null;
        }

        if (cutShort)
        {
            // Already closing: the close handler has run; only the flush is cut short.
            transport?.Abort();
            Release();
            return;
        }

        _heartbeat.Dispose();

        // A closing session frees its pending place at once, whether or not it still has packets to flush.
        Establish();
        if (upgrade is not null)
        {
            upgrade.Dispose();
            upgrade.Candidate.Abort();
        }

        if (graceful)
        {
            // The session stays findable by its sid until the transport has delivered the close packet:
            // a polling client must still be able to fetch it with its next GET.
            Queue.CompleteWith(EngineFrame.Close);
            _closeTimer = _time.CreateTimer(static s => ((EngineSession)s!).OnCloseTimedOut(), this, _options.CloseTimeout, Timeout.InfiniteTimeSpan);
            transport?.Release();
        }
        else
        {
            Queue.Complete();
            transport?.Abort();
            Release();
        }

        Log.SessionClosed(_logger, Id, reason);
        if (Metrics is not null && _counted)
        {
            Metrics.ConnectionClosed(transport?.Name ?? "polling", _protocolVersion, reason, _time.GetElapsedTime(_openedAt));
        }

        try
        {
            _handler.OnClose(this, reason);
        }
        catch (Exception ex)
        {
            Log.HandlerFailed(_logger, Id, ex);
        }
        finally
        {
            _closed.TrySetResult();
        }
    }

    private void OnTransportEnded(IEngineTransport transport, string reason)
    {
        TransportUpgrade? abandoned = null;
        bool isCurrent;
        lock (_sync)
        {
            isCurrent = _transport == transport;
            if (!isCurrent && _upgrade?.Candidate == transport)
            {
                abandoned = _upgrade;
            }
        }

        if (abandoned is not null)
        {
            AbandonUpgrade(abandoned);
        }
        else if (isCurrent)
        {
            Close(reason, graceful: false);
        }
    }

    private void OnUpgradeTimedOut(TransportUpgrade upgrade)
    {
        Log.UpgradeTimedOut(_logger, Id);
        AbandonUpgrade(upgrade);
    }

    /// <summary>Upgrading → open on polling again; the candidate is stopped.</summary>
    private void AbandonUpgrade(TransportUpgrade upgrade)
    {
        lock (_sync)
        {
            if (_upgrade != upgrade)
            {
                return;
            }

            _upgrade = null;
            if (_state == EngineSessionState.Upgrading)
            {
                _state = EngineSessionState.Open;
            }
        }

        upgrade.Dispose();
        upgrade.Candidate.Abort();
        Log.UpgradeAbandoned(_logger, Id);
    }

    private void OnCloseTimedOut()
    {
        IEngineTransport? transport;
        lock (_sync)
        {
            if (_state != EngineSessionState.Closing)
            {
                return;
            }

            _state = EngineSessionState.Closed;
            transport = _transport;
        }

        Log.CloseTimedOut(_logger, Id);
        transport?.Abort();
        Release();
    }

    /// <summary>Leaves the session store, once.</summary>
    private void Release()
    {
        if (Interlocked.Exchange(ref _releasedFlag, 1) == 1)
        {
            return;
        }

        _closeTimer?.Dispose();
        List<(long Frames, TaskCompletionSource Sent)>? waiters;
        lock (_sync)
        {
            waiters = _sendWaiters;
            _sendWaiters = null;
        }

        waiters?.ForEach(static w => w.Sent.TrySetResult());
        _onReleased(this);
        _released.TrySetResult();
    }

    private void OnPingTimedOut()
    {
        Log.PingTimedOut(_logger, Id);
        Close(DisconnectReasons.PingTimeout, graceful: false);
    }

    /// <inheritdoc />
    public override string ToString() => $"EngineSession {Id} ({Transport})";
}
