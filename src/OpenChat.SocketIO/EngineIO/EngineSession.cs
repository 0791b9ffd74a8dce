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
    private readonly ISessionRegistry _registry;
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
        ISessionRegistry registry,
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
        _registry = registry;
        Queue = new OutgoingQueue(options.MaxQueuedOutgoingBytes);
        Codec = handshake.Query.GetValueOrDefault("EIO") == "3" ? EngineV3Codec.Instance : EngineV4Codec.Instance;
        Base64Binary = Codec.Version == 3 && !string.IsNullOrEmpty(handshake.Query.GetValueOrDefault("b64"));
        _heartbeat = new Heartbeat(this, time, options.PingInterval, options.PingTimeout, clientPings: Codec.Version == 3);
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
            _protocolVersion = Codec.Version == 3 ? "3" : "4";
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
            case EnginePacketType.Pong when Protocol == 3:
                Log.ProtocolViolation(_logger, Id, "pong from a v3 client");
                Close(DisconnectReasons.TransportError, graceful: false);
                break;
            case EnginePacketType.Pong:
                _heartbeat.OnPong();
                break;
            case EnginePacketType.Ping when Protocol == 3:
                // In v3 the client pings and the server answers.
                _heartbeat.OnClientPing();
                Send(EngineFrame.Pong);
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

    /// <summary>A transport failed or broke a rule: the session closes if it was the current one; a candidate is dropped.</summary>
    internal void OnTransportError(IEngineTransport transport, string reason) => OnTransportEnded(transport, reason);

    /// <summary>The client closed or left a transport.</summary>
    internal void OnTransportClosed(IEngineTransport transport) => OnTransportEnded(transport, DisconnectReasons.TransportClose);

    /// <summary>
    /// The transport handed the client its last frame: after a graceful close, closing → closed; after the
    /// client closed a polling session, its last poll was answered. Either way the id is released.
    /// </summary>
    internal void OnDrained(IEngineTransport transport)
    {
        lock (_sync)
        {
            if (_transport != transport || _state < EngineSessionState.Closing)
            {
                return;
            }

            _state = EngineSessionState.Closed;
        }

        Release();
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

    /// <summary>
    /// The client probed the candidate: from now on a poll is one sent after the probe (see
    /// <see cref="PollingTransport.ProbedPollGrace"/>). Marked before <c>3probe</c> is written, so a poll that
    /// arrives while it is being written counts as one sent after the probe too.
    /// </summary>
    internal void OnUpgradeProbed(IEngineTransport candidate)
    {
        lock (_sync)
        {
            if (_upgrade?.Candidate == candidate)
            {
                _upgrade.MarkProbed();
            }
        }
    }

    /// <summary>The probe's answer is written: the pending poll is answered so the client can pause polling.</summary>
    internal void OnUpgradeProbeAnswered(IEngineTransport candidate)
    {
        IEngineTransport? current;
        lock (_sync)
        {
            if (_upgrade is not { Probed: true } upgrade || upgrade.Candidate != candidate)
            {
                return;
            }

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
        bool closedByClient;
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
            closedByClient = _closedByClient;
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
        else if (closedByClient && transport is { Name: "polling" })
        {
            // The client closed over polling, and its last poll may be on the way still: the reference
            // client sends the close packet and a poll at once, and the server may see them in either order.
            // The session keeps its id until that poll is answered with a noop (a poll pending now is
            // answered at once) or the close timeout ends; it no longer counts as open.
            Queue.Complete();
            _registry.OnHeldAfterClose(this);
            _closeTimer = _time.CreateTimer(static s => ((EngineSession)s!).Release(), this, _options.CloseTimeout, Timeout.InfiniteTimeSpan);
            transport.Abort();
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
        _registry.OnReleased(this);
        _released.TrySetResult();
    }

    /// <summary>
    /// Closes with "ping timeout" when the pong is past its deadline though the timer has not fired yet (a
    /// busy machine runs timers late), so a request at that point finds the session gone, as the client's
    /// own clock says it should be. True when it closed the session.
    /// </summary>
    internal bool CloseIfHeartbeatOverdue()
    {
        if (!_heartbeat.IsOverdue)
        {
            return false;
        }

        OnPingTimedOut();
        return true;
    }

    internal void OnPingTimedOut()
    {
        Log.PingTimedOut(_logger, Id);
        Close(DisconnectReasons.PingTimeout, graceful: false);
    }

    /// <inheritdoc />
    public override string ToString() => $"EngineSession {Id} ({Transport})";
}
