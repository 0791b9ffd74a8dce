using System.Net;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using OpenChat.SocketIO.Tests.Infrastructure;

namespace OpenChat.SocketIO.Tests.Infrastructure;

/// <summary>Engine.IO v4 framing as a client writes and reads it, straight from the protocol document.</summary>
public static class EnginePayload
{
    /// <summary>The record separator between the packets of a polling payload.</summary>
    public const char Separator = '\x1e';

    public static string Join(params string[] packets) => string.Join(Separator, packets);

    public static string[] Split(string payload) => payload.Split(Separator);

    /// <summary>The JSON of an open packet (<c>0{...}</c>).</summary>
    public static JsonElement ParseOpen(string packet)
    {
        Assert.StartsWith("0{", packet);
        using var document = JsonDocument.Parse(packet[1..]);
        return document.RootElement.Clone();
    }

    /// <summary>Asserts the reference error body <c>{"code":N,"message":"..."}</c> with its status.</summary>
    public static async Task AssertErrorAsync(HttpResponseMessage response, HttpStatusCode status, int code, string message)
    {
        var body = await response.Content.ReadAsStringAsync().WithTimeout();
        Assert.Equal(status, response.StatusCode);
        Assert.Equal($"{{\"code\":{code},\"message\":\"{message}\"}}", body);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
    }
}

/// <summary>A long-polling client speaking raw Engine.IO over <see cref="HttpClient"/>.</summary>
public sealed class PollingClient : IDisposable
{
    private readonly TestHost _host;
    private readonly string _path;

    public PollingClient(TestHost host, string path = "/socket.io/")
    {
        _host = host;
        _path = path;
        Http = new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
    }

    public HttpClient Http { get; }

    public string Sid { get; private set; } = string.Empty;

    public Uri SessionUrl => _host.Url($"EIO=4&transport=polling&sid={Sid}", _path);

    /// <summary>Opens a session: GET without sid, whose body is the open packet.</summary>
    public async Task<JsonElement> HandshakeAsync()
    {
        using var response = await Http.GetAsync(_host.Url("EIO=4&transport=polling", _path)).WithTimeout();
        var body = await response.Content.ReadAsStringAsync().WithTimeout();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var open = EnginePayload.ParseOpen(body);
        Sid = open.GetProperty("sid").GetString()!;
        return open;
    }

    /// <summary>A GET on the session, not awaited for its body; it may be held open by the server.</summary>
    public Task<HttpResponseMessage> GetAsync() => Http.GetAsync(SessionUrl);

    /// <summary>A GET that must succeed; returns its payload.</summary>
    public async Task<string> PollAsync()
    {
        using var response = await GetAsync().WithTimeout();
        var body = await response.Content.ReadAsStringAsync().WithTimeout();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return body;
    }

    /// <summary>A GET that must succeed; returns the packets of its payload.</summary>
    public async Task<string[]> PollPacketsAsync() => EnginePayload.Split(await PollAsync());

    public Task<HttpResponseMessage> PostAsync(string payload) =>
        Http.PostAsync(SessionUrl, new StringContent(payload, Encoding.UTF8, "text/plain"));

    /// <summary>POSTs the packets as one payload; the server must answer 200 "ok".</summary>
    public async Task SendAsync(params string[] packets)
    {
        using var response = await PostAsync(EnginePayload.Join(packets)).WithTimeout();
        var body = await response.Content.ReadAsStringAsync().WithTimeout();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("ok", body);
    }

    public void Dispose() => Http.Dispose();
}

/// <summary>One WebSocket message as received, or the end of the connection.</summary>
public sealed record WsMessage(WebSocketMessageType Type, byte[] Data, WebSocketCloseStatus? CloseStatus = null, string? Error = null)
{
    public bool IsClose => Type == WebSocketMessageType.Close;

    public string Text => Encoding.UTF8.GetString(Data);

    public override string ToString() => IsClose ? $"<close {CloseStatus}{(Error is null ? "" : ": " + Error)}>" : Type == WebSocketMessageType.Text ? Text : $"<binary {Convert.ToHexString(Data)}>";
}

/// <summary>A raw WebSocket client: one message per Engine.IO packet.</summary>
public sealed class WsClient : IAsyncDisposable
{
    private WsClient(ClientWebSocket socket) => Socket = socket;

    public ClientWebSocket Socket { get; }

    public static async Task<WsClient> ConnectAsync(Uri uri, Action<ClientWebSocketOptions>? configure = null)
    {
        var socket = new ClientWebSocket();
        configure?.Invoke(socket.Options);
        await socket.ConnectAsync(uri, CancellationToken.None).WithTimeout();
        return new WsClient(socket);
    }

    /// <summary>Tries to open a WebSocket; returns the HTTP status the server answered with (101 when accepted).</summary>
    public static async Task<(HttpStatusCode Status, WsClient? Client)> TryConnectAsync(Uri uri, Action<ClientWebSocketOptions>? configure = null)
    {
        var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        configure?.Invoke(socket.Options);
        try
        {
            await socket.ConnectAsync(uri, CancellationToken.None).WithTimeout();
            return (socket.HttpStatusCode, new WsClient(socket));
        }
        catch (WebSocketException)
        {
            var status = socket.HttpStatusCode;
            socket.Dispose();
            return (status, null);
        }
    }

    public Task SendTextAsync(string text) =>
        Socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None).WithTimeout();

    public Task SendBinaryAsync(byte[] data) =>
        Socket.SendAsync(data, WebSocketMessageType.Binary, endOfMessage: true, CancellationToken.None).WithTimeout();

    /// <summary>The next message; a close frame, or the connection breaking, is returned as a close message.</summary>
    public async Task<WsMessage> ReceiveAsync(TimeSpan? timeout = null)
    {
        if (Socket.State is not (WebSocketState.Open or WebSocketState.CloseSent))
        {
            return new WsMessage(WebSocketMessageType.Close, [], Socket.CloseStatus);
        }

        var buffer = new byte[8192];
        using var data = new MemoryStream();
        try
        {
            while (true)
            {
                var result = await Socket.ReceiveAsync(buffer, CancellationToken.None).WithTimeout(timeout);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    return new WsMessage(WebSocketMessageType.Close, [], result.CloseStatus);
                }

                data.Write(buffer, 0, result.Count);
                if (result.EndOfMessage)
                {
                    return new WsMessage(result.MessageType, data.ToArray());
                }
            }
        }
        catch (WebSocketException ex)
        {
            return new WsMessage(WebSocketMessageType.Close, [], null, ex.Message);
        }
    }

    /// <summary>The next message, which must be text.</summary>
    public async Task<string> ReceiveTextAsync()
    {
        var message = await ReceiveAsync();
        Assert.True(message.Type == WebSocketMessageType.Text, $"expected a text message, got {message}");
        return message.Text;
    }

    /// <summary>The open packet the server sends first on a WebSocket session.</summary>
    public async Task<JsonElement> ReceiveOpenAsync() => EnginePayload.ParseOpen(await ReceiveTextAsync());

    /// <summary>Reads until the connection ends; returns what arrived before and the close message.</summary>
    public async Task<(List<WsMessage> Before, WsMessage Close)> ReceiveUntilClosedAsync()
    {
        var before = new List<WsMessage>();
        while (true)
        {
            var message = await ReceiveAsync();
            if (message.IsClose)
            {
                return (before, message);
            }

            before.Add(message);
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (Socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                await Socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, string.Empty, timeout.Token);
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or IOException)
        {
        }

        Socket.Dispose();
    }
}

/// <summary>
/// Middleware in front of the endpoints that reports when a request has reached the server, so a test can
/// act on a poll it knows is pending instead of guessing with a delay. Observes only; never answers.
/// </summary>
public sealed class RequestProbe
{
    private readonly Lock _sync = new();
    private readonly List<(Func<HttpRequest, bool> Match, TaskCompletionSource Arrived)> _waiting = new();

    public void Attach(WebApplication app) => app.Use(async (context, next) =>
    {
        lock (_sync)
        {
            foreach (var waiter in _waiting.Where(w => w.Match(context.Request)).ToList())
            {
                _waiting.Remove(waiter);
                waiter.Arrived.TrySetResult();
            }
        }

        await next(context);
    });

    /// <summary>Completes when the next request matching <paramref name="match"/> reaches the server. Call before sending it.</summary>
    public Task Expect(Func<HttpRequest, bool> match)
    {
        var arrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_sync)
        {
            _waiting.Add((match, arrived));
        }

        return arrived.Task;
    }

    /// <summary>Completes when the next GET of session <paramref name="sid"/> reaches the server.</summary>
    public Task ExpectPoll(string sid) =>
        Expect(r => HttpMethods.IsGet(r.Method) && r.Query["sid"] == sid && r.Query["transport"] == "polling");
}
