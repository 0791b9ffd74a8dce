using System.Buffers;
using System.Net.WebSockets;
using Microsoft.Extensions.Logging;
using OpenChat.SocketIO.EngineIO;

namespace OpenChat.SocketIO.EngineIO;

/// <summary>
/// WebSocket for one session: one frame per packet. A receive loop feeds the session; a writer scheduled
/// when frames are queued drains its queue (see <see cref="SendLoopAsync"/>). When one loop ends the other gets the close timeout and is then aborted. As an upgrade
/// candidate, the transport answers the probe itself and starts sending only once the session accepts the
/// upgrade packet.
/// </summary>
internal sealed partial class WebSocketTransport : IEngineTransport, IThreadPoolWorkItem
{
    /// <summary>Largest WebSocket fragment sent; with the frame header it fits a 16 KiB pooled buffer.</summary>
    internal const int MaxFragmentLength = 16 * 1024 - 16;

    private readonly WebSocket _socket;
    private readonly EngineSession _session;
    private readonly TimeProvider _time;
    private readonly ReadReceiptStream? _receipts;
    private readonly TaskCompletionSource _active = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _sent = new(TaskCreationOptions.RunContinuationsAsynchronously);
    // Cancelled by Abort, or by a timer once one loop has ended: a CancellationTokenSource built with a
    // TimeProvider holds a timer from the start, which every idle connection would keep.
    private readonly CancellationTokenSource _stop = new();
    private string? _failure;
    private int _pumping;
    private int _stopped;

    public WebSocketTransport(WebSocket socket, EngineSession session, TimeProvider time, ReadReceiptStream? receipts)
    {
        _socket = socket;
        _session = session;
        _time = time;
        _receipts = receipts;
    }

    public string Name => "websocket";

    /// <summary>Nothing waits for data on a WebSocket: the send loop follows the queue.</summary>
    public void Release()
    {
    }

    public void Abort()
    {
        if (Volatile.Read(ref _stopped) == 0)
        {
            try
            {
                _stop.Cancel();
            }
            catch (ObjectDisposedException)
            {
            }
        }
    }

    /// <summary>Runs until the connection ends; <paramref name="upgrading"/> when it is a polling session's upgrade candidate.</summary>
    public async Task RunAsync(bool upgrading)
    {
        if (!upgrading)
        {
            _active.TrySetResult();
        }

        var receiving = ReceiveLoopAsync();
        var sending = SendLoopAsync();
        var first = await Task.WhenAny(receiving, sending);
        if (first == receiving)
        {
            // The client went away, closed, or broke a rule: the session decides what that means.
            if (_failure is { } reason)
            {
                _session.OnTransportError(this, reason);
            }
            else
            {
                _session.OnTransportClosed(this);
            }
        }

        // Give the other loop the close timeout, then abort.
        using var stopTimer = _time.CreateTimer(static s => ((WebSocketTransport)s!).Abort(), this, _session.Options.CloseTimeout, Timeout.InfiniteTimeSpan);
        _active.TrySetCanceled();
        try
        {
            await Task.WhenAll(receiving, sending);
        }
        catch
        {
            // Both loops report their own failures.
        }

        await AnswerClientCloseAsync();
        Volatile.Write(ref _stopped, 1);
        _socket.Abort();
        _socket.Dispose();
        _stop.Dispose();
    }

    private async Task ReceiveLoopAsync()
    {
        var limit = _session.Options.MaxHttpBufferSize;
        try
        {
            while (true)
            {
                // Wait for the next frame without holding a buffer: thousands of idle connections would
                // otherwise pin a buffer each.
                var result = await _socket.ReceiveAsync(Memory<byte>.Empty, _stop.Token);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    return;
                }

                var (data, closed) = result.EndOfMessage ? ([], false) : await ReadMessageAsync(limit);
                if (closed)
                {
                    return;
                }

                if (data is null)
                {
                    Log.MessageTooLarge(_session.Logger, _session.Id, limit);
                    _failure = DisconnectReasons.TransportError;
                    await CloseSocketAsync(WebSocketCloseStatus.MessageTooBig, "message too big");
                    _session.OnTransportError(this, DisconnectReasons.TransportError);
                    await DiscardUntilClientCloseAsync();
                    return;
                }

                if (!await HandleMessageAsync(data, result.MessageType == WebSocketMessageType.Binary))
                {
                    return;
                }
            }
        }
        catch (WebSocketException ex) when (ex.WebSocketErrorCode != WebSocketError.ConnectionClosedPrematurely)
        {
            // A frame the WebSocket layer itself refused (e.g. text that is not UTF-8): the client's fault.
            _failure = DisconnectReasons.TransportError;
        }
        catch (Exception ex) when (ex is OperationCanceledException or WebSocketException or IOException)
        {
            // The client vanished, or the session stopped this transport.
        }
    }

    /// <summary>
    /// Reads the rest of the current message: null data when it grows over <paramref name="limit"/>, closed
    /// when the client's close frame came instead.
    /// </summary>
    private async ValueTask<(byte[]? Data, bool Closed)> ReadMessageAsync(long limit)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(4096);
        try
        {
            var length = 0;
            ValueWebSocketReceiveResult result;
            do
            {
                if (length == buffer.Length)
                {
                    var larger = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
                    buffer.AsSpan(0, length).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = larger;
                }

                result = await _socket.ReceiveAsync(buffer.AsMemory(length), _stop.Token);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    return (null, true);
                }

                length += result.Count;
                if (length > limit)
                {
                    return (null, false);
                }
            }
            while (!result.EndOfMessage);

            // Handlers may keep the data, so it gets its own array rather than the pooled buffer.
            return (buffer.AsSpan(0, length).ToArray(), false);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Returns false when this transport must stop reading.</summary>
    private async ValueTask<bool> HandleMessageAsync(byte[] data, bool isBinary)
    {
        _session.Metrics?.BytesReceived(data.Length);
        var codec = _session.Codec;
        if (!(isBinary ? codec.TryDecodeBinary(data, out var packet) : codec.TryDecodeText(data, out packet)))
        {
            Log.MalformedPacket(_session.Logger, _session.Id);
            _failure = DisconnectReasons.ParseError;
            return false;
        }

        _session.Metrics?.PacketsReceived(1);
        if (_active.Task.IsCompleted)
        {
            // After a graceful close, keep reading until the client answers the close frame; a hard close
            // cancels the read.
            await _session.OnPacketAsync(packet);
            return true;
        }

        // Still a candidate: only "2probe" then "5" are valid; anything else abandons the upgrade.
        if (packet.Type == EnginePacketType.Ping && packet.IsProbe)
        {
            _session.OnUpgradeProbed(this);
            await _socket.SendAsync(EngineFrame.PongProbe.Bytes, WebSocketMessageType.Text, endOfMessage: true, _stop.Token);
            _session.OnUpgradeProbeAnswered(this);
            return true;
        }

        if (packet.Type == EnginePacketType.Upgrade && _session.OnUpgradeRequested(this))
        {
            _active.TrySetResult();
            return true;
        }

        Log.UnexpectedWhileUpgrading(_session.Logger, _session.Id);
        _failure = DisconnectReasons.TransportError;
        return false;
    }

    /// <summary>
    /// Writes the session's queue for as long as the connection lasts. No loop waits on the queue: whoever
    /// queues a frame signals it (<see cref="OutgoingQueue.Signal"/>) and <see cref="Pump"/> schedules one
    /// writer unless one is already at work, which takes everything queued meanwhile. Under load a writer
    /// runs a little after its frames were queued and finds several, which Kestrel then sends together.
    /// Completes once the queue is drained and the socket closed, or on failure.
    /// </summary>
    private async Task SendLoopAsync()
    {
        try
        {
            await _active.Task;
        }
        catch (OperationCanceledException)
        {
            return;
        }

        var queue = _session.Queue;
        Action pump = Pump;
        queue.AttachReader(pump);
        using (_stop.Token.UnsafeRegister(static s => ((WebSocketTransport)s!).Pump(), this))
        {
            // Frames queued before this transport became active.
            Pump();
            try
            {
                await _sent.Task;
            }
            finally
            {
                queue.DetachReader(pump);
            }
        }
    }

    /// <summary>
    /// Schedules a writer unless one is at work (it will see the new frames). Writing on the caller's thread
    /// instead (a broadcast writing to each idle connection as it goes) was measured: it made no difference at
    /// light load and cost a fifth to two fifths of the saturated fan-out, which loses the batching above.
    /// </summary>
    private void Pump()
    {
        if (Interlocked.CompareExchange(ref _pumping, 1, 0) == 0)
        {
            // The transport is its own work item: scheduling a writer allocates nothing.
            ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
        }
    }

    void IThreadPoolWorkItem.Execute() => _ = PumpAsync();

    private async Task PumpAsync()
    {
        var queue = _session.Queue;
        try
        {
            while (true)
            {
                // What is queued now leaves in one write (see ReadReceiptStream.BeginGathering).
                _receipts?.BeginGathering();
                try
                {
                    while (!_stop.IsCancellationRequested && queue.TryDequeue(out var frame))
                    {
                        await SendFrameAsync(frame);
                        _session.Metrics?.PacketsSent(1);
                        _session.Metrics?.BytesSent(frame.Bytes.Length);
                        if (frame.ReadBeforeNext)
                        {
                            // The receipt's PING must go out now, after what was gathered.
                            if (_receipts is not null)
                            {
                                await _receipts.EndGatheringAsync(_stop.Token);
                            }

                            await AwaitReadReceiptAsync();
                            _receipts?.BeginGathering();
                        }
                    }
                }
                catch
                {
                    // Nothing more is written; the close frame must not be gathered.
                    _receipts?.AbandonGathering();
                    throw;
                }

                if (_receipts is not null)
                {
                    await _receipts.EndGatheringAsync(_stop.Token);
                }

                _stop.Token.ThrowIfCancellationRequested();
                if (queue.IsDrained)
                {
                    // The session closed and everything queued went out.
                    _session.OnDrained(this);
                    await CloseSocketAsync(WebSocketCloseStatus.NormalClosure, string.Empty);
                    _sent.TrySetResult();
                    return;
                }

                // Idle again. A frame queued just before this finds the pump taken and relies on this check.
                Interlocked.Exchange(ref _pumping, 0);
                if ((!queue.HasFrames && !queue.IsDrained && !_stop.IsCancellationRequested) || Interlocked.CompareExchange(ref _pumping, 1, 0) != 0)
                {
                    return;
                }
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or WebSocketException or IOException)
        {
            // The pump stays taken: nothing more is written.
            _session.OnTransportError(this, DisconnectReasons.TransportError);
            _sent.TrySetResult();
        }
        catch (Exception ex)
        {
            _sent.TrySetException(ex);
        }
    }

    private async Task CloseSocketAsync(WebSocketCloseStatus status, string description)
    {
        try
        {
            if (_socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
            {
                await _socket.CloseOutputAsync(status, description, _stop.Token);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or WebSocketException or IOException)
        {
        }
    }

    /// <summary>
    /// After refusing a message, reads (and drops) what the client still sends until it answers the close
    /// frame: closing a TCP socket with unread data resets it, and the client might lose the close frame.
    /// </summary>
    private async Task DiscardUntilClientCloseAsync()
    {
        using var timeout = new CancellationTokenSource(_session.Options.CloseTimeout, _time);
        var scratch = ArrayPool<byte>.Shared.Rent(4096);
        try
        {
            while ((await _socket.ReceiveAsync(scratch.AsMemory(), timeout.Token)).MessageType != WebSocketMessageType.Close)
            {
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or WebSocketException or IOException)
        {
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(scratch);
        }
    }

    /// <summary>The client closed first: complete the close handshake instead of resetting the connection.</summary>
    private async Task AnswerClientCloseAsync()
    {
        if (_socket.State != WebSocketState.CloseReceived)
        {
            return;
        }

        using var timeout = new CancellationTokenSource(_session.Options.CloseTimeout, _time);
        try
        {
            await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, string.Empty, timeout.Token);
        }
        catch (Exception ex) when (ex is OperationCanceledException or WebSocketException or IOException)
        {
        }
    }

    private static partial class Log
    {
        [LoggerMessage(30, LogLevel.Information, "Session {Sid} sent a WebSocket message over {Limit} bytes; closing it.", EventName = "MessageTooLarge")]
        public static partial void MessageTooLarge(ILogger logger, string sid, long limit);

        [LoggerMessage(31, LogLevel.Debug, "Session {Sid} sent a malformed packet; closing it.", EventName = "MalformedPacket")]
        public static partial void MalformedPacket(ILogger logger, string sid);

        [LoggerMessage(33, LogLevel.Debug, "Session {Sid} sent an unexpected packet while upgrading; the upgrade is abandoned.", EventName = "UnexpectedWhileUpgrading")]
        public static partial void UnexpectedWhileUpgrading(ILogger logger, string sid);

        [LoggerMessage(34, LogLevel.Debug, "Session {Sid} did not answer a WebSocket ping within the ping timeout; sending on.", EventName = "NoReadReceipt")]
        public static partial void NoReadReceipt(ILogger logger, string sid);
    }
}
