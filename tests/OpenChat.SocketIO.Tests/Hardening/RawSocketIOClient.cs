using System.Net;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using OpenChat.SocketIO.Tests.Infrastructure;

namespace OpenChat.SocketIO.Tests.Hardening;

/// <summary>
/// A raw Engine.IO client of either transport that keeps reading in the background: it answers pings,
/// puts every other packet in an inbox (binary ones as <c>b</c> + base64, as polling carries them) and
/// notes when the server ends the session. Built on <see cref="WsClient"/> and <see cref="PollingClient"/>.
/// </summary>
public sealed class RawSocketIOClient : IAsyncDisposable
{
    private readonly Channel<string> _inbox = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true });
    private readonly TaskCompletionSource<string> _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly CancellationTokenSource _stop = new();
    private readonly WsClient? _ws;
    private readonly PollingClient? _polling;
    private Task _pump = Task.CompletedTask;

    private RawSocketIOClient(WsClient? ws, PollingClient? polling, string engineSid)
    {
        _ws = ws;
        _polling = polling;
        EngineSid = engineSid;
    }

    public string EngineSid { get; }

    /// <summary>The socket id of the main namespace, once joined.</summary>
    public string SocketId { get; private set; } = string.Empty;

    public bool IsWebSocket => _ws is not null;

    /// <summary>Completes, with what ended it, when the server ended the session (or the connection broke).</summary>
    public Task<string> Closed => _closed.Task;

    public static async Task<RawSocketIOClient> OpenWebSocketAsync(TestHost host, string path = "/socket.io/")
    {
        var ws = await WsClient.ConnectAsync(host.WebSocketUrl("EIO=4&transport=websocket", path));
        var open = await ws.ReceiveOpenAsync();
        var client = new RawSocketIOClient(ws, null, open.GetProperty("sid").GetString()!);
        client._pump = client.PumpWebSocketAsync();
        return client;
    }

    public static async Task<RawSocketIOClient> OpenPollingAsync(TestHost host, string path = "/socket.io/")
    {
        var polling = new PollingClient(host, path);
        try
        {
            await polling.HandshakeAsync();
        }
        catch
        {
            polling.Dispose();
            throw;
        }

        var client = new RawSocketIOClient(null, polling, polling.Sid);
        client._pump = client.PumpPollingAsync();
        return client;
    }

    public static Task<RawSocketIOClient> OpenAsync(TestHost host, bool webSocket) =>
        webSocket ? OpenWebSocketAsync(host) : OpenPollingAsync(host);

    /// <summary>Joins the main namespace (with an optional auth object) and returns the socket id.</summary>
    public async Task<string> JoinAsync(string? authJson = null)
    {
        await SendAsync("40" + authJson);
        var reply = await NextAsync(p => p.StartsWith("40", StringComparison.Ordinal) || p.StartsWith("44", StringComparison.Ordinal))
            ?? throw new InvalidOperationException($"The session closed before the CONNECT reply: {await DescribeCloseAsync()}");
        Assert.StartsWith("40{", reply);
        using var json = JsonDocument.Parse(reply[2..]);
        SocketId = json.RootElement.GetProperty("sid").GetString()!;
        return SocketId;
    }

    /// <summary>Sends one Engine.IO text packet; it must be accepted.</summary>
    public async Task SendAsync(string packet)
    {
        if (_ws is not null)
        {
            Assert.True(await TrySendFrameAsync(Encoding.UTF8.GetBytes(packet), binary: false), $"could not send {packet}");
            return;
        }

        var status = await PostAsync(Encoding.UTF8.GetBytes(packet));
        Assert.True(status == HttpStatusCode.OK, $"POST {packet} answered {status}");
    }

    /// <summary>WebSocket only: sends one frame as is; false when the connection is already gone.</summary>
    public async Task<bool> TrySendFrameAsync(byte[] data, bool binary)
    {
        var ws = _ws ?? throw new InvalidOperationException("Not a WebSocket session.");
        await _sendLock.WaitAsync();
        try
        {
            if (ws.Socket.State != WebSocketState.Open)
            {
                return false;
            }

            using var timeout = new CancellationTokenSource(TaskTimeouts.Default);
            await ws.Socket.SendAsync(data, binary ? WebSocketMessageType.Binary : WebSocketMessageType.Text, endOfMessage: true, timeout.Token);
            return true;
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException or IOException)
        {
            return false;
        }
        finally
        {
            _sendLock.Release();
        }
    }

    /// <summary>Polling only: POSTs a body as is; the status, or null when the request failed outright.</summary>
    public async Task<HttpStatusCode?> PostAsync(byte[] body)
    {
        var polling = _polling ?? throw new InvalidOperationException("Not a polling session.");
        await _sendLock.WaitAsync();
        try
        {
            using var content = new ByteArrayContent(body);
            content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("text/plain") { CharSet = "UTF-8" };
            using var timeout = new CancellationTokenSource(TaskTimeouts.Default);
            using var response = await polling.Http.PostAsync(polling.SessionUrl, content, timeout.Token);
            await response.Content.ReadAsByteArrayAsync(timeout.Token);
            return response.StatusCode;
        }
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException or ObjectDisposedException or IOException)
        {
            return null;
        }
        finally
        {
            _sendLock.Release();
        }
    }

    /// <summary>
    /// Reads the inbox until a packet matches and returns it, dropping the others; null when the session
    /// ended first. Throws <see cref="TimeoutException"/> when neither happens in time.
    /// </summary>
    public async Task<string?> NextAsync(Func<string, bool> match, TimeSpan? timeout = null)
    {
        using var cancel = new CancellationTokenSource(timeout ?? TaskTimeouts.Default);
        try
        {
            while (await _inbox.Reader.WaitToReadAsync(cancel.Token))
            {
                while (_inbox.Reader.TryRead(out var packet))
                {
                    if (match(packet))
                    {
                        return packet;
                    }
                }
            }

            return null;
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
            throw new TimeoutException($"Session {EngineSid} ({(IsWebSocket ? "websocket" : "polling")}) neither sent the expected packet nor closed in time.");
        }
    }

    public async Task<string> DescribeCloseAsync() =>
        Closed.IsCompleted ? await Closed : "still open";

    public async ValueTask DisposeAsync()
    {
        if (_ws is not null && !_closed.Task.IsCompleted)
        {
            // A clean close frame, so the server ends the session as a client that left.
            await _sendLock.WaitAsync();
            try
            {
                if (_ws.Socket.State == WebSocketState.Open)
                {
                    using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                    await _ws.Socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, string.Empty, timeout.Token);
                }
            }
            catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException or IOException)
            {
            }
            finally
            {
                _sendLock.Release();
            }
        }
        else if (_polling is not null && !_closed.Task.IsCompleted)
        {
            await PostAsync("1"u8.ToArray());
        }

        _stop.Cancel();
        try
        {
            await _pump.WaitAsync(TimeSpan.FromSeconds(5));
        }
        catch (TimeoutException)
        {
            // The pump is stuck in a read the cancellation did not reach; the socket disposal below ends it.
        }

        if (_ws is not null)
        {
            _ws.Socket.Abort();
            _ws.Socket.Dispose();
        }

        _polling?.Dispose();
        _stop.Dispose();
    }

    private void End(string why)
    {
        _closed.TrySetResult(why);
        _inbox.Writer.TryComplete();
    }

    private async Task PumpWebSocketAsync()
    {
        var socket = _ws!.Socket;
        var buffer = new byte[16 * 1024];
        using var message = new MemoryStream();
        try
        {
            while (true)
            {
                var result = await socket.ReceiveAsync(buffer, _stop.Token);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    End($"close frame {result.CloseStatus}");
                    await AnswerCloseAsync(socket);
                    return;
                }

                message.Write(buffer, 0, result.Count);
                if (!result.EndOfMessage)
                {
                    continue;
                }

                var data = message.ToArray();
                message.SetLength(0);
                if (result.MessageType == WebSocketMessageType.Binary)
                {
                    _inbox.Writer.TryWrite("b" + Convert.ToBase64String(data));
                    continue;
                }

                var text = Encoding.UTF8.GetString(data);
                if (text == "2")
                {
                    _ = TrySendFrameAsync("3"u8.ToArray(), binary: false);
                }
                else
                {
                    _inbox.Writer.TryWrite(text);
                }
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException or IOException)
        {
            End($"connection ended: {ex.GetType().Name}");
        }
    }

    /// <summary>Completes the close handshake, as browsers and the official clients do.</summary>
    private async Task AnswerCloseAsync(ClientWebSocket socket)
    {
        await _sendLock.WaitAsync();
        try
        {
            if (socket.State == WebSocketState.CloseReceived)
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, string.Empty, timeout.Token);
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException or IOException)
        {
        }
        finally
        {
            _sendLock.Release();
        }
    }

    private async Task PumpPollingAsync()
    {
        var polling = _polling!;
        try
        {
            while (true)
            {
                using var response = await polling.Http.GetAsync(polling.SessionUrl, _stop.Token);
                var body = await response.Content.ReadAsStringAsync(_stop.Token);
                if (response.StatusCode != HttpStatusCode.OK)
                {
                    End($"GET answered {(int)response.StatusCode} {body}");
                    return;
                }

                foreach (var packet in EnginePayload.Split(body))
                {
                    switch (packet)
                    {
                        case "2":
                            await PostAsync("3"u8.ToArray());
                            break;
                        case "6":
                            break;
                        case "1":
                            _inbox.Writer.TryWrite(packet);
                            End("close packet");
                            return;
                        default:
                            _inbox.Writer.TryWrite(packet);
                            break;
                    }
                }
            }
        }
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException or ObjectDisposedException or IOException)
        {
            End($"GET failed: {ex.GetType().Name}");
        }
    }
}
