using System.Net;
using Microsoft.Extensions.Logging;
using OpenChat.SocketIO.EngineIO;

namespace OpenChat.SocketIO.EngineIO;

/// <summary>
/// One Engine.IO session: its outgoing queue, heartbeat, current transport and the upgrade between
/// transports. Status changes take a short lock; everything else is lock-free.
/// </summary>
public sealed partial class EngineSession
{
    private readonly Lock _sync = new();
    private readonly EngineIOOptions _options;
    private readonly IEngineIOHandler _handler;
    private readonly ILogger _logger;
    private readonly ITimer _heartbeat;
    private readonly CancellationTokenSource _abort;
    private readonly Action<EngineSession> _onClosed;
    private readonly TaskCompletionSource _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _drained = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _released;
    private bool _awaitingPong;
    private bool _isClosed;
    private bool _upgrading;
    private bool _probed;

    internal EngineSession(
        string id,
        HandshakeRequest handshake,
        EngineIOOptions options,
        IEngineIOHandler handler,
        TimeProvider time,
        ILogger logger,
        Action<EngineSession> onClosed)
    {
        Id = id;
        Handshake = handshake;
        _options = options;
        _handler = handler;
        _logger = logger;
        _onClosed = onClosed;
        Queue = new OutgoingQueue(options.MaxQueuedOutgoingBytes);
        Polling = new PollingTransport(this);
        _abort = new CancellationTokenSource(Timeout.InfiniteTimeSpan, time);
        _heartbeat = time.CreateTimer(static s => ((EngineSession)s!).OnHeartbeatTimer(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    /// <summary>The session id (the <c>sid</c> query parameter).</summary>
    public string Id { get; }

    /// <summary>The handshake request.</summary>
    public HandshakeRequest Handshake { get; }

    /// <summary>The client's IP address.</summary>
    public IPAddress? RemoteAddress => Handshake.RemoteAddress;

    /// <summary>"polling" or "websocket".</summary>
    public string Transport => IsWebSocket ? "websocket" : "polling";

    /// <summary>Whether the session is closed.</summary>
    public bool IsClosed => Volatile.Read(ref _isClosed);

    /// <summary>Completes when the session has closed.</summary>
    public Task Closed => _closed.Task;

    /// <summary>State the application above Engine.IO attaches to the session.</summary>
    public object? State { get; set; }

    /// <summary>Bytes waiting to be sent to this client.</summary>
    public long QueuedBytes => Queue.QueuedBytes;

    /// <summary>
    /// Completes when a closed session has handed its last packets to the client (or ran out of time doing
    /// so) and has left the session store.
    /// </summary>
    internal Task Drained => _drained.Task;

    internal OutgoingQueue Queue { get; }

    internal PollingTransport Polling { get; }

    internal bool IsWebSocket { get; private set; }

    internal EngineIOOptions Options => _options;

    internal ILogger Logger => _logger;

    /// <summary>Cancelled when the session must stop at once: a hard close, or a graceful one that ran out of time.</summary>
    internal CancellationToken Aborted => _abort.Token;

    internal bool UpgradeProbed
    {
        get
        {
            lock (_sync)
            {
                return _upgrading && _probed;
            }
        }
    }

    /// <summary>Sends a text message.</summary>
    public bool Send(string text) => Send(EngineFrame.Text(EnginePacketType.Message, text));

    /// <summary>Sends a binary message.</summary>
    public bool Send(ReadOnlyMemory<byte> data) => Send(EngineFrame.Binary(data));

    /// <summary>Closes the session: queued packets are flushed, then a close packet is sent.</summary>
    public void Close() => Close(DisconnectReasons.ForcedClose, graceful: true);

    internal bool Send(EngineFrame frame) => Send(new ReadOnlySpan<EngineFrame>(in frame));

    internal bool Send(ReadOnlySpan<EngineFrame> frames)
    {
        if (IsClosed)
        {
            return false;
        }

        if (Queue.TryEnqueue(frames))
        {
            return true;
        }

        if (!IsClosed)
        {
            Log.OutgoingQueueFull(_logger, Id, Queue.QueuedBytes);
            Close(DisconnectReasons.TransportError, graceful: false);
        }

        return false;
    }

    internal void Start(bool isWebSocket, bool canUpgrade)
    {
        IsWebSocket = isWebSocket;
        Queue.TryEnqueue(OpenPacket.Create(Id, canUpgrade, _options.PingInterval, _options.PingTimeout, _options.MaxHttpBufferSize));
        _heartbeat.Change(_options.PingInterval, Timeout.InfiniteTimeSpan);
        _handler.OnOpen(this);
    }

    /// <summary>Handles one packet from the client; the transport awaits it before reading the next.</summary>
    internal ValueTask OnPacketAsync(EnginePacket packet)
    {
        switch (packet.Type)
        {
            case EnginePacketType.Message:
                return IsClosed ? ValueTask.CompletedTask : _handler.OnMessageAsync(this, packet);
            case EnginePacketType.Pong:
                OnPong();
                break;
            case EnginePacketType.Close:
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

    internal bool TryBeginUpgrade()
    {
        lock (_sync)
        {
            if (_isClosed || IsWebSocket || _upgrading || !_options.AllowUpgrades)
            {
                return false;
            }

            _upgrading = true;
            _probed = false;
            return true;
        }
    }

    /// <summary>The client probed the new transport: release the pending poll so the client can pause polling.</summary>
    internal void OnUpgradeProbe()
    {
        lock (_sync)
        {
            _probed = true;
        }

        Polling.ReleasePendingPoll();
    }

    internal bool CompleteUpgrade()
    {
        lock (_sync)
        {
            if (_isClosed || !_upgrading)
            {
                return false;
            }

            _upgrading = false;
            IsWebSocket = true;
        }

        Polling.ReleasePendingPoll();
        Log.Upgraded(_logger, Id);
        return true;
    }

    internal void AbortUpgrade()
    {
        lock (_sync)
        {
            _upgrading = false;
        }
    }

    /// <summary>
    /// Closes once. A graceful close lets the transport flush the queue and a close packet within
    /// <see cref="EngineIOOptions.CloseTimeout"/>; a hard close aborts the transport now.
    /// </summary>
    internal void Close(string reason, bool graceful)
    {
        lock (_sync)
        {
            if (_isClosed)
            {
                return;
            }

            _isClosed = true;
        }

        _heartbeat.Dispose();
        if (graceful)
        {
            // The session stays findable by its sid until the transport has delivered the close packet:
            // a polling client must still be able to fetch it with its next GET.
            Queue.CompleteWith(EngineFrame.Close);
            _abort.Token.UnsafeRegister(static s => ((EngineSession)s!).OnDrained(), this);
            _abort.CancelAfter(_options.CloseTimeout);
        }
        else
        {
            Queue.Complete();
            _abort.Cancel();
            OnDrained();
        }

        Polling.ReleasePendingPoll();
        Log.SessionClosed(_logger, Id, reason);
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

    /// <summary>Called once the last queued packet went out (or could not): the session leaves the store.</summary>
    internal void OnDrained()
    {
        if (Interlocked.Exchange(ref _released, 1) == 1)
        {
            return;
        }

        _onClosed(this);
        _drained.TrySetResult();
    }

    private void OnPong()
    {
        lock (_sync)
        {
            if (!_awaitingPong || _isClosed)
            {
                return;
            }

            _awaitingPong = false;
            _heartbeat.Change(_options.PingInterval, Timeout.InfiniteTimeSpan);
        }
    }

    private void OnHeartbeatTimer()
    {
        bool timedOut;
        lock (_sync)
        {
            if (_isClosed)
            {
                return;
            }

            timedOut = _awaitingPong;
            if (!timedOut)
            {
                _awaitingPong = true;
                _heartbeat.Change(_options.PingTimeout, Timeout.InfiniteTimeSpan);
            }
        }

        if (timedOut)
        {
            Log.PingTimedOut(_logger, Id);
            Close(DisconnectReasons.PingTimeout, graceful: false);
        }
        else
        {
            Send(EngineFrame.Ping);
        }
    }

    /// <inheritdoc />
    public override string ToString() => $"EngineSession {Id} ({Transport})";
}
