using System.Buffers;
using System.Net.WebSockets;
using OpenChat.Bench.Protocol;

namespace OpenChat.Bench.Client;

/// <summary>
/// A Socket.IO v5 client over a raw WebSocket (Engine.IO v4): answers pings, joins the main namespace and
/// hands chat events to a <see cref="ChatFrameHandler"/>. Sends are serialised by a per-client lock because
/// pongs and chat messages come from different loops.
/// </summary>
public sealed class ChatWebSocketClient : IChatClient, IAsyncDisposable
{
    private const int SmallBufferSize = 2048;
    private static readonly TimeSpan CloseTimeout = TimeSpan.FromSeconds(5);

    private readonly ClientWebSocket _socket = new();
    private readonly ChatFrameHandler _handler;
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly CancellationTokenSource _lifetime = new();
    private readonly TaskCompletionSource _connected = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task _receiveLoop = Task.CompletedTask;
    private long _bytesReceived;
    private int _pingsAnswered;
    private volatile bool _closedByServer;

    public ChatWebSocketClient(int index, ChatFrameHandler handler)
    {
        Index = index;
        _handler = handler;
        _socket.Options.KeepAliveInterval = TimeSpan.Zero;

        // As browsers do: a server that has permessage-deflate on may then compress large messages.
        _socket.Options.DangerousDeflateOptions = new WebSocketDeflateOptions();
    }

    public int Index { get; }

    public string Name => UsernameDigest.NameFor(Index);

    public long BytesReceived => Interlocked.Read(ref _bytesReceived);

    public int PingsAnswered => Volatile.Read(ref _pingsAnswered);

    /// <summary>True while the WebSocket is open and the server has not closed the session.</summary>
    public bool IsAlive => _socket.State == WebSocketState.Open && !_closedByServer && !_receiveLoop.IsCompleted;

    /// <summary>Opens the WebSocket and, when <paramref name="joinNamespace"/>, completes the Socket.IO CONNECT.</summary>
    public async Task ConnectAsync(Uri server, HttpMessageInvoker invoker, bool joinNamespace, CancellationToken cancellationToken)
    {
        await _socket.ConnectAsync(EngineIoFrames.WebSocketUri(server), invoker, cancellationToken);
        _receiveLoop = Task.Run(ReceiveLoopAsync, CancellationToken.None);
        if (joinNamespace)
        {
            await SendAsync(EngineIoFrames.Connect, cancellationToken);
            await _connected.Task.WaitAsync(cancellationToken);
        }
    }

    /// <summary>Sends one text frame; safe to call from any loop.</summary>
    public async ValueTask SendAsync(ReadOnlyMemory<byte> frame, CancellationToken cancellationToken)
    {
        await _sendLock.WaitAsync(cancellationToken);
        try
        {
            await _socket.SendAsync(frame, WebSocketMessageType.Text, endOfMessage: true, cancellationToken);
        }
        finally
        {
            _sendLock.Release();
        }
    }

    /// <summary>Closes the WebSocket politely, giving up after a few seconds.</summary>
    public async Task CloseAsync()
    {
        if (_socket.State == WebSocketState.Open)
        {
            using var timeout = new CancellationTokenSource(CloseTimeout);
            try
            {
                await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, timeout.Token);
                await _receiveLoop.WaitAsync(timeout.Token);
            }
            catch (Exception e) when (e is WebSocketException or OperationCanceledException or TimeoutException or ObjectDisposedException)
            {
                // The server went away first or is too slow to answer; aborting below is enough.
            }
        }

        await DisposeAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await _lifetime.CancelAsync();
        _socket.Abort();
        try
        {
            await _receiveLoop.WaitAsync(CloseTimeout);
        }
        catch (TimeoutException)
        {
        }

        _socket.Dispose();
        _sendLock.Dispose();
        _lifetime.Dispose();
    }

    private async Task ReceiveLoopAsync()
    {
        var small = new byte[SmallBufferSize];
        var buffer = small;
        var filled = 0;
        try
        {
            while (!_lifetime.IsCancellationRequested)
            {
                if (filled == buffer.Length)
                {
                    // A large frame (e.g. a long usernames list): grow into a pooled buffer until it ends.
                    var larger = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
                    buffer.AsSpan(0, filled).CopyTo(larger);
                    if (!ReferenceEquals(buffer, small))
                    {
                        ArrayPool<byte>.Shared.Return(buffer);
                    }

                    buffer = larger;
                }

                var result = await _socket.ReceiveAsync(buffer.AsMemory(filled), _lifetime.Token);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    _closedByServer = true;
                    break;
                }

                filled += result.Count;
                if (!result.EndOfMessage)
                {
                    continue;
                }

                Interlocked.Add(ref _bytesReceived, filled);
                if (result.MessageType == WebSocketMessageType.Text)
                {
                    await HandleFrameAsync(buffer, filled);
                }

                filled = 0;
                if (!ReferenceEquals(buffer, small))
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = small;
                }
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or ObjectDisposedException or IOException)
        {
            // Closed by either side; the state tells the scenario what happened.
        }
        finally
        {
            _closedByServer |= !_lifetime.IsCancellationRequested;
            _connected.TrySetException(new IOException("The connection closed before the Socket.IO CONNECT completed."));
            if (!ReferenceEquals(buffer, small))
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }
    }

    private ValueTask HandleFrameAsync(byte[] buffer, int length)
    {
        var frame = buffer.AsSpan(0, length);
        switch (ChatFrameParser.Classify(frame))
        {
            case IncomingFrameKind.Ping:
                Interlocked.Increment(ref _pingsAnswered);
                return SendAsync(EngineIoFrames.Pong, _lifetime.Token);
            case IncomingFrameKind.Connected:
                _connected.TrySetResult();
                break;
            case IncomingFrameKind.ConnectError:
                _connected.TrySetException(new IOException("The server refused the Socket.IO CONNECT: " + System.Text.Encoding.UTF8.GetString(frame)));
                break;
            case IncomingFrameKind.Close:
                _closedByServer = true;
                break;
            case IncomingFrameKind.ChatMessage:
                _handler.OnChatMessage(this, frame);
                break;
            case IncomingFrameKind.Usernames:
                _handler.OnUsernames(this, frame);
                break;
        }

        return ValueTask.CompletedTask;
    }
}
